// --threads against one thread where the output depends on the moment sessions are
// written: with a small bound on finished sessions waiting behind an open one, they
// are written early (out of first-packet order), and both runs must do so at the
// same moments. (tests/e2e/analyzer/threads_test.py compares whole runs of quartet.)
#include <gtest/gtest.h>

#include "analyzer_sink.hpp"
#include "net/pipeline.hpp"
#include "sink_harness.hpp"
#include "threaded_run.hpp"
#include "tls/keylog.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

std::string run(const std::string& capture, OutputFormat format, unsigned threads, size_t max_waiting) {
  AppOptions opt;
  opt.format = format;
  tls::KeyLog keys;
  opt.keylog = &keys;
  harness::MemFile mem;
  auto writer = format == OutputFormat::Jsonl ? make_jsonl_writer(mem.f, opt) : make_text_writer(mem.f, opt);
  net::Options n;
  n.inputs = {std::string(QUARTET_CAPTURES_DIR) + "/" + capture};
  if (threads == 1) {
    Analyzer a(opt, *writer);
    a.set_max_waiting_entries(max_waiting);
    net::run(n, a);
    a.finish();
  } else {
    ThreadedAnalyzer t(opt, *writer, mem.f, threads, keys);
    t.set_max_waiting_entries(max_waiting);
    t.run(n);
    t.finish();
  }
  return mem.text();
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

}  // namespace
