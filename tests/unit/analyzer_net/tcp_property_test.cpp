// Randomised segment sequences (reorder, duplicate, overlap, loss, wrap):
// whatever the order, the delivered bytes plus the reported gaps must rebuild
// the sent stream exactly, and memory must drain to zero.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"

namespace quartet::analyzer::net {
namespace {

struct Rebuild : StreamSink {
  std::string text;  // '#' for every missing byte
  uint64_t warnings = 0;
  void on_open(const FlowInfo&) override {}
  bool on_data(uint64_t, Side from, Bytes d, TimeNs) override {
    if (from == Side::Client) text += std::string(as_text(d));
    return true;
  }
  void on_gap(uint64_t, Side from, uint64_t n, TimeNs) override {
    if (from == Side::Client) text += std::string(n, '#');
  }
  void on_flow_warning(uint64_t, Side, std::string_view, TimeNs) override { ++warnings; }
  void on_fin(uint64_t, Side, TimeNs) override {}
  void on_close(uint64_t, CloseReason, Side, TimeNs) override {}
  void on_capture_warning(std::string_view) override {}
};

TcpPacket segment(uint32_t seq, uint32_t ack, uint8_t flags, std::string_view data, TimeNs ts, bool client) {
  TcpPacket p;
  p.src.addr = {10, 0, 0, static_cast<uint8_t>(client ? 1 : 2)};
  p.dst.addr = {10, 0, 0, static_cast<uint8_t>(client ? 2 : 1)};
  p.src.port = client ? 40000 : 3288;
  p.dst.port = client ? 3288 : 40000;
  p.seg.sport = p.src.port;
  p.seg.dport = p.dst.port;
  p.seg.seq = seq;
  p.seg.ack = ack;
  p.seg.flags = flags;
  p.seg.payload = as_bytes(data);
  p.ts = ts;
  return p;
}

TEST(TcpReassemblerProperty, RandomOrderDuplicatesAndLossRebuildTheStream) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + rng() % 5000;
    std::string sent(n, ' ');
    for (char& ch : sent) ch = static_cast<char>('a' + rng() % 26);
    const auto isn = static_cast<uint32_t>(rng());  // often near a wrap
    const auto server_isn = static_cast<uint32_t>(rng());
    std::vector<std::pair<size_t, size_t>> segs;  // [from, to)
    for (size_t pos = 0; pos < n;) {
      const size_t len = std::min<size_t>(n - pos, 1 + rng() % 700);
      segs.emplace_back(pos, pos + len);
      pos += len;
    }
    // Retransmissions that straddle segment boundaries, with the same bytes.
    const size_t extra = rng() % 5;
    for (size_t i = 0; i < extra; ++i) {
      const size_t a = rng() % n, b = std::min(n, a + 1 + rng() % 900);
      segs.emplace_back(a, b);
    }
    std::vector<char> lost(segs.size(), 0);
    for (size_t i = 0; i < segs.size(); ++i) lost[i] = rng() % 10 == 0 ? 1 : 0;
    // Local reordering: swap neighbours.
    for (size_t i = 1; i < segs.size(); ++i)
      if (rng() % 3 == 0) {
        std::swap(segs[i - 1], segs[i]);
        std::swap(lost[i - 1], lost[i]);
      }

    Rebuild sink;
    TcpConfig cfg;
    cfg.flow_buffer_limit = (round % 4 == 0) ? 64 * 1024 : 4u << 20;
    TcpReassembler r(sink, cfg);
    TimeNs t = 0;
    r.on_segment(segment(isn, 0, kSyn, "", t++, true));
    r.on_segment(segment(server_isn, isn + 1, kSyn | kAck, "", t++, false));
    for (size_t i = 0; i < segs.size(); ++i) {
      if (lost[i]) continue;
      const auto [a, b] = segs[i];
      r.on_segment(segment(isn + 1 + static_cast<uint32_t>(a), server_isn + 1, kAck,
                           std::string_view(sent).substr(a, b - a), t++, true));
    }
    // The server acknowledges everything: holes are capture loss.
    r.on_segment(segment(server_isn + 1, isn + 1 + static_cast<uint32_t>(n), kAck, "", t++, false));
    r.finish();

    ASSERT_EQ(sink.text.size(), n) << "round " << round;
    for (size_t i = 0; i < n; ++i)
      if (sink.text[i] != '#') {
        ASSERT_EQ(sink.text[i], sent[i]) << "round " << round << " byte " << i;
      }
    EXPECT_EQ(sink.warnings, 0u) << "round " << round;  // identical overlaps are silent
    EXPECT_EQ(r.buffered_bytes(), 0u);
    // Bytes never lost must have been delivered.
    std::vector<bool> covered(n, false);
    for (size_t i = 0; i < segs.size(); ++i)
      if (!lost[i])
        for (size_t k = segs[i].first; k < segs[i].second; ++k) covered[k] = true;
    for (size_t i = 0; i < n; ++i)
      if (covered[i]) {
        ASSERT_NE(sink.text[i], '#') << "round " << round << " byte " << i;
      }
  }
}

}  // namespace
}  // namespace quartet::analyzer::net
