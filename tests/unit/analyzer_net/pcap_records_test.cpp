// Classic pcap records and pcapng blocks read in place (PcapRecords, PcapngBlocks)
// against libpcap's pcap_next_ex: every sample capture, every capture input of the
// fuzz corpus and hand-made files, whole and damaged, give the same packets,
// timestamps, lengths and truncation words both ways.
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "../support/temp_file.hpp"
#include "net/capture_reader.hpp"
#include "net/pcap_records.hpp"
#include "net/pcapng_blocks.hpp"
#include "packet_builder.hpp"

namespace quartet::analyzer::net {
namespace {

using namespace test;
using quartet::test::TempFile;
namespace fs = std::filesystem;

struct Read {
  std::vector<TimeNs> ts;
  std::vector<Buf> data;
  std::vector<uint32_t> wire_len;
  std::vector<int> linktype;
  std::string truncation;
  std::vector<std::string> notices;
  bool in_place = false;
  bool in_place_to_end = false;  // ... and not handed back to libpcap on the way (PcapngBlocks' Fallback)
  bool read_ahead = false;       // a thread read the file ahead (ReadAhead)
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
  r.in_place_to_end = f.reads_records_in_place();
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
// True when it was read in place (`ahead`: whether a thread read it ahead;
// `to_end`: whether in place to its end).
bool same_both_ways(const std::string& path, bool* ahead = nullptr, bool* to_end = nullptr) {
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
    if (to_end) *to_end = mine->in_place_to_end;
    in_place = mine->in_place;
  }
  return in_place;
}

Buf frame_of(size_t n, uint8_t seed) {
  Buf b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}

TEST(PcapRecords, SampleCapturesReadTheSameAsLibpcap) {
  size_t files = 0, classic = 0, ng = 0;
  for (const auto& e : fs::recursive_directory_iterator(QUARTET_CAPTURES_DIR)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.find(".pcap") == std::string::npos) continue;
    ++files;
    bool to_end = false;
    if (!same_both_ways(e.path().string(), nullptr, &to_end)) continue;
    // Only a cut file and one of interfaces of different link types (which libpcap
    // gives up on, for quartet's own reader) are handed back to libpcap on the way.
    EXPECT_EQ(to_end, name != "sp-large-cut.pcapng" && name != "multi-interface.pcapng") << name;
    (name.find(".pcapng") != std::string::npos ? ng : classic) += 1;
  }
  std::printf("%zu sample captures (and goldens), read in place: %zu classic, %zu pcapng\n", files, classic, ng);
  EXPECT_GT(files, 100u);
  EXPECT_GE(classic, 30u);  // every classic one
  EXPECT_GE(ng, 26u);       // every pcapng one, compressed ones too
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

// A pcapng file built block by block, in either byte order.
struct Pcapng {
  bool big_endian = false;
  Buf b;
  void w16(Buf& x, uint16_t v) const { big_endian ? put16(x, v) : le16(x, v); }
  void w32(Buf& x, uint32_t v) const { big_endian ? put32(x, v) : le32(x, v); }
  Buf u64(uint64_t v) const {
    Buf x;
    if (big_endian) {
      put32(x, static_cast<uint32_t>(v >> 32));
      put32(x, static_cast<uint32_t>(v));
    } else {
      le32(x, static_cast<uint32_t>(v));
      le32(x, static_cast<uint32_t>(v >> 32));
    }
    return x;
  }
  // `trailer`, when not 0, is the length the block's trailer claims.
  void block(uint32_t type, Buf body, uint32_t trailer = 0) {
    body.resize(body.size() + (4 - body.size() % 4) % 4, 0);
    const auto len = static_cast<uint32_t>(12 + body.size());
    w32(b, type);
    w32(b, len);
    append(b, body);
    w32(b, trailer ? trailer : len);
  }
  void section() {
    Buf x;
    w32(x, 0x1A2B3C4D);
    w16(x, 1);
    w16(x, 0);
    w32(x, 0xffffffff);
    w32(x, 0xffffffff);
    block(0x0A0D0D0A, x);
  }
  void interface(uint16_t linktype, uint32_t snaplen, const std::vector<std::pair<uint16_t, Buf>>& options = {}) {
    Buf x;
    w16(x, linktype);
    w16(x, 0);
    w32(x, snaplen);
    for (const auto& [code, v] : options) {
      w16(x, code);
      w16(x, static_cast<uint16_t>(v.size()));
      append(x, v);
      x.resize(x.size() + (4 - v.size() % 4) % 4, 0);
    }
    if (!options.empty()) x.resize(x.size() + 4, 0);  // opt_endofopt
    block(1, x);
  }
  void enhanced(uint32_t iface, uint64_t ticks, const Buf& data, const Buf& options = {}) {
    Buf x;
    w32(x, iface);
    w32(x, static_cast<uint32_t>(ticks >> 32));
    w32(x, static_cast<uint32_t>(ticks));
    w32(x, static_cast<uint32_t>(data.size()));
    w32(x, static_cast<uint32_t>(data.size() + 4));
    append(x, data);
    x.resize(x.size() + (4 - data.size() % 4) % 4, 0);
    append(x, options);
    block(6, x);
  }
  void simple(uint32_t len, const Buf& data) {
    Buf x;
    w32(x, len);
    append(x, data);
    block(3, x);
  }
  void obsolete_packet(uint16_t iface, uint64_t ticks, const Buf& data) {
    Buf x;
    w16(x, iface);
    w16(x, 3);  // drops
    w32(x, static_cast<uint32_t>(ticks >> 32));
    w32(x, static_cast<uint32_t>(ticks));
    w32(x, static_cast<uint32_t>(data.size()));
    w32(x, static_cast<uint32_t>(data.size()));
    append(x, data);
    block(2, x);
  }
};

constexpr uint16_t kTsresol = 9, kTsoffset = 14;

// A file with every kind of block libpcap reads or skips, interfaces of every time
// stamp resolution it scales (and an offset), options, and more than a buffer of
// packets: read in place to its end, the same as libpcap, in both byte orders.
TEST(PcapngBlocks, EveryBlockKindReadsTheSameAsLibpcap) {
  for (bool big_endian : {false, true}) {
    Pcapng n{big_endian, {}};
    n.section();
    n.interface(DLT_EN10MB, 262144, {{kTsresol, Buf{9}}});
    n.block(4, Buf(8, 0));            // name resolution
    n.block(0x00000BAD, Buf(20, 7));  // custom
    n.block(0x0000000A, Buf(64, 1));  // decryption secrets (no key log: skipped)
    Buf comment;
    n.w16(comment, 1);  // opt_comment
    n.w16(comment, 5);
    append(comment, std::string_view("hello"));
    comment.resize(comment.size() + 3 + 4, 0);
    n.enhanced(0, 1'700'000'000'123'456'789, frame_of(60, 1), comment);
    n.simple(100, frame_of(100, 2));
    n.simple(70'000, frame_of(70'000, 3));
    n.obsolete_packet(0, 1'700'000'001'000'000'000, frame_of(80, 4));
    n.interface(DLT_EN10MB, 0, {{kTsresol, Buf{3}}, {kTsoffset, n.u64(100)}});  // milliseconds, +100 s
    n.enhanced(1, 1'700'000'002'345, frame_of(61, 5));
    n.interface(DLT_EN10MB, 262144, {{kTsresol, Buf{0x80 | 20}}});  // 2^-20 s
    n.enhanced(2, (uint64_t{1'700'000'003} << 20) + 12345, frame_of(62, 6));
    n.interface(DLT_EN10MB, 0x8000'0005, {{kTsresol, Buf{12}}});  // picoseconds; snaplen past INT_MAX: 262,144
    n.enhanced(3, 1'000'000'987'654'321'000, frame_of(63, 7));    // 1970: picoseconds of today overflow 64 bits
    n.block(5, Buf(24, 0));                                       // interface statistics
    n.simple(300'000, frame_of(300'000, 8));                      // longer than the snapshot length: cut to it
    n.obsolete_packet(1, 1'700'000'006'789, frame_of(64, 9));     // milliseconds, +100 s
    for (int i = 0; i < 1000; ++i)
      n.enhanced(i % 4, 1'700'000'005'000'000'000 + i, frame_of(1514, static_cast<uint8_t>(i)));
    TempFile f(big_endian ? "every-be.pcapng" : "every.pcapng");
    write_file(f.path, n.b);
    bool to_end = false;
    EXPECT_TRUE(same_both_ways(f.path, nullptr, &to_end)) << big_endian;
    EXPECT_TRUE(to_end) << big_endian;
    const Read r = read_all(f.path, true);
    ASSERT_EQ(r.data.size(), 1009u);
    EXPECT_EQ(r.data[2], frame_of(70'000, 3));
    EXPECT_EQ(r.wire_len[0], 64u);
    EXPECT_EQ(r.ts[0], TimeNs{1'700'000'000'123'456'789});
    EXPECT_EQ(r.ts[4], TimeNs{1'700'000'102'345'000'000});  // milliseconds, plus the offset
    EXPECT_EQ(r.ts[5], TimeNs{1'700'000'003'000'000'000} + static_cast<TimeNs>(12345 * 1'000'000'000ull >> 20));
    EXPECT_EQ(r.ts[6], TimeNs{1'000'000'987'654'321});
    EXPECT_EQ(r.data[7].size(), 262'144u);
    EXPECT_EQ(r.wire_len[7], 300'000u);
    EXPECT_EQ(r.ts[8], TimeNs{1'700'000'106'789'000'000});
    EXPECT_EQ(r.truncation, "");
  }
}

// libpcap replaces an interface's snapshot length only when it is 0 or past INT_MAX
// (pcap_adjust_snapshot), so one of 300,000 or 1,000,000 after one of 262,144 is
// refused, and quartet's own pcapng reader takes over. Read in place, such an
// interface was taken as one of 262,144 (a fuzzer found it): the packets after it
// were handed out in place, and when a later fault left the rest to libpcap, libpcap
// stopped before them. Now the interface itself is left to libpcap.
TEST(PcapngBlocks, AnInterfaceOfAnotherSnapshotLengthAsLibpcapAdjustsIt) {
  for (uint32_t snaplen : {300'000u, 1'000'000u, 0x8000'0005u}) {
    for (bool fault_after : {false, true}) {
      const std::string name = std::to_string(snaplen) + (fault_after ? ", then a lying trailer" : "");
      Pcapng n;
      n.section();
      n.interface(DLT_EN10MB, 262144);
      n.enhanced(0, 1'700'000'000'000'000'000, frame_of(60, 1));
      n.interface(DLT_EN10MB, snaplen);
      n.enhanced(1, 1'700'000'001'000'000'000, frame_of(61, 2));
      n.enhanced(0, 1'700'000'002'000'000'000, frame_of(62, 3));
      if (fault_after) n.block(6, Buf(40, 0), 44);
      TempFile f("snaplen.pcapng");
      write_file(f.path, n.b);
      bool to_end = false;
      EXPECT_TRUE(same_both_ways(f.path, nullptr, &to_end)) << name;
      // Past INT_MAX, libpcap reads it as 262,144 too: in place to the end, unless a fault follows.
      EXPECT_EQ(to_end, snaplen > 0x7fff'ffffu && !fault_after) << name;
      // libpcap does not check a block's trailer: it hands out the last block too.
      EXPECT_EQ(read_all(f.path, true).data.size(), fault_after ? 4u : 3u) << name;
    }
  }
}

// Whatever this reader leaves to libpcap on the way (a fault, a new section, a block
// too large to read in place, an interface libpcap refuses) reads the same both ways,
// after one packet and after 1,000 (past the first reads).
TEST(PcapngBlocks, WhatItLeavesToLibpcapReadsTheSame) {
  struct Case {
    const char* name;
    void (*tail)(Pcapng&);
  };
  const Case cases[] = {
      {"lying trailer", [](Pcapng& n) { n.block(6, Buf(40, 0), 44); }},
      {"short block",
       [](Pcapng& n) {
         n.w32(n.b, 6);
         n.w32(n.b, 8);
       }},
      {"length not a multiple of 4",
       [](Pcapng& n) {
         n.w32(n.b, 6);
         n.w32(n.b, 50);
         n.b.resize(n.b.size() + 42, 0);
       }},
      {"caplen over the snapshot", [](Pcapng& n) { n.enhanced(0, 5, frame_of(9000, 1)); }},
      {"unknown interface", [](Pcapng& n) { n.enhanced(7, 5, frame_of(60, 1)); }},
      {"data past the block",
       [](Pcapng& n) {
         Buf x;
         for (uint32_t v : {0u, 0u, 5u, 200u, 200u}) n.w32(x, v);
         append(x, frame_of(40, 1));
         n.block(6, x);
       }},
      {"interface of another link type",
       [](Pcapng& n) {
         n.interface(DLT_RAW, 8192);
         n.enhanced(1, 5, frame_of(60, 1));
       }},
      {"interface of another snapshot length",
       [](Pcapng& n) {
         n.interface(DLT_EN10MB, 100);
         n.enhanced(1, 5, frame_of(60, 1));
       }},
      {"interface option libpcap refuses",
       [](Pcapng& n) {
         n.interface(DLT_EN10MB, 8192, {{kTsresol, Buf{6, 6}}});
         n.enhanced(1, 5, frame_of(60, 1));
       }},
      {"new section",
       [](Pcapng& n) {
         n.section();
         n.interface(DLT_EN10MB, 8192, {{kTsresol, Buf{9}}});
         n.enhanced(0, 5, frame_of(60, 1));
       }},
      {"block over kMaxBlock",
       [](Pcapng& n) {
         n.block(0x00000BAD, Buf(PcapngBlocks::kMaxBlock, 3));
         n.enhanced(0, 5, frame_of(60, 1));
       }},
      {"cut block",
       [](Pcapng& n) {
         n.enhanced(0, 5, frame_of(60, 1));
         n.b.resize(n.b.size() - 10);
       }},
  };
  for (const Case& c : cases)
    for (size_t before : {size_t{1}, size_t{1000}}) {
      const std::string name = std::string(c.name) + " after " + std::to_string(before);
      Pcapng n;
      n.section();
      n.interface(DLT_EN10MB, 8192);
      for (size_t i = 0; i < before; ++i) n.enhanced(0, 1'700'000'000'000'000 + i, frame_of(1500, 2));
      c.tail(n);
      TempFile f("left.pcapng");
      write_file(f.path, n.b);
      bool to_end = true;
      EXPECT_TRUE(same_both_ways(f.path, nullptr, &to_end)) << name;
      EXPECT_FALSE(to_end) << name;
      EXPECT_GE(read_all(f.path, true).data.size(), before) << name;
    }
}

// A file cut at every byte after its first interface: the same both ways.
TEST(PcapngBlocks, CutAnywhereReadsTheSame) {
  Pcapng n;
  n.section();
  n.interface(DLT_EN10MB, 262144, {{kTsresol, Buf{9}}});
  const size_t start = n.b.size();
  n.enhanced(0, 1, frame_of(60, 1));
  n.simple(30, frame_of(30, 2));
  n.block(4, Buf(8, 0));
  n.enhanced(0, 2, frame_of(61, 3));
  TempFile f("cut.pcapng");
  size_t in_place = 0;
  for (size_t size = start; size <= n.b.size(); ++size) {
    write_file(f.path, Buf(n.b.begin(), n.b.begin() + static_cast<std::ptrdiff_t>(size)));
    in_place += same_both_ways(f.path);
  }
  EXPECT_EQ(in_place, n.b.size() - start + 1);
}

// A read that fails: the packets before it, then Fallback (libpcap reads the file
// again and says what it meets).
TEST(PcapngBlocks, ReadErrorFallsBack) {
  Pcapng n;
  for (uint32_t i = 0; i < 300; ++i) n.enhanced(0, 1'700'000'000'000'000 + i, frame_of(1500, 1));
  size_t pos = 0;
  auto source = [&](char* to, size_t want) -> ssize_t {
    if (pos == n.b.size()) {
      errno = EIO;
      return -1;
    }
    const size_t k = std::min({want, n.b.size() - pos, size_t{10'000}});
    std::memcpy(to, n.b.data() + pos, k);
    pos += k;
    return static_cast<ssize_t>(k);
  };
  char empty[1];
  std::FILE* stream = fmemopen(empty, sizeof empty, "r");
  ASSERT_NE(stream, nullptr);
  PcapngBlocks blocks(stream, source, PcapngBlocks::Start{}, DLT_EN10MB, 262144);
  PcapngBlocks::Record rec;
  size_t packets = 0;
  PcapngBlocks::Result res;
  while ((res = blocks.next(rec)) == PcapngBlocks::Result::Packet) {
    EXPECT_EQ(rec.seconds, 1'700'000'000);  // microseconds: the default resolution
    EXPECT_EQ(rec.nanoseconds, static_cast<int64_t>(packets) * 1000);
    EXPECT_EQ(rec.data.size(), 1500u);
    ++packets;
  }
  EXPECT_EQ(res, PcapngBlocks::Result::Fallback);
  EXPECT_EQ(packets, 300u);
  std::fclose(stream);
}

TEST(PcapngBlocks, ReadStartFindsTheFirstInterface) {
  Pcapng n{true, {}};
  n.section();
  n.block(4, Buf(8, 0));
  n.interface(DLT_EN10MB, 262144, {{kTsresol, Buf{9}}, {kTsoffset, n.u64(7)}});
  const size_t end = n.b.size();
  n.enhanced(0, 1, frame_of(60, 1));
  const std::optional<PcapngBlocks::Start> s = PcapngBlocks::read_start(std::as_bytes(std::span(n.b)));
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->swapped);
  EXPECT_EQ(s->first.tsresol, 1'000'000'000u);
  EXPECT_EQ(s->first.tsoffset, 7u);
  EXPECT_EQ(s->end, end);
  // A packet before any interface: libpcap refuses the file, and so does this.
  Pcapng bad;
  bad.section();
  bad.enhanced(0, 1, frame_of(60, 1));
  bad.interface(DLT_EN10MB, 262144);
  TempFile f("start.pcapng");
  write_file(f.path, bad.b);
  EXPECT_FALSE(PcapngBlocks::read_start(std::as_bytes(std::span(bad.b))).has_value());
  EXPECT_FALSE(try_read_all(f.path, true).has_value());
}

// Compressed files are read in place from the decompressed stream, and their damage
// (a cut gzip member, a cut zstd frame, corrupt data) reads the same both ways.
TEST(PcapngBlocks, CompressedFilesReadTheSame) {
  Pcapng n;
  n.section();
  n.interface(DLT_EN10MB, 262144, {{kTsresol, Buf{9}}});
  for (int i = 0; i < 2000; ++i) n.enhanced(0, 1'700'000'000'000'000'000 + i, frame_of(700 + i % 800, 5));
  TempFile gz("whole.pcapng.gz"), zst("whole.pcapng.zst");
  write_file(gz.path, gzip_bytes(n.b));
  write_file(zst.path, zstd_bytes(n.b));
  for (const std::string& p : {gz.path, zst.path}) {
    bool to_end = false;
    EXPECT_TRUE(same_both_ways(p, nullptr, &to_end)) << p;
    EXPECT_TRUE(to_end) << p;
    EXPECT_EQ(read_all(p, true).data.size(), 2000u) << p;
  }
  for (const Buf& whole : {gzip_bytes(n.b), zstd_bytes(n.b)}) {
    for (size_t cut : {whole.size() / 3, whole.size() - 5}) {
      TempFile f("cut.pcapng.z");
      write_file(f.path, Buf(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)));
      // Cut in a block (libpcap reads it again) or only in the trailer (every block there).
      EXPECT_TRUE(same_both_ways(f.path)) << cut;
      EXPECT_NE(read_all(f.path, true).truncation, "") << cut;
    }
    Buf corrupt = whole;
    for (size_t i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i) corrupt[i] ^= 0x5A;
    TempFile f("corrupt.pcapng.z");
    write_file(f.path, corrupt);
    EXPECT_TRUE(same_both_ways(f.path));
  }
}

// Files it leaves to libpcap whole: a capture filter, a swapped SLL header.
TEST(PcapngBlocks, LeavesToLibpcapWhatLibpcapRewrites) {
  Pcapng n{true, {}};
  n.section();
  n.interface(DLT_LINUX_SLL, 262144);
  n.enhanced(0, 1, frame_of(60, 1));
  TempFile sll("sll-swapped.pcapng"), plain("plain.pcapng");
  write_file(sll.path, n.b);
  EXPECT_FALSE(same_both_ways(sll.path));
  n = Pcapng{};
  n.section();
  n.interface(DLT_EN10MB, 262144);
  n.enhanced(0, 1, frame_of(60, 1));
  write_file(plain.path, n.b);
  EXPECT_TRUE(CaptureFile(plain.path, "").reads_records_in_place());
  EXPECT_FALSE(CaptureFile(plain.path, "tcp").reads_records_in_place());
}

}  // namespace
}  // namespace quartet::analyzer::net
