// Classic pcap records read in place (PcapRecords) against libpcap's pcap_next_ex:
// every sample capture, every capture input of the fuzz corpus and hand-made
// damaged files give the same packets, timestamps, lengths and truncation words
// both ways.
#include <gtest/gtest.h>
#include <pcap/dlt.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "net/capture_reader.hpp"
#include "net/pcap_records.hpp"
#include "packet_builder.hpp"

namespace quartet::analyzer::net {
namespace {

using namespace test;
namespace fs = std::filesystem;

struct Read {
  std::vector<TimeNs> ts;
  std::vector<Buf> data;
  std::vector<uint32_t> wire_len;
  std::vector<int> linktype;
  std::string truncation;
  std::vector<std::string> notices;
  bool in_place = false;
  bool read_ahead = false;  // a thread read the file ahead (ReadAhead)
};

// Everything CaptureFile hands out for `path`, read in place (read ahead or not) or by libpcap.
Read read_all(const std::string& path, bool own_records, bool read_ahead = false) {
  Read r;
  CaptureFile f(path, "", {}, own_records, read_ahead);
  r.in_place = f.reads_records_in_place();
  Packet p;
  while (f.next(p)) {
    r.read_ahead = r.read_ahead || f.reads_ahead();
    r.ts.push_back(p.ts);
    r.data.emplace_back(reinterpret_cast<const uint8_t*>(p.data.data()),
                        reinterpret_cast<const uint8_t*>(p.data.data()) + p.data.size());
    r.wire_len.push_back(p.wire_len);
    r.linktype.push_back(p.linktype);
  }
  r.truncation = f.truncation();
  r.notices = f.notices();
  return r;
}

std::optional<Read> try_read_all(const std::string& path, bool own_records, bool read_ahead = false) {
  try {
    return read_all(path, own_records, read_ahead);
  } catch (const CaptureError&) {
    return std::nullopt;
  }
}

// Compares the readers on one file: in place, in place read ahead, and libpcap.
// True when it was read in place (`ahead`: whether a thread read it ahead).
bool same_both_ways(const std::string& path, bool* ahead = nullptr) {
  const std::optional<Read> theirs = try_read_all(path, false);
  bool in_place = false;
  for (bool read_ahead : {false, true}) {
    const std::optional<Read> mine = try_read_all(path, true, read_ahead);
    EXPECT_EQ(mine.has_value(), theirs.has_value()) << path;
    if (!mine || !theirs) return false;
    EXPECT_FALSE(theirs->in_place);
    EXPECT_EQ(mine->ts.size(), theirs->ts.size()) << path << " read ahead " << read_ahead;
    EXPECT_EQ(mine->ts, theirs->ts) << path;
    EXPECT_EQ(mine->data, theirs->data) << path << " read ahead " << read_ahead;
    EXPECT_EQ(mine->wire_len, theirs->wire_len) << path;
    EXPECT_EQ(mine->linktype, theirs->linktype) << path;
    EXPECT_EQ(mine->truncation, theirs->truncation) << path << " read ahead " << read_ahead;
    EXPECT_EQ(mine->notices, theirs->notices) << path;
    if (!read_ahead) {
      EXPECT_FALSE(mine->read_ahead) << path;
    }
    if (read_ahead && ahead) *ahead = mine->read_ahead;
    in_place = mine->in_place;
  }
  return in_place;
}

std::string temp_path(const std::string& name) {
  return testing::TempDir() + "quartet_records_" + std::to_string(getpid()) + "_" + name;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name) : path(temp_path(name)) {}
  ~TempFile() { std::remove(path.c_str()); }
};

Buf frame_of(size_t n, uint8_t seed) {
  Buf b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}

TEST(PcapRecords, SampleCapturesReadTheSameAsLibpcap) {
  size_t in_place = 0, files = 0;
  for (const auto& e : fs::recursive_directory_iterator(QUARTET_CAPTURES_DIR)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.find(".pcap") == std::string::npos) continue;
    ++files;
    in_place += same_both_ways(e.path().string());
  }
  std::printf("%zu sample captures, %zu read in place\n", files, in_place);
  EXPECT_GT(files, 100u);
  EXPECT_GT(in_place, 20u);  // the classic pcap ones (the rest is pcapng, read by libpcap)
}

TEST(PcapRecords, FuzzCorpusCapturesReadTheSameAsLibpcap) {
  size_t in_place = 0, files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(QUARTET_FUZZ_CORPUS_DIR) / "capture")) {
    if (!e.is_regular_file()) continue;
    ++files;
    in_place += same_both_ways(e.path().string());
  }
  std::printf("%zu corpus inputs, %zu read in place\n", files, in_place);
  EXPECT_GT(files, 500u);
  EXPECT_GT(in_place, 100u);  // damaged classic files among them: lying lengths, cut records
}

// Records split across every read of the source (256 KiB per read of a plain
// file; the largest record libpcap takes, and one byte more).
TEST(PcapRecords, LargeFileWithRecordsOfEverySize) {
  TempFile f("large.pcap");
  std::vector<Frame> frames;
  TimeNs t = 1'700'000'000'000'000'000;
  const size_t sizes[] = {1, 60, 1514, 9000, 65535, 100'000, 262'144};
  for (int round = 0; round < 8; ++round)
    for (size_t n : sizes)
      frames.push_back({t += 1'001'000,
                        frame_of(std::min<size_t>(n + round, PcapRecords::kMaxCaplen), static_cast<uint8_t>(round))});
  write_pcap(f.path, DLT_EN10MB, frames, 65535, false);
  bool ahead = false;
  EXPECT_TRUE(same_both_ways(f.path, &ahead));
  EXPECT_TRUE(ahead);  // 3.5 MB: past what the stream holds when libpcap has read the header
  for (bool read_ahead : {false, true}) {
    const Read r = read_all(f.path, true, read_ahead);
    ASSERT_EQ(r.data.size(), frames.size());
    for (size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(r.data[i], frames[i].data) << i;
    EXPECT_EQ(r.ts.front(), frames.front().ts);
    EXPECT_EQ(r.truncation, "");
    // Records longer than the header's snaplen are read whole, and reported.
    ASSERT_EQ(r.notices.size(), 1u);
    EXPECT_NE(r.notices[0].find("longest 262144"), std::string::npos) << r.notices[0];
  }
}

// A header written by hand: magic, version, snaplen, link type.
Buf pcap_header(uint32_t magic, bool big_endian, uint16_t major = 2, uint16_t minor = 4, uint32_t dlt = 1) {
  Buf b;
  const auto w32 = [&](uint32_t v) { big_endian ? put32(b, v) : le32(b, v); };
  const auto w16 = [&](uint16_t v) { big_endian ? put16(b, v) : le16(b, v); };
  w32(magic);
  w16(major);
  w16(minor);
  w32(0);
  w32(0);
  w32(65535);
  w32(dlt);
  return b;
}

void record(Buf& b, bool big_endian, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, size_t present) {
  const auto w32 = [&](uint32_t v) { big_endian ? put32(b, v) : le32(b, v); };
  w32(sec);
  w32(frac);
  w32(caplen);
  w32(len);
  const Buf data = frame_of(present, 3);
  append(b, data);
}

TEST(PcapRecords, DamagedFilesSayWhatLibpcapSays) {
  struct Case {
    const char* name;
    bool big_endian;
    uint32_t magic;
    std::string truncation;  // after the file name
    size_t packets;
    Buf tail;  // after one good record
  };
  std::vector<Case> cases;
  {
    Case c{"cut-header",
           false,
           0xa1b2c3d4,
           "truncated after 1 packets: truncated dump file; tried to read 16 header "
           "bytes, only got 7",
           1,
           {}};
    c.tail = Buf(7, 0x11);
    cases.push_back(c);
  }
  {
    Case c{"cut-data", true,
           0xa1b23c4d, "truncated after 1 packets: truncated dump file; tried to read 500 captured bytes, only got 20",
           1,          {}};
    record(c.tail, true, 5, 6, 500, 500, 20);
    cases.push_back(c);
  }
  {
    Case c{"lying-length",
           false,
           0xa1b2c3d4,
           "truncated after 1 packets: invalid packet capture length 4294967295, bigger than snaplen of 262144",
           1,
           {}};
    record(c.tail, false, 5, 6, 0xffffffff, 60, 60);
    cases.push_back(c);
  }
  {
    // A fraction past 2^31 is negative to libpcap (a signed field), then scaled.
    Case c{"odd-fraction", false, 0xa1b2c3d4, "", 2, {}};
    record(c.tail, false, 0xfffffff0, 0xffffffff, 60, 40, 60);
    cases.push_back(c);
  }
  // Each damage after one record, and after 1,000 records of 1,500 bytes: past the
  // stream's buffer, where the file is read ahead (by then) in 256 KiB chunks.
  for (const Case& c : cases)
    for (size_t before : {size_t{1}, size_t{1001}}) {
      const std::string name = std::string(c.name) + " after " + std::to_string(before);
      TempFile f(std::string(c.name) + "-" + std::to_string(before) + ".pcap");
      Buf b = pcap_header(c.magic, c.big_endian);
      record(b, c.big_endian, 1'700'000'000, 250, 60, 60, 60);
      for (size_t i = 1; i < before; ++i) record(b, c.big_endian, 1'700'000'001, 0, 1500, 1500, 1500);
      append(b, c.tail);
      write_file(f.path, b);
      bool ahead = false;
      EXPECT_TRUE(same_both_ways(f.path, &ahead)) << name;
      EXPECT_EQ(ahead, before > 1) << name;
      const Read r = read_all(f.path, true, true);
      EXPECT_EQ(r.data.size(), c.packets + before - 1) << name;
      const std::string words = std::to_string(c.packets + before - 1) + " packets";
      std::string truncation = c.truncation;
      if (!truncation.empty()) truncation.replace(truncation.find("1 packets"), 9, words);
      EXPECT_EQ(r.truncation, truncation.empty() ? "" : "file " + f.path + " " + truncation) << name;
      // 250 microseconds or nanoseconds, as the magic says
      ASSERT_FALSE(r.ts.empty());
      EXPECT_EQ(r.ts[0], TimeNs{1'700'000'000} * 1'000'000'000 + (c.magic == 0xa1b23c4d ? 250 : 250'000)) << name;
    }
}

// A read that fails past the stream's buffer (a disk error): the records before it,
// then libpcap's words for it, whether the source is read ahead or not.
TEST(PcapRecords, ReadErrorSaysSoReadAheadOrNot) {
  Buf records;
  for (uint32_t i = 0; i < 400; ++i) record(records, false, 1'700'000'000 + i, 0, 1500, 1500, 1500);
  for (bool read_ahead : {false, true}) {
    size_t pos = 0;
    auto source = [&](char* to, size_t n) -> ssize_t {
      if (pos == records.size()) {
        errno = EIO;
        return -1;
      }
      const size_t k = std::min({n, records.size() - pos, size_t{10'000}});
      std::memcpy(to, records.data() + pos, k);
      pos += k;
      return static_cast<ssize_t>(k);
    };
    char empty[1];
    std::FILE* stream = fmemopen(empty, sizeof empty, "r");  // nothing buffered: every byte comes from `source`
    ASSERT_NE(stream, nullptr);
    PcapRecords r(stream, source, false, true, read_ahead);
    PcapRecords::Record rec;
    size_t packets = 0;
    PcapRecords::Result res;
    while ((res = r.next(rec)) == PcapRecords::Result::Packet) {
      EXPECT_EQ(rec.seconds, 1'700'000'000 + packets);
      EXPECT_EQ(rec.caplen, 1500u);
      ++packets;
    }
    EXPECT_EQ(res, PcapRecords::Result::Error) << read_ahead;
    EXPECT_EQ(packets, 400u) << read_ahead;
    EXPECT_EQ(r.error(), "error reading dump file: " + std::string(std::strerror(EIO))) << read_ahead;
    EXPECT_EQ(r.reading_ahead(), read_ahead);
    std::fclose(stream);
  }
}

// Files this reader leaves to libpcap: another version, a swapped SLL header, a
// capture filter (CaptureFile with a filter), standard input.
TEST(PcapRecords, LeavesToLibpcapWhatLibpcapRewrites) {
  TempFile old_version("v23.pcap"), sll("sll-swapped.pcap"), usb("usb.pcap");
  Buf b = pcap_header(0xa1b2c3d4, false, 2, 3);
  record(b, false, 1, 2, 60, 50, 60);  // caplen > len in 2.3: libpcap may swap the two
  write_file(old_version.path, b);
  b = pcap_header(0xa1b2c3d4, true, 2, 4, DLT_LINUX_SLL);
  record(b, true, 1, 2, 60, 60, 60);
  write_file(sll.path, b);
  b = pcap_header(0xa1b2c3d4, false, 2, 4, 189 /* LINKTYPE_USB_LINUX */);
  record(b, false, 1, 2, 60, 60, 60);
  write_file(usb.path, b);
  for (const std::string& p : {old_version.path, sll.path, usb.path}) {
    EXPECT_FALSE(same_both_ways(p)) << p;
    EXPECT_EQ(read_all(p, true).data.size(), 1u) << p;
  }
  CaptureFile filtered(sll.path, "tcp");
  EXPECT_FALSE(filtered.reads_records_in_place());
  TempFile plain("plain.pcap");
  b = pcap_header(0xa1b2c3d4, false);
  record(b, false, 1, 2, 60, 60, 60);
  write_file(plain.path, b);
  EXPECT_TRUE(CaptureFile(plain.path, "").reads_records_in_place());
  EXPECT_FALSE(CaptureFile(plain.path, "tcp").reads_records_in_place());
}

}  // namespace
}  // namespace quartet::analyzer::net
