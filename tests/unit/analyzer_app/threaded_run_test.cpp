// --threads against one thread where the output depends on the moment sessions are
// written: with a small bound on finished sessions waiting behind an open one, they
// are written early (out of first-packet order), and both runs must do so at the
// same moments. (tests/e2e/analyzer/threads_test.py compares whole runs of quartet.)
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <filesystem>
#include <optional>

#include "../analyzer_net/packet_builder.hpp"
#include "../support/temp_file.hpp"
#include "analyzer_sink.hpp"
#include "net/pipeline.hpp"
#include "sink_harness.hpp"
#include "threaded_run.hpp"
#include "tls/keylog.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

// `share`: how many of every 64 connections the reader decodes itself (FlowSpread),
// else what it measures; with a share, `narrow`: the decoding threads the rest go to
// (at most all of them). `keylog`: a key log file to load.
std::string run(const std::vector<std::string>& inputs, OutputFormat format, unsigned threads, size_t max_waiting,
                uint64_t* quiet_bytes = nullptr, std::optional<unsigned> share = std::nullopt,
                const std::string& keylog = "", size_t narrow = SIZE_MAX) {
  AppOptions opt;
  opt.format = format;
  tls::KeyLog keys;
  if (!keylog.empty()) {
    tls::KeyLogStats stats;
    std::string error;
    EXPECT_TRUE(keys.add_file(keylog, stats, error)) << error;
  }
  opt.keylog = &keys;
  harness::MemFile mem;
  auto writer = format == OutputFormat::Jsonl ? make_jsonl_writer(mem.f, opt) : make_text_writer(mem.f, opt);
  net::Options n;
  n.inputs = inputs;
  if (threads == 1) {
    n.on_secrets = [&keys](std::string_view text) { keys.add_text(text); };  // as main does
    Analyzer a(opt, *writer);
    a.set_max_waiting_entries(max_waiting);
    const net::CaptureStats st = net::run(n, a);
    a.finish();
    if (quiet_bytes) *quiet_bytes = st.tcp_stats.quiet_bytes;
  } else {
    ThreadedAnalyzer t(opt, *writer, mem.f, threads, keys);
    t.set_max_waiting_entries(max_waiting);
    if (share) t.fix_reader_share(*share, narrow);
    const net::CaptureStats st = t.run(n);
    t.finish();
    if (quiet_bytes) *quiet_bytes = st.tcp_stats.quiet_bytes;
  }
  return mem.text();
}

std::string run(const std::string& capture, OutputFormat format, unsigned threads, size_t max_waiting) {
  return run(std::vector<std::string>{std::string(QUARTET_CAPTURES_DIR) + "/" + capture}, format, threads, max_waiting);
}

TEST(ThreadedRun, WritesEarlyAtTheSameMomentsAsOneThread) {
  bool early = false;
  for (const char* capture :
       {"demo.pcapng", "messy/multi-interface.pcapng", "sp/sp-pubsub.pcap", "cops/pcmm-gates.pcapng"}) {
    for (size_t max_waiting : {size_t{0}, size_t{5}, size_t{40}}) {
      for (OutputFormat format : {OutputFormat::Jsonl, OutputFormat::Text}) {
        const std::string one = run(capture, format, 1, max_waiting);
        ASSERT_FALSE(one.empty()) << capture;
        for (unsigned threads : {2u, 3u}) EXPECT_EQ(run(capture, format, threads, max_waiting), one) << capture;
        if (format == OutputFormat::Jsonl) early = early || one.find("\"written_early\":0,") == std::string::npos;
      }
    }
  }
  EXPECT_TRUE(early) << "no capture had a session written early: the test does not test it";
}

// The reader decodes a share of the connections itself (FlowSpread): whatever the
// share, the output is one thread's, on every sample capture (with its key log),
// with sessions written early or not.
TEST(ThreadedRun, SameOutputWhateverShareTheReaderDecodes) {
  size_t captures = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(QUARTET_CAPTURES_DIR)) {
    const std::string path = entry.path().string();
    if (entry.path().parent_path().filename() == "golden") continue;
    if (!path.ends_with(".pcap") && !path.ends_with(".pcapng") && !path.ends_with(".zst") && !path.ends_with(".gz"))
      continue;
    std::filesystem::path keys = entry.path();
    while (keys.has_extension() && keys.extension() != ".pcap" && keys.extension() != ".pcapng")
      keys.replace_extension();
    keys.replace_extension(".keys");
    const std::string keylog = std::filesystem::exists(keys) ? keys.string() : "";
    ++captures;
    for (size_t max_waiting : {size_t{3}, size_t{100000}}) {
      const std::string one = run({path}, OutputFormat::Jsonl, 1, max_waiting, nullptr, std::nullopt, keylog);
      // The rest on every thread, or (while the reader takes a share) on fewer.
      for (unsigned share : {0u, 1u, 3u, 16u, 64u})
        for (unsigned threads : {2u, 3u})
          for (size_t narrow : {size_t{threads}, size_t{threads - 1}})
            EXPECT_EQ(run({path}, OutputFormat::Jsonl, threads, max_waiting, nullptr, share, keylog, narrow), one)
                << path << " share " << share << " threads " << threads << " narrow " << narrow << " max waiting "
                << max_waiting;
    }
    const std::string text = run({path}, OutputFormat::Text, 1, 100000, nullptr, std::nullopt, keylog);
    EXPECT_EQ(run({path}, OutputFormat::Text, 2, 100000, nullptr, 32u, keylog, 1), text) << path;
  }
  EXPECT_GE(captures, 50u);
}

// Many connections, so that the reader's own batches fill up and go out many times
// over the run (the sample captures fit in one): 600 COPS connections, each a
// handshake, a keep-alive each way and the FINs, eight overlapping at a time.
TEST(ThreadedRun, SameOutputWhateverShareTheReaderDecodesManyConnections) {
  using namespace analyzer::test;
  const quartet::test::TempFile path_file("threads_many.pcap");
  const std::string& path = path_file.path;
  const auto seg = [](int c, bool from_client, uint32_t seq, uint32_t ack, uint8_t flags, std::string_view data) {
    const auto port = static_cast<uint16_t>(20000 + c);
    const auto host = static_cast<uint8_t>(10 + c % 200);
    return ether(0x0800, ipv4(from_client ? host : 2, from_client ? 2 : host, 6,
                              tcp(from_client ? port : 3288, from_client ? 3288 : port, seq, ack, flags, data)));
  };
  const std::string ka("\x10\x09\x00\x00\x00\x00\x00\x08", 8);
  constexpr int kConnections = 600, kOverlap = 8;
  TimeNs t = 1'700'000'000'000'000'000;
  std::vector<Frame> frames;
  for (int step = 0; step < kConnections + kOverlap; ++step) {
    if (step < kConnections) {  // connection `step` opens and asks
      frames.push_back({t += 1000, seg(step, true, 100, 0, 0x02, "")});
      frames.push_back({t += 1000, seg(step, false, 500, 101, 0x12, "")});
      frames.push_back({t += 1000, seg(step, true, 101, 501, 0x18, ka)});
    }
    if (const int c = step - kOverlap; c >= 0) {  // connection `c` answers and ends
      frames.push_back({t += 1000, seg(c, false, 501, 109, 0x18, ka)});
      frames.push_back({t += 1000, seg(c, true, 109, 509, 0x11, "")});
      frames.push_back({t += 1000, seg(c, false, 509, 110, 0x11, "")});
    }
  }
  write_pcap(path, DLT_EN10MB, frames, 65535, false);
  for (OutputFormat format : {OutputFormat::Jsonl, OutputFormat::Text}) {
    const std::vector<std::string> inputs = {path};
    const std::string one = run(inputs, format, 1, 100000);
    ASSERT_NE(one.find("COPS"), std::string::npos);
    for (unsigned share : {0u, 16u, 32u, 64u})
      for (unsigned threads : {2u, 3u})
        for (size_t narrow = 1; narrow <= threads; ++narrow)
          EXPECT_EQ(run(inputs, format, threads, 100000, nullptr, share, "", narrow), one)
              << "share " << share << " threads " << threads << " narrow " << narrow;
  }
}

// The bytes of a connection that is not ours are only counted once it is known not
// to be ours: with one thread at once, with more once its worker has told the
// reader (which until then copies them into the worker's batches). A timestamp
// that is not a whole microsecond still reaches the sink: it turns the output to
// nine decimals, the same with any number of threads.
TEST(ThreadedRun, BytesOfConnectionsNotOursAreOnlyCounted) {
  using namespace analyzer::test;
  const quartet::test::TempFile bulk_file("threads_bulk.pcap");
  const std::string& bulk = bulk_file.path;
  const auto seg = [](bool from_client, uint32_t seq, uint32_t ack, uint8_t flags, std::string_view data) {
    const uint16_t sp = from_client ? 41000 : 80, dp = from_client ? 80 : 41000;
    return ether(0x0800, ipv4(from_client ? 7 : 8, from_client ? 8 : 7, 6, tcp(sp, dp, seq, ack, flags, data)));
  };
  constexpr uint32_t kSegments = 6000;
  for (bool nanoseconds : {false, true}) {
    TimeNs t = 1'700'000'000'000'000'000;
    std::vector<Frame> frames = {{t, seg(true, 100, 0, 0x02, "")},
                                 {t += 1000, seg(false, 500, 101, 0x12, "")},
                                 {t += 1000, seg(true, 101, 501, 0x18, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")}};
    const uint32_t client_next = 101 + 32;
    const std::string body(1400, 'h');
    uint32_t seq = 501;
    frames.push_back(
        {t += 1000, seg(false, seq, client_next, 0x18, "HTTP/1.1 200 OK\r\nContent-Length: 8400000\r\n\r\n")});
    seq += 47;
    uint64_t only_counted = 0;  // what is not handed over once the connection is known not ours
    for (uint32_t i = 0; i < kSegments; ++i, seq += 1400) {  // 1.1 µs apart
      frames.push_back({t += 1100, seg(false, seq, client_next, 0x10, body)});
      if (!nanoseconds || t % 1000 == 0) only_counted += body.size();  // a µs pcap keeps whole microseconds
    }
    frames.push_back({t += 1000, seg(false, seq, client_next, 0x11, "")});
    frames.push_back({t += 1000, seg(true, client_next, seq + 1, 0x11, "")});
    write_pcap(bulk, DLT_EN10MB, frames, 65535, nanoseconds);
    const std::vector<std::string> inputs = {std::string(QUARTET_CAPTURES_DIR) + "/cops/cops-rsvp.pcap", bulk};
    for (OutputFormat format : {OutputFormat::Jsonl, OutputFormat::Text}) {
      uint64_t quiet_one = 0, quiet_two = 0;
      const std::string one = run(inputs, format, 1, 100000, &quiet_one);
      ASSERT_NE(one.find("COPS"), std::string::npos);
      EXPECT_EQ(run(inputs, format, 2, 100000, &quiet_two), one);
      EXPECT_EQ(quiet_one, only_counted) << nanoseconds;
      // With threads, at most the batches queued before the worker's answer were copied
      // (4 of 256 KiB queued, one being filled, one being replayed).
      EXPECT_LE(quiet_two, only_counted);
      EXPECT_GT(quiet_two + (2u << 20), only_counted) << quiet_two;
      if (format == OutputFormat::Jsonl) {  // the first session line's start time
        const size_t at = one.find("\"start\":");
        ASSERT_NE(at, std::string::npos);
        const size_t dot = one.find('.', at);
        const size_t end = one.find_first_not_of("0123456789", dot + 1);
        EXPECT_EQ(end - dot - 1, nanoseconds ? 9u : 6u) << one.substr(at, 40);
      }
    }
  }
}

// A segment of COPS connection `c` (client 10.x.x.(10 + c), port 41000 + c; server
// port 3288), and a client keep-alive: long sessions of many small PDUs.
analyzer::test::Buf cops_seg(int c, bool from_client, uint32_t seq, uint32_t ack, uint8_t flags,
                             std::string_view data) {
  using namespace analyzer::test;
  const auto port = static_cast<uint16_t>(41000 + c);
  const auto host = static_cast<uint8_t>(10 + c);
  return ether(0x0800, ipv4(from_client ? host : 2, from_client ? 2 : host, 6,
                            tcp(from_client ? port : 3288, from_client ? 3288 : port, seq, ack, flags, data)));
}
const std::string kCopsKeepAlive("\x10\x09\x00\x00\x00\x00\x00\x08", 8);

// Long sessions' texts are handed to the output stage in parts as they are formatted
// (about 1.2 MB of JSONL each here: parts of 64 and 512 KiB with two threads). The
// first open session is written as its parts come; one that waits behind a
// long-lived earlier session is written from its parts once that one ends, written
// early past the bound on waiting sessions, or formatted again (its parts dropped)
// when a timestamp that is not a whole microsecond turns the output to nine decimals
// while it waits. Each way, the bytes are one thread's.
TEST(ThreadedRun, LongSessionsInPartsWhetherWrittenAtOnceLaterEarlyOrAgain) {
  using namespace analyzer::test;
  const quartet::test::TempFile path_file("threads_parts.pcap");
  const std::string& path = path_file.path;
  constexpr uint32_t kKeepAlives = 3000;
  for (bool turns_to_ns : {false, true}) {
    TimeNs t = 1'700'000'000'000'000'000;
    std::vector<Frame> frames;
    const auto open = [&](int c) {
      frames.push_back({t += 1000, cops_seg(c, true, 100, 0, 0x02, "")});
      frames.push_back({t += 1000, cops_seg(c, false, 500, 101, 0x12, "")});
    };
    const auto talk = [&](int c) {
      for (uint32_t i = 0; i < kKeepAlives; ++i)
        frames.push_back({t += 1000, cops_seg(c, true, 101 + 8 * i, 501, 0x18, kCopsKeepAlive)});
    };
    const auto close = [&](int c, uint32_t sent) {
      frames.push_back({t += 1000, cops_seg(c, true, 101 + 8 * sent, 501, 0x11, "")});
      frames.push_back({t += 1000, cops_seg(c, false, 501, 102 + 8 * sent, 0x11, "")});
    };
    // 0: open from the start to the end. 1 and 2: long, ended behind it.
    for (int c = 0; c < 3; ++c) open(c);
    for (int c = 1; c < 3; ++c) talk(c);
    for (int c = 1; c < 3; ++c) close(c, kKeepAlives);
    // 0 asks once, at a time that is not a whole microsecond (or is), and ends.
    t += turns_to_ns ? 1 : 0;
    frames.push_back({t += 1000, cops_seg(0, true, 101, 501, 0x18, kCopsKeepAlive)});
    close(0, 1);
    // 3 and 4: long, one after the other, each the first open one when it ends.
    for (int c = 3; c < 5; ++c) {
      open(c);
      talk(c);
      close(c, kKeepAlives);
    }
    write_pcap(path, DLT_EN10MB, frames, 65535, true);
    const std::vector<std::string> inputs = {path};
    for (OutputFormat format : {OutputFormat::Jsonl, OutputFormat::Text}) {
      for (size_t max_waiting : {size_t{100}, size_t{100000}}) {  // 100: 1 and 2 are written early
        const std::string one = run(inputs, format, 1, max_waiting);
        if (format == OutputFormat::Jsonl) {
          size_t long_sessions = 0;
          for (size_t at = 0; (at = one.find("\"messages\":{\"client\":3000,", at)) != std::string::npos; ++at)
            ++long_sessions;
          EXPECT_EQ(long_sessions, 4u);
          EXPECT_EQ(one.find("\"written_early\":0,") == std::string::npos, max_waiting == 100) << max_waiting;
          // The last session (4) was written with nine decimals, or six.
          const size_t start = one.find("\"start\":", one.rfind("{\"type\":\"session\""));
          ASSERT_NE(start, std::string::npos);
          const size_t dot = one.find('.', start);
          EXPECT_EQ(one.find_first_not_of("0123456789", dot + 1) - dot - 1, turns_to_ns ? 9u : 6u);
        }
        for (unsigned threads : {2u, 3u})
          EXPECT_EQ(run(inputs, format, threads, max_waiting), one)
              << "threads " << threads << " max waiting " << max_waiting << " ns " << turns_to_ns;
      }
    }
  }
}

// The workers' temporary files (spilled timelines; formatted sessions beyond a relay's
// memory) are emptied by the workers themselves once nothing will be read from them,
// beside the other threads' work, instead of by the main thread when they are closed
// at exit (on a capture whose sessions all end with it, a tenth of a --threads 2 run).
// Seen from here: after the run, before the ThreadedAnalyzer is destroyed, the
// deleted files it opened take no space. With nanosecond timestamps the spilled
// timelines are kept: the output stage may have to format a session again from them.
TEST(ThreadedRun, WorkersEmptyTheirFilesWhenNothingWillBeReadFromThem) {
  using namespace analyzer::test;
  const quartet::test::TempFile path_file("threads_long.pcap");
  const std::string& path = path_file.path;
  // Four COPS connections of 2,500 client keep-alives each, interleaved: two per
  // worker, 5,000 timeline entries each, past a worker's budget (4,096): they spill.
  for (bool nanoseconds : {false, true}) {
    TimeNs t = 1'700'000'000'000'000'000;
    std::vector<Frame> frames;
    for (int c = 0; c < 4; ++c) {
      frames.push_back({t += 1000, cops_seg(c, true, 100, 0, 0x02, "")});
      frames.push_back({t += 1000, cops_seg(c, false, 500, 101, 0x12, "")});
    }
    for (uint32_t i = 0; i < 2500; ++i)
      for (int c = 0; c < 4; ++c)
        frames.push_back({t += 1000, cops_seg(c, true, 101 + 8 * i, 501, 0x18, kCopsKeepAlive)});
    for (int c = 0; c < 4; ++c) {
      frames.push_back({t += 1000, cops_seg(c, true, 101 + 8 * 2500, 501, 0x11, "")});
      frames.push_back({t += 1000, cops_seg(c, false, 501, 102 + 8 * 2500, 0x11, "")});
    }
    write_pcap(path, DLT_EN10MB, frames, 65535, nanoseconds);

    AppOptions opt;
    opt.format = OutputFormat::Jsonl;
    tls::KeyLog keys;
    opt.keylog = &keys;
    harness::MemFile mem;
    auto writer = make_jsonl_writer(mem.f, opt);
    const std::map<int, harness::DeletedFile> before = harness::deleted_files();
    ThreadedAnalyzer threaded(opt, *writer, mem.f, 2, keys);
    net::Options n;
    n.inputs = {path};
    threaded.run(n);
    threaded.finish();
    size_t files = 0, with_space = 0;
    for (const auto& [fd, f] : harness::deleted_files()) {
      if (before.contains(fd)) continue;
      ++files;
      if (f.size != 0 || f.bytes_on_disk != 0) ++with_space;
    }
    // Each worker's spilled timelines (its formatted sessions stay in memory: 2.5 MB, within its relay's limit).
    EXPECT_EQ(files, 2u) << nanoseconds;
    EXPECT_EQ(with_space, nanoseconds ? 2u : 0u) << nanoseconds;
    const std::string out = mem.text();
    size_t sessions = 0;  // each connection's session line, with all its keep-alives
    for (size_t at = 0; (at = out.find("\"messages\":{\"client\":2500,", at)) != std::string::npos; ++at) ++sessions;
    EXPECT_EQ(sessions, 4u);
  }
}

}  // namespace
