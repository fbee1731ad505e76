// Random and mutated byte streams through every real protocol, in random chunks
// with gaps: the sink must neither crash nor grow without bound (run under ASan
// and UBSan by scripts/test.sh). Deterministic seeds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "sink_harness.hpp"
#include "tls_test_util.hpp"

using namespace harness;

namespace {

// Starts that get a protocol's framer going, so mutations reach its decoder.
const std::vector<std::string> kSeeds = {
    std::string("\0SP\0\0\x30\0\0", 8) + std::string("\0\0\0\0\0\0\0\x0c\x80\0\0\x01ping0123", 20),
    "session\r\n-Id:registrarA\r\n-Password:x\r\n.\r\n",
    "IAP/0.3 CONNECT M.DOM.ORG\r\n\r\nIAP/0.3 Upgrade: TLS/1.0\r\n\r\n",
    std::string("\x10\x06\0\0\0\0\0\x14\0\x0c\x0b\x01pep1\0\0\0\0", 20),
    tlsgen::client_hello("fuzz.example"),
};

void one_run(const Protocol& p, uint32_t seed) {
  std::mt19937 rng(seed);
  AppOptions opt;
  opt.decode_as.push_back({&p, 9999, false});
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 9999, 1000));
  std::string stream[2];
  for (int side = 0; side < 2; ++side) {
    stream[side] = kSeeds[rng() % kSeeds.size()] + kSeeds[rng() % kSeeds.size()];
    // Mutate a few bytes, append random ones.
    for (int k = 0; k < 4; ++k) stream[side][rng() % stream[side].size()] = static_cast<char>(rng());
    for (int k = static_cast<int>(rng() % 300); k > 0; --k) stream[side] += static_cast<char>(rng());
  }
  size_t pos[2] = {0, 0};
  TimeNs ts = 2000;
  while (pos[0] < stream[0].size() || pos[1] < stream[1].size()) {
    const int side = static_cast<int>(rng() % 2);
    if (pos[side] >= stream[side].size()) continue;
    const size_t n = std::min<size_t>(1 + rng() % 40, stream[side].size() - pos[side]);
    const Side s = side == 0 ? Side::Client : Side::Server;
    if (rng() % 15 == 0) {
      a.on_gap(1, s, n, ts);
    } else {
      a.on_data(1, s, as_bytes(std::string_view(stream[side]).substr(pos[side], n)), ts);
    }
    pos[side] += n;
    ts += 1000;
  }
  a.on_close(1, CloseReason::Fin, Side::Client, ts);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& o = cap.sessions[0];
  EXPECT_EQ(o.bytes[0] + o.bytes[1] + o.missing_bytes, stream[0].size() + stream[1].size());
}

TEST(Robustness, RandomStreamsThroughEveryProtocol) {
  for (const Protocol* p : all_protocols())
    for (uint32_t seed = 1; seed <= 150; ++seed) one_run(*p, seed);
}

TEST(Robustness, WritersHandleWhateverTheDecodersProduce) {
  // The same runs, written as JSONL and text, must give well-formed lines.
  for (const Protocol* p : all_protocols()) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
      std::mt19937 rng(seed);
      AppOptions opt;
      opt.decode_as.push_back({p, 9999, false});
      MemFile mem;
      auto w = make_jsonl_writer(mem.f, opt);
      Analyzer a(opt, *w);
      a.on_open(flow(1, 9999, 1000));
      std::string s = kSeeds[seed % kSeeds.size()];
      for (int k = 0; k < 3; ++k) s[rng() % s.size()] = static_cast<char>(rng());
      a.on_data(1, Side::Client, as_bytes(s), 2000);
      a.on_data(1, Side::Server, as_bytes(s), 3000);
      a.finish();
      size_t sessions = 0;
      for (const std::string& line : lines(mem.text())) {
        // Each line one JSON object (strict RFC 8259: no control characters, valid UTF-8).
        const auto v = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        ASSERT_FALSE(v.is_discarded()) << "not JSON: " << line;
        ASSERT_TRUE(v.is_object()) << line;
        ASSERT_TRUE(v.contains("type") && v["type"].is_string()) << line;
        if (v["type"] == "session") ++sessions;
      }
      EXPECT_EQ(sessions, 1u);
    }
  }
}

}  // namespace
