// Capture input end to end through net::run: pcap, pcapng, gzip, zstd,
// truncated files, multi-file merge, BPF filters and error messages.
#include <gtest/gtest.h>
#include <pcap/dlt.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "../support/temp_file.hpp"
#include "net/capture_reader.hpp"
#include "net/pipeline.hpp"
#include "packet_builder.hpp"
#include "recording_sink.hpp"

namespace quartet::analyzer::net {
namespace {

using namespace test;
using quartet::test::TempFile;
constexpr TimeNs kFirstTs = 1'700'000'000'123'456'789;

// Files written by the tests, removed when the test binary exits.
std::deque<TempFile> temp_files;

std::string temp_path(const std::string& name) { return temp_files.emplace_back("net_" + name).path; }

Buf eth_tcp(bool from_client, uint32_t seq, uint32_t ack, uint8_t flags, std::string_view data,
            uint16_t server_port = 3288) {
  const uint16_t sp = from_client ? 40000 : server_port;
  const uint16_t dp = from_client ? server_port : 40000;
  return ether(0x0800, ipv4(from_client ? 1 : 2, from_client ? 2 : 1, 6, tcp(sp, dp, seq, ack, flags, data)));
}

// A small exchange: handshake, request, response, FIN both ways.
std::vector<Frame> exchange(TimeNs t0 = kFirstTs, uint16_t server_port = 3288) {
  return {
      {t0, eth_tcp(true, 100, 0, 0x02, "", server_port)},
      {t0 + 1000, eth_tcp(false, 500, 101, 0x12, "", server_port)},
      {t0 + 2000, eth_tcp(true, 101, 501, 0x10, "", server_port)},
      {t0 + 3000, eth_tcp(true, 101, 501, 0x18, "request", server_port)},
      {t0 + 4000, eth_tcp(false, 501, 108, 0x18, "response", server_port)},
      {t0 + 5000, eth_tcp(true, 108, 509, 0x11, "", server_port)},
      {t0 + 6000, eth_tcp(false, 509, 109, 0x11, "", server_port)},
  };
}

struct RunResult {
  RecordingSink sink;
  CaptureStats stats;
};

std::unique_ptr<RunResult> run_on(std::vector<std::string> files, std::string filter = "") {
  auto r = std::make_unique<RunResult>();
  Options o;
  o.inputs = std::move(files);
  o.bpf_filter = std::move(filter);
  r->stats = run(o, r->sink);
  return r;
}

void expect_exchange(const RunResult& r) {
  EXPECT_EQ(r.sink.joined(), "C:request|S:response|C:fin|S:fin|close 1 Fin C");
  EXPECT_EQ(r.stats.packets, 7u);
  EXPECT_EQ(r.stats.tcp, 7u);
  EXPECT_EQ(r.stats.truncated_files, 0u);
  EXPECT_TRUE(r.sink.capture_warnings.empty());
  ASSERT_EQ(r.sink.opened.size(), 1u);
  EXPECT_EQ(r.sink.opened[0].client.ip_string(), "192.0.2.1");
  EXPECT_EQ(r.sink.opened[0].server.ip_string(), "192.0.2.2");
}

TEST(CaptureReader, PcapWithNanosecondTimestamps) {
  const std::string path = temp_path("nano.pcap");
  write_pcap(path, DLT_EN10MB, exchange());
  auto r = run_on({path});
  expect_exchange(*r);
  EXPECT_EQ(r->stats.first_ts, kFirstTs);
  EXPECT_EQ(r->stats.last_ts, kFirstTs + 6000);
  EXPECT_EQ(r->sink.opened[0].first_ts, kFirstTs);
  EXPECT_EQ(r->stats.link_types.at(DLT_EN10MB), 7u);
}

// Whether any timestamp of the run can need nanoseconds is known when the inputs are
// opened: only when every input is a classic pcap of microsecond resolution (either
// byte order, compressed or not) can none.
TEST(CaptureReader, MicrosecondsOnlyWhenEveryInputIsAMicrosecondPcap) {
  const std::string us = temp_path("us.pcap"), us2 = temp_path("us2.pcap"), ns = temp_path("ns.pcap"),
                    ng = temp_path("us.pcapng"), gz = temp_path("us.pcap.gz"), be = temp_path("us_be.pcap");
  write_pcap(us, DLT_EN10MB, exchange(), 65535, false);
  write_pcap(us2, DLT_EN10MB, exchange(kFirstTs + 1'000'000), 65535, false);
  write_pcap(ns, DLT_EN10MB, exchange());
  write_file(ng, pcapng_bytes(DLT_EN10MB, exchange()));
  {
    gzFile g = gzopen(gz.c_str(), "wb");
    const Buf raw = read_file(us);
    gzwrite(g, raw.data(), static_cast<unsigned>(raw.size()));
    gzclose(g);
  }
  {
    // The big-endian microsecond magic, written by hand: one SYN.
    const Buf frame = eth_tcp(true, 100, 0, 0x02, "");
    const auto be32 = [](Buf& b, uint32_t v) {
      for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
    };
    Buf b;
    be32(b, 0xa1b2c3d4);
    b.insert(b.end(), {0, 2, 0, 4});  // version 2.4
    be32(b, 0);
    be32(b, 0);
    be32(b, 65535);
    be32(b, DLT_EN10MB);
    be32(b, 1'700'000'000);
    be32(b, 123456);
    be32(b, static_cast<uint32_t>(frame.size()));
    be32(b, static_cast<uint32_t>(frame.size()));
    b.insert(b.end(), frame.begin(), frame.end());
    write_file(be, b);
  }
  EXPECT_TRUE(MergedReader({us}, "").microseconds_only());
  EXPECT_TRUE(MergedReader({us, us2}, "").microseconds_only());
  EXPECT_TRUE(MergedReader({gz}, "").microseconds_only());
  EXPECT_TRUE(MergedReader({be}, "").microseconds_only());
  EXPECT_FALSE(MergedReader({ns}, "").microseconds_only());
  EXPECT_FALSE(MergedReader({us, ns}, "").microseconds_only());
  EXPECT_FALSE(MergedReader({ng}, "").microseconds_only());  // a later interface may have any resolution
  EXPECT_FALSE(MergedReader({us, ng}, "").microseconds_only());
  // net::run says so once, before any packet, and only then.
  for (const auto& [files, calls] : std::vector<std::pair<std::vector<std::string>, int>>{{{us, gz}, 1}, {{ns}, 0}}) {
    test::RecordingSink sink;
    Options o;
    o.inputs = files;
    int said = 0;
    o.on_microseconds_only = [&] {
      EXPECT_TRUE(sink.opened.empty());
      ++said;
    };
    run(o, sink);
    EXPECT_EQ(said, calls);
    EXPECT_FALSE(sink.opened.empty());
  }
}

TEST(CaptureReader, Pcapng) {
  const std::string path = temp_path("x.pcapng");
  write_file(path, pcapng_bytes(DLT_EN10MB, exchange()));
  auto r = run_on({path});
  expect_exchange(*r);
  EXPECT_EQ(r->stats.first_ts, kFirstTs / 1000 * 1000);  // microsecond resolution
}

TEST(CaptureReader, GzipCompressedDetectedByContent) {
  const std::string plain = temp_path("g.pcap");
  write_pcap(plain, DLT_EN10MB, exchange());
  const Buf raw = read_file(plain);
  const std::string path = temp_path("compressed_no_suffix");
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, raw.data(), static_cast<unsigned>(raw.size()));
  gzclose(gz);
  auto r = run_on({path});
  expect_exchange(*r);
}

TEST(CaptureReader, ZstdCompressedPcapng) {
  const Buf raw = pcapng_bytes(DLT_EN10MB, exchange());
  const std::string path = temp_path("x.pcapng.zst");
  write_file(path, zstd_bytes(raw));
  auto r = run_on({path});
  expect_exchange(*r);
}

TEST(CaptureReader, TruncatedFileKeepsPacketsAndWarns) {
  const std::string plain = temp_path("t.pcap");
  write_pcap(plain, DLT_EN10MB, exchange());
  Buf raw = read_file(plain);
  // Header 24 bytes + 3 records of 16 + 54 bytes + 4th record cut in its data.
  raw.resize(24 + 3 * (16 + 54) + 16 + 10);
  const std::string path = temp_path("t_cut.pcap");
  write_file(path, raw);
  auto r = run_on({path});
  EXPECT_EQ(r->stats.packets, 3u);
  EXPECT_EQ(r->stats.truncated_files, 1u);
  ASSERT_EQ(r->sink.capture_warnings.size(), 1u);
  EXPECT_EQ(r->sink.capture_warnings[0].rfind("file " + path + " truncated after 3 packets", 0), 0u)
      << r->sink.capture_warnings[0];
  EXPECT_EQ(r->sink.joined(), "close 1 EndOfCapture C");
}

TEST(CaptureReader, TruncatedGzipKeepsPacketsAndWarns) {
  const std::string plain = temp_path("tg.pcap");
  write_pcap(plain, DLT_EN10MB, exchange());
  const Buf raw = read_file(plain);
  Buf gz = gzip_bytes(raw);
  ASSERT_GT(gz.size(), 20u);
  gz.resize(gz.size() - 20);  // lose the end of the stream
  const std::string path = temp_path("tg.pcap.gz");
  write_file(path, gz);
  auto r = run_on({path});
  EXPECT_LT(r->stats.packets, 7u);
  EXPECT_EQ(r->stats.truncated_files, 1u);
  ASSERT_FALSE(r->sink.capture_warnings.empty());
  EXPECT_NE(r->sink.capture_warnings[0].find("truncated after"), std::string::npos);
}

TEST(CaptureReader, RingBufferFilesMergeByTimestamp) {
  // Client packets in one file, server packets in another, listed in reverse.
  std::vector<Frame> all = exchange(), client, server;
  for (size_t i = 0; i < all.size(); ++i) (i == 1 || i == 4 || i == 6 ? server : client).push_back(all[i]);
  const std::string a = temp_path("ring_a.pcap"), b = temp_path("ring_b.pcap");
  write_pcap(a, DLT_EN10MB, client);
  write_pcap(b, DLT_EN10MB, server);
  MergedReader reader({b, a}, "");
  Packet p;
  std::vector<TimeNs> ts;
  std::vector<uint64_t> numbers;
  while (reader.next(p)) {
    ts.push_back(p.ts);
    numbers.push_back(p.number);
  }
  ASSERT_EQ(ts.size(), 7u);
  for (size_t i = 0; i < ts.size(); ++i) {
    EXPECT_EQ(ts[i], kFirstTs + static_cast<TimeNs>(i) * 1000);
    EXPECT_EQ(numbers[i], i + 1);
  }
  auto r = run_on({b, a});
  expect_exchange(*r);
  EXPECT_EQ(r->stats.files, 2u);
}

// A pipe given by name (/dev/stdin, a shell's <(...), a FIFO) is read once: it
// used to be opened for its first packet, closed, and opened again to be merged,
// when its bytes were gone ("unknown file format").
TEST(CaptureReader, PipeByNameIsReadOnce) {
  const auto pipe_holding = [](const Buf& bytes) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    EXPECT_EQ(write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));  // fits the pipe
    close(fds[1]);
    return fds[0];
  };
  // The ring-buffer halves again: the server's packets in a regular file, the
  // client's through a pipe, merged by timestamp.
  std::vector<Frame> all = exchange(), client, server;
  for (size_t i = 0; i < all.size(); ++i) (i == 1 || i == 4 || i == 6 ? server : client).push_back(all[i]);
  const std::string a = temp_path("pipe_a.pcap"), b = temp_path("pipe_b.pcap");
  write_pcap(a, DLT_EN10MB, client);
  write_pcap(b, DLT_EN10MB, server);
  const int fd = pipe_holding(read_file(a));
  auto r = run_on({b, "/dev/fd/" + std::to_string(fd)});
  close(fd);
  expect_exchange(*r);
  EXPECT_EQ(r->stats.files, 2u);
  // The bytes to read are known for files only: with a pipe among the inputs the
  // total is unknown (0: no progress bar), not the files' sizes, which it would pass.
  EXPECT_EQ(MergedReader({a, b}, "").total_bytes(), read_file(a).size() + read_file(b).size());
  const int fd3 = pipe_holding(read_file(a));
  EXPECT_EQ(MergedReader({b, "/dev/fd/" + std::to_string(fd3)}, "").total_bytes(), 0u);
  close(fd3);
  // A pcapng that libpcap gives up on (two link types) is read again from the
  // start with our own reader: from a pipe, from the bytes it kept.
  std::vector<Frame> eth = exchange(), sll2 = exchange(kFirstTs + 500, 4720), mixed;
  std::vector<uint32_t> iface;
  for (size_t i = 0; i < eth.size(); ++i) {
    Buf sll;
    put16(sll, 0x0800);
    sll.resize(20, 0);
    append(sll, Buf(sll2[i].data.begin() + 14, sll2[i].data.end()));
    mixed.push_back(eth[i]);
    iface.push_back(0);
    mixed.push_back({sll2[i].ts, sll});
    iface.push_back(1);
  }
  const int fd2 = pipe_holding(pcapng_multi({{DLT_EN10MB, 6}, {DLT_LINUX_SLL2, 9}}, mixed, iface));
  auto m = run_on({"/dev/fd/" + std::to_string(fd2)});
  close(fd2);
  EXPECT_TRUE(m->sink.capture_warnings.empty()) << m->sink.capture_warnings.at(0);
  EXPECT_EQ(m->stats.packets, 14u);
  ASSERT_EQ(m->sink.opened.size(), 2u);
  EXPECT_EQ(m->sink.stream[1], "responseresponse");
}

// Ctrl-C: Options::live.stop ends every input at its next read. What was read is
// decoded; a file cut there is not reported truncated, the files after it are not
// opened (they would end before their header), and the run ends as at the end.
TEST(CaptureReader, StopEndsTheInputsWithoutAFault) {
  std::vector<Frame> all = exchange();
  const std::string a = temp_path("stop_a.pcap"), b = temp_path("stop_b.pcap"), c = temp_path("stop_c.pcap");
  write_pcap(a, DLT_EN10MB, {all.begin(), all.begin() + 3});      // the handshake
  write_pcap(b, DLT_EN10MB, {all.begin() + 3, all.begin() + 5});  // request, response
  write_pcap(c, DLT_EN10MB, {all.begin() + 5, all.end()});        // the FINs
  struct StopAtOpen : RecordingSink {
    std::atomic<bool> stop{false};
    void on_open(const FlowInfo& f) override {
      RecordingSink::on_open(f);
      stop = true;  // as a signal would, while the first file is read
    }
  };
  for (const bool ahead : {false, true}) {
    StopAtOpen sink;
    Options o;
    o.inputs = {a, b, c};
    o.live.stop = &sink.stop;
    o.read_ahead = ahead;
    const CaptureStats st = run(o, sink);
    EXPECT_TRUE(st.interrupted);
    EXPECT_EQ(st.packets, 3u);  // the first file, read whole before the stop
    EXPECT_EQ(st.truncated_files, 0u);
    EXPECT_TRUE(sink.capture_warnings.empty()) << sink.capture_warnings.at(0);
    EXPECT_EQ(sink.joined(), "close 1 EndOfCapture C");
  }
  // Stopped before the run: nothing is read, and that is no error either.
  std::atomic<bool> stopped{true};
  RecordingSink none;
  Options o;
  o.inputs = {a, b, c};
  o.live.stop = &stopped;
  const CaptureStats st = run(o, none);
  EXPECT_TRUE(st.interrupted);
  EXPECT_EQ(st.packets, 0u);
  EXPECT_TRUE(none.capture_warnings.empty());
  // Not stopped: all three.
  std::atomic<bool> go{false};
  RecordingSink whole;
  o.live.stop = &go;
  const CaptureStats full = run(o, whole);
  EXPECT_FALSE(full.interrupted);
  EXPECT_EQ(full.packets, 7u);
}

// Six captures of 1.2 MB whose packets interleave in time, read ahead (as with
// --threads): the same packets in the same order as without, and at most
// kReadAheadFiles of the files are read ahead at once.
TEST(CaptureReader, OverlappingFilesReadAheadAtMostFourAtOnce) {
  constexpr size_t kFiles = 6, kFrames = 800;
  std::vector<std::string> paths;
  for (size_t k = 0; k < kFiles; ++k) {
    std::vector<Frame> frames;
    for (size_t i = 0; i < kFrames; ++i) {
      Buf data(1500);
      for (size_t j = 0; j < data.size(); ++j) data[j] = static_cast<uint8_t>(i * 31 + j + k);
      frames.push_back({kFirstTs + static_cast<TimeNs>(i * kFiles + k) * 1000, data});
    }
    paths.push_back(temp_path("overlap_" + std::to_string(k) + ".pcap"));
    write_pcap(paths.back(), DLT_EN10MB, frames);
  }
  struct Read {
    std::vector<TimeNs> ts;
    std::vector<Buf> data;
    size_t most_ahead = 0;
  };
  const auto read = [&paths](bool read_ahead) {
    Read r;
    MergedReader reader(paths, "", {}, read_ahead);
    Packet p;
    while (reader.next(p)) {
      r.ts.push_back(p.ts);
      r.data.emplace_back(reinterpret_cast<const uint8_t*>(p.data.data()),
                          reinterpret_cast<const uint8_t*>(p.data.data()) + p.data.size());
      r.most_ahead = std::max(r.most_ahead, reader.files_read_ahead());
    }
    return r;
  };
  const Read plain = read(false), ahead = read(true);
  ASSERT_EQ(plain.ts.size(), kFiles * kFrames);
  for (size_t i = 0; i < plain.ts.size(); ++i) ASSERT_EQ(plain.ts[i], kFirstTs + static_cast<TimeNs>(i) * 1000) << i;
  EXPECT_EQ(ahead.ts, plain.ts);
  EXPECT_EQ(ahead.data, plain.data);
  EXPECT_EQ(plain.most_ahead, 0u);
  EXPECT_EQ(ahead.most_ahead, MergedReader::kReadAheadFiles);
}

TEST(CaptureReader, SequentialRingFilesGiveOneSession) {
  std::vector<Frame> all = exchange();
  const std::string a = temp_path("seq_1.pcap"), b = temp_path("seq_2.pcap");
  write_pcap(a, DLT_EN10MB, {all.begin(), all.begin() + 4});
  write_pcap(b, DLT_EN10MB, {all.begin() + 4, all.end()});
  auto r = run_on({b, a});
  expect_exchange(*r);
}

TEST(CaptureReader, BpfFilterAndBadFilter) {
  std::vector<Frame> frames = exchange();
  for (Frame& f : exchange(kFirstTs + 10, 80)) frames.push_back(f);
  std::sort(frames.begin(), frames.end(), [](const Frame& x, const Frame& y) { return x.ts < y.ts; });
  const std::string path = temp_path("two_flows.pcap");
  write_pcap(path, DLT_EN10MB, frames);
  auto all = run_on({path});
  EXPECT_EQ(all->sink.opened.size(), 2u);
  auto r = run_on({path}, "tcp port 3288");
  expect_exchange(*r);
  try {
    run_on({path}, "tcp port nonsense-x");
    FAIL() << "bad filter accepted";
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": bad capture filter", 0), 0u) << e.what();
  }
}

TEST(CaptureReader, UnreadableAndUnknownFilesNameTheFile) {
  const std::string missing = temp_path("does_not_exist.pcap");
  try {
    run_on({missing});
    FAIL();
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(missing + ": ", 0), 0u) << e.what();
  }
  const std::string text = temp_path("notes.txt");
  write_file(text, Buf{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n'});
  RecordingSink sink;
  Options o;
  o.inputs = {text};
  try {
    run(o, sink);
    FAIL();
  } catch (const CaptureError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(text + ": ", 0), 0u) << e.what();
  }
  EXPECT_TRUE(sink.events.empty());  // nothing reaches the sink before the error
}

TEST(CaptureReader, UnsupportedLinkTypeNamedInOneWarning) {
  const std::string path = temp_path("wifi.pcap");
  write_pcap(path, DLT_IEEE802_11, {{kFirstTs, Buf(40, 0)}, {kFirstTs + 1, Buf(40, 0)}});
  auto r = run_on({path});
  EXPECT_EQ(r->stats.unsupported_link, 2u);
  ASSERT_EQ(r->sink.capture_warnings.size(), 1u);
  EXPECT_EQ(r->sink.capture_warnings[0].rfind("2 frames of unsupported link type IEEE802_11", 0), 0u)
      << r->sink.capture_warnings[0];
}

TEST(CaptureReader, SnaplenCutFramesBecomeGaps) {
  std::vector<Frame> f = exchange();
  f[3].wire_len = static_cast<uint32_t>(f[3].data.size());
  f[3].data.resize(f[3].data.size() - 4);  // "req" captured, "uest" cut
  const std::string path = temp_path("snap.pcap");
  write_pcap(path, DLT_EN10MB, f);
  auto r = run_on({path});
  EXPECT_EQ(r->sink.joined(), "C:req|C:gap 4|S:response|C:fin|S:fin|close 1 Fin C");
  EXPECT_EQ(r->stats.snaplen_cut, 1u);
}

TEST(CaptureReader, RecordsLongerThanTheHeaderSnaplenAreReadWhole) {
  // scapy writes classic pcap files whose records exceed the header's snaplen
  // (frames over 65535 bytes on loopback). Wireshark reads such records whole;
  // libpcap alone would cut each to the header's snaplen and invent gaps.
  std::vector<Frame> f = exchange();
  const std::string path = temp_path("oversized.pcap");
  write_pcap(path, DLT_EN10MB, f, /*snaplen=*/60);
  ASSERT_GT(f[3].data.size(), 60u);
  auto r = run_on({path});
  EXPECT_EQ(r->sink.joined(), "C:request|S:response|C:fin|S:fin|close 1 Fin C");
  EXPECT_EQ(r->stats.snaplen_cut, 0u);
  ASSERT_EQ(r->sink.capture_warnings.size(), 1u);
  const std::string& w = r->sink.capture_warnings[0];
  EXPECT_NE(w.find("2 records longer than the snapshot length in the file header (60 bytes; longest "),
            std::string::npos)
      << w;
  EXPECT_NE(w.find("read whole as Wireshark does"), std::string::npos) << w;
}

TEST(CaptureReader, FragmentedTcpSegmentOverVlanAndSll2) {
  // The request's IPv4 datagram in two fragments, on 802.1Q.
  const Buf seg = tcp(40000, 3288, 101, 501, 0x18, "request");  // 27 bytes
  const Buf frag1 = ipv4(1, 2, 6, Buf(seg.begin(), seg.begin() + 16), 42, 0x2000);
  const Buf frag2 = ipv4(1, 2, 6, Buf(seg.begin() + 16, seg.end()), 42, 2);
  std::vector<Frame> f = exchange();
  f[3].data = ether(0x0800, frag2, {0x8100, 7});
  f.insert(f.begin() + 3, Frame{kFirstTs + 2500, ether(0x0800, frag1, {0x8100, 7})});
  const std::string path = temp_path("frag.pcap");
  write_pcap(path, DLT_EN10MB, f);
  auto r = run_on({path});
  EXPECT_EQ(r->sink.stream[0], "request");
  EXPECT_EQ(r->stats.fragments.reassembled, 1u);
  // The same exchange on SLL2 (any-interface capture).
  std::vector<Frame> s = exchange();
  for (Frame& x : s) {
    Buf sll2;
    put16(sll2, 0x0800);
    sll2.resize(20, 0);
    append(sll2, Buf(x.data.begin() + 14, x.data.end()));
    x.data = sll2;
  }
  const std::string p2 = temp_path("sll2.pcap");
  write_pcap(p2, DLT_LINUX_SLL2, s);
  expect_exchange(*run_on({p2}));
}

TEST(CaptureReader, ProgressReportsBytes) {
  const std::string path = temp_path("progress.pcap");
  write_pcap(path, DLT_EN10MB, exchange());
  const uint64_t size = read_file(path).size();
  RecordingSink sink;
  Options o;
  o.inputs = {path};
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  o.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
  run(o, sink);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, size);
  EXPECT_EQ(calls.back().second, size);
}

TEST(CaptureReader, StandardInputCompressedAndSniffedWithoutSeeking) {
  const Buf raw = pcapng_bytes(DLT_EN10MB, exchange());
  Buf z(ZSTD_compressBound(raw.size()));
  z.resize(ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 3));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], z.data(), z.size()), static_cast<ssize_t>(z.size()));  // fits the pipe buffer
  close(fds[1]);
  const int saved = dup(0);
  dup2(fds[0], 0);
  close(fds[0]);
  clearerr(stdin);
  auto r = run_on({"-"});
  dup2(saved, 0);
  close(saved);
  clearerr(stdin);
  expect_exchange(*r);
}

TEST(CaptureReader, Ipv6OverBsdLoopback) {
  auto frame = [](bool c, uint32_t seq, uint32_t ack, uint8_t fl, std::string_view d) {
    Buf b;
    le32(b, 30);          // AF_INET6 (Darwin), little-endian host
    Buf chain = ext8(6);  // destination options before TCP
    append(chain, tcp(c ? 40000 : 3288, c ? 3288 : 40000, seq, ack, fl, d));
    append(b, ipv6(c ? 1 : 2, c ? 2 : 1, 60, chain));
    return b;
  };
  const std::vector<Frame> f = {
      {kFirstTs, frame(true, 100, 0, 0x02, "")},          {kFirstTs + 1, frame(false, 500, 101, 0x12, "")},
      {kFirstTs + 2, frame(true, 101, 501, 0x18, "req")}, {kFirstTs + 3, frame(false, 501, 104, 0x18, "rsp")},
      {kFirstTs + 4, frame(true, 104, 504, 0x14, "")},
  };
  const std::string path = temp_path("null6.pcap");
  write_pcap(path, DLT_NULL, f);
  auto r = run_on({path});
  EXPECT_EQ(r->sink.joined(), "C:req|S:rsp|close 1 Reset C");
  EXPECT_EQ(r->stats.ipv6, 5u);
  ASSERT_EQ(r->sink.opened.size(), 1u);
  EXPECT_EQ(r->sink.opened[0].client.ip_string(), "2001:db8::1");
  EXPECT_TRUE(r->sink.opened[0].client.v6);
}

TEST(CaptureReader, NonTcpFragmentsAreNotBuffered) {
  const Buf udp(40, 7);
  const std::vector<Frame> f = {
      {kFirstTs, ether(0x0800, ipv4(1, 2, 17, Buf(udp.begin(), udp.begin() + 16), 9, 0x2000))},
      {kFirstTs + 1, ether(0x0800, ipv4(1, 2, 17, Buf(udp.begin() + 16, udp.end()), 9, 2))},
  };
  const std::string path = temp_path("udpfrag.pcap");
  write_pcap(path, DLT_EN10MB, f);
  auto r = run_on({path});
  EXPECT_EQ(r->stats.non_tcp, 2u);
  EXPECT_EQ(r->stats.fragments.fragments, 0u);
  EXPECT_TRUE(r->sink.capture_warnings.empty());
}

// Tunnelled packets are not decapsulated: they are counted and said in one warning
// (as unsupported link types are), naming the first one; other UDP and IP traffic is not.
TEST(CaptureReader, TunnelledPacketsAreSaidNotDroppedSilently) {
  const Buf inner = ipv4(1, 2, 6, tcp(40000, 3288, 100, 0, 0x02, ""));
  auto udp_to = [](uint16_t port) {
    Buf u;
    put16(u, 50000);
    put16(u, port);
    put16(u, 16);
    put16(u, 0);
    u.resize(16, 0);
    return u;
  };
  Buf gre;
  put16(gre, 0);
  put16(gre, 0x0800);
  append(gre, inner);
  const std::vector<Frame> f = {
      {kFirstTs, ether(0x0800, ipv4(7, 8, 17, udp_to(53)))},    // DNS: not a tunnel
      {kFirstTs + 1, ether(0x0800, ipv4(7, 8, 1, Buf(8, 0)))},  // ICMP: not a tunnel
      {kFirstTs + 2, ether(0x0800, ipv4(7, 8, 47, gre))},
      {kFirstTs + 3, ether(0x0800, ipv4(7, 8, 4, inner))},
      {kFirstTs + 4, ether(0x0800, ipv4(7, 8, 17, udp_to(4789)))},
      {kFirstTs + 5, ether(0x0800, ipv4(7, 8, 17, udp_to(6081)))},
      {kFirstTs + 6, ether(0x86dd, ipv6(7, 8, 41, inner))},
      {kFirstTs + 7, ether(0x0800, ipv4(7, 8, 17, udp_to(2152)))},
      // A fragmented GRE packet: said once, for its first fragment.
      {kFirstTs + 8, ether(0x0800, ipv4(7, 8, 47, Buf(gre.begin(), gre.begin() + 16), 9, 0x2000))},
      {kFirstTs + 9, ether(0x0800, ipv4(7, 8, 47, Buf(gre.begin() + 16, gre.end()), 9, 2))},
  };
  const std::string path = temp_path("tunnels.pcap");
  write_pcap(path, DLT_EN10MB, f);
  auto r = run_on({path});
  EXPECT_EQ(r->stats.non_tcp, 10u);
  EXPECT_EQ(r->stats.tcp, 0u);
  ASSERT_EQ(r->sink.capture_warnings.size(), 1u);
  EXPECT_EQ(
      r->sink.capture_warnings[0].rfind("7 packets inside tunnels (IP in IP, GRE, VXLAN, Geneve, GTP-U) skipped", 0),
      0u)
      << r->sink.capture_warnings[0];
  EXPECT_NE(r->sink.capture_warnings[0].find("(first: frame 3: GRE)"), std::string::npos)
      << r->sink.capture_warnings[0];

  // Only the non-tunnel ones: no warning.
  const std::string plain = temp_path("no-tunnels.pcap");
  write_pcap(plain, DLT_EN10MB, {f[0], f[1]});
  auto q = run_on({plain});
  EXPECT_EQ(q->stats.non_tcp, 2u);
  EXPECT_TRUE(q->sink.capture_warnings.empty());
}

// libpcap refuses pcapng files whose interfaces have different link types;
// the analyzer reads them with its own pcapng reader.
TEST(CaptureReader, PcapngWithMixedLinkTypesPerInterface) {
  std::vector<Frame> eth = exchange();                       // on Ethernet, interface 0
  std::vector<Frame> sll2 = exchange(kFirstTs + 500, 4720);  // on SLL2, interface 1
  for (Frame& x : sll2) {
    Buf b;
    put16(b, 0x0800);
    b.resize(20, 0);
    append(b, Buf(x.data.begin() + 14, x.data.end()));
    x.data = b;
  }
  std::vector<Frame> all;
  std::vector<uint32_t> iface;
  for (size_t i = 0; i < eth.size(); ++i) {
    all.push_back(eth[i]);
    iface.push_back(0);
    all.push_back(sll2[i]);
    iface.push_back(1);
  }
  const std::string path = temp_path("mixed.pcapng");
  write_file(path, pcapng_multi({{DLT_EN10MB, 6}, {DLT_LINUX_SLL2, 9}}, all, iface));
  auto r = run_on({path});
  EXPECT_TRUE(r->sink.capture_warnings.empty()) << r->sink.capture_warnings.at(0);
  EXPECT_EQ(r->stats.packets, 14u);
  EXPECT_EQ(r->stats.link_types.at(DLT_EN10MB), 7u);
  EXPECT_EQ(r->stats.link_types.at(DLT_LINUX_SLL2), 7u);
  ASSERT_EQ(r->sink.opened.size(), 2u);
  EXPECT_EQ(r->sink.opened[0].first_ts, kFirstTs / 1000 * 1000);  // microsecond interface
  EXPECT_EQ(r->sink.opened[1].first_ts, kFirstTs + 500);          // nanosecond interface
  EXPECT_EQ(r->sink.stream[0], "requestrequest");
  EXPECT_EQ(r->sink.stream[1], "responseresponse");
  // Standard input cannot be reopened: its start is replayed instead.
  const Buf bytes = read_file(path);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fds[1]);
  const int saved = dup(0);
  dup2(fds[0], 0);
  close(fds[0]);
  clearerr(stdin);
  auto in = run_on({"-"});
  dup2(saved, 0);
  close(saved);
  clearerr(stdin);
  EXPECT_TRUE(in->sink.capture_warnings.empty());
  EXPECT_EQ(in->stats.packets, 14u);
  EXPECT_EQ(in->sink.stream[1], "responseresponse");
  // The BPF filter still applies, per interface link type.
  auto f = run_on({path}, "tcp port 4720");
  EXPECT_EQ(f->stats.packets, 7u);
  EXPECT_EQ(f->stats.link_types.at(DLT_LINUX_SLL2), 7u);
  // Damage after the first packets is a truncation warning, as with libpcap.
  Buf cut = read_file(path);
  cut.resize(cut.size() - 30);
  const std::string cut_path = temp_path("mixed_cut.pcapng");
  write_file(cut_path, cut);
  auto c = run_on({cut_path});
  EXPECT_EQ(c->stats.packets, 13u);
  ASSERT_EQ(c->sink.capture_warnings.size(), 1u);
  EXPECT_EQ(c->sink.capture_warnings[0].rfind("file " + cut_path + " truncated after 13 packets", 0), 0u)
      << c->sink.capture_warnings[0];
}

}  // namespace
}  // namespace quartet::analyzer::net
