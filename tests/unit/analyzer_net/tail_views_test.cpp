// The retained tail's views (TailViews): bytes read ahead into a ReadAhead chunk are
// kept as views of it and copied into the tail only when needed. Fed the same
// segments, from chunks or from plain memory (copied at once, as with one thread),
// the reassembler must report the same: every byte, gap and warning, above all the
// retransmissions that differ from what was delivered.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <random>
#include <string>
#include <vector>

#include "chunk_feed.hpp"
#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"

namespace quartet::analyzer::net {
namespace {

using test::RecordingSink;

struct Segment {
  bool client = true;
  uint16_t port = 40000;  // the client's: one connection per port
  uint32_t seq = 0, ack = 0;
  uint8_t flags = kAck;
  std::string data;
};

TcpPacket packet(const Segment& s, Bytes payload, TimeNs ts) {
  TcpPacket p;
  p.src.addr = {10, 0, 0, static_cast<uint8_t>(s.client ? 1 : 2)};
  p.dst.addr = {10, 0, 0, static_cast<uint8_t>(s.client ? 2 : 1)};
  p.src.port = s.client ? s.port : 3288;
  p.dst.port = s.client ? 3288 : s.port;
  p.seg.sport = p.src.port;
  p.seg.dport = p.dst.port;
  p.seg.seq = s.seq;
  p.seg.ack = s.ack;
  p.seg.flags = s.flags;
  p.seg.payload = payload;
  p.ts = ts;
  return p;
}

// Two connections' segments, interleaved: handshakes, then each client sends a stream
// in segments of 1-3 KiB (the views' size and more) with local reordering, losses,
// retransmissions of what was sent before (the same bytes or one byte changed), and
// now and then a reset.
std::vector<Segment> scenario(std::mt19937& rng, size_t tail, size_t& changed) {
  std::vector<Segment> out;
  std::vector<std::vector<Segment>> flows(2);
  for (size_t f = 0; f < flows.size(); ++f) {
    const auto port = static_cast<uint16_t>(40000 + f);
    const auto isn = static_cast<uint32_t>(rng()), server_isn = static_cast<uint32_t>(rng());
    out.push_back({true, port, isn, 0, kSyn, ""});
    out.push_back({false, port, server_isn, isn + 1, kSyn | kAck, ""});
    std::string sent(8000 + rng() % 40000, ' ');
    for (char& ch : sent) ch = static_cast<char>('a' + rng() % 26);
    std::vector<Segment>& segs = flows[f];
    for (size_t pos = 0; pos < sent.size();) {
      // Mostly views' size, some exactly the tail's or one byte off it; now and then a
      // small one (copied at once, after the views).
      const size_t kind = rng() % 8;
      const size_t len = std::min(sent.size() - pos, kind == 0   ? 1 + rng() % 500
                                                     : kind == 1 ? tail - 1 + rng() % 3
                                                                 : 1024 + rng() % 2200);
      segs.push_back({true, port, isn + 1 + static_cast<uint32_t>(pos), server_isn + 1, kAck, sent.substr(pos, len)});
      pos += len;
    }
    for (size_t i = 1; i < segs.size(); ++i)
      if (rng() % 6 == 0) std::swap(segs[i - 1], segs[i]);
    for (size_t i = 0; i < segs.size(); ++i)
      if (rng() % 25 == 0) segs.erase(segs.begin() + static_cast<ptrdiff_t>(i));  // lost: a gap
    // Retransmissions of earlier bytes, some reaching back past the tail's 2 KiB.
    const size_t again = segs.size() < 2 ? 0 : 5 + rng() % 20;
    for (size_t i = 0; i < again; ++i) {
      const size_t at = 2 + rng() % (segs.size() - 1);
      const size_t back = 1 + rng() % (rng() % 2 ? tail : 5000);  // mostly within the tail
      const size_t end = std::min<size_t>(sent.size(), segs[at - 1].seq - isn - 1 + segs[at - 1].data.size());
      const size_t from = end > back ? end - back : 0;
      std::string bytes = sent.substr(from, std::min<size_t>(end - from, 1024 + rng() % 1500));
      if (rng() % 2) {
        bytes[rng() % bytes.size()] ^= 0x20;
        ++changed;
      }
      segs.insert(segs.begin() + static_cast<ptrdiff_t>(at),
                  Segment{true, port, isn + 1 + static_cast<uint32_t>(from), server_isn + 1, kAck, bytes});
    }
    // Now and then a reset midway: the connection ends with views pending (forgotten, not
    // copied), and its later segments start another one, picked up mid-stream.
    if (segs.size() > 2 && rng() % 4 == 0) {
      const size_t at = 1 + rng() % (segs.size() - 1);
      const Segment rst{true, port, segs[at].seq, segs[at].ack, kRst | kAck, ""};
      segs.insert(segs.begin() + static_cast<ptrdiff_t>(at), rst);
    }
    // The server acknowledges everything at the end: the holes are capture loss.
    segs.push_back({false, port, server_isn + 1, isn + 1 + static_cast<uint32_t>(sent.size()), kAck, ""});
  }
  // Interleaved, each connection's own order kept.
  size_t i0 = 0, i1 = 0;
  while (i0 < flows[0].size() || i1 < flows[1].size()) {
    const bool first = i1 == flows[1].size() || (i0 < flows[0].size() && rng() % 2);
    out.push_back(first ? flows[0][i0++] : flows[1][i1++]);
  }
  return out;
}

// What the reassembler reports fed with the segments' payloads in plain memory (as
// with one thread), or in the chunks a ReadAhead reads them into (as with --threads).
std::vector<std::string_view> payloads_of(const std::vector<Segment>& segs) {
  std::vector<std::string_view> out;
  for (const Segment& s : segs) out.push_back(s.data);
  return out;
}
std::vector<std::string> from_memory(const std::vector<Segment>& segs, const TcpConfig& cfg) {
  return test::events_from_memory(cfg, payloads_of(segs), [&segs](size_t i, Bytes payload) {
    return packet(segs[i], payload, static_cast<TimeNs>(i));
  });
}
std::vector<std::string> from_chunks(const std::vector<Segment>& segs, const TcpConfig& cfg, size_t chunk,
                                     size_t max_pinned) {
  return test::events_from_chunks(cfg, payloads_of(segs), chunk, max_pinned, [&segs](size_t i, Bytes payload) {
    return packet(segs[i], payload, static_cast<TimeNs>(i));
  });
}

size_t overlap_warnings(const std::vector<std::string>& events) {
  return static_cast<size_t>(std::count_if(events.begin(), events.end(), [](const std::string& e) {
    return e.find("overlap with different bytes") != std::string::npos;
  }));
}

// Four segments of 1,100 bytes into a tail of 4,096 (it grows to that size at the
// second, which copies the first into it): when the fourth comes, the second is still
// within the tail but no longer one of the two views, so it must be copied into the
// ring then. Retransmissions of it, the same and changed, tell.
TEST(TailViews, AnOlderViewStillInTheTailIsCopiedNotDropped) {
  TcpConfig cfg;
  cfg.retained_tail = 4096;
  const uint32_t isn = 1000, server_isn = 9000;
  std::string sent(4400, ' ');
  for (size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>('a' + i * 7 % 26);
  std::vector<Segment> segs = {{true, 40000, isn, 0, kSyn, ""}, {false, 40000, server_isn, isn + 1, kSyn | kAck, ""}};
  for (size_t pos = 0; pos < sent.size(); pos += 1100)
    segs.push_back({true, 40000, isn + 1 + static_cast<uint32_t>(pos), server_isn + 1, kAck, sent.substr(pos, 1100)});
  std::string second = sent.substr(1100, 1100);
  segs.push_back({true, 40000, isn + 1101, server_isn + 1, kAck, second});  // the same bytes: nothing to report
  second[500] ^= 0x20;
  segs.push_back({true, 40000, isn + 1101, server_isn + 1, kAck, second});  // one byte changed: reported
  const std::vector<std::string> copied = from_memory(segs, cfg);
  EXPECT_EQ(overlap_warnings(copied), 1u);
  EXPECT_EQ(from_chunks(segs, cfg, 16 * 1024, 2), copied);
}

TEST(TcpReassemblerProperty, ViewsOfReadAheadChunksReportWhatCopiesReport) {
  std::mt19937 rng(2026);
  size_t changed = 0, warned = 0, fewer_pins = 0;
  for (int round = 0; round < 300; ++round) {
    // Tails from the views' threshold up, chunks from a few segments to dozens.
    static constexpr size_t kTails[] = {1024, 1500, 2048, 2049, 4096};
    static constexpr size_t kChunks[] = {8 * 1024, 16 * 1024, 64 * 1024};
    TcpConfig cfg;
    cfg.retained_tail = kTails[round % 5];
    const size_t chunk = kChunks[round / 5 % 3];
    const std::vector<Segment> segs = scenario(rng, cfg.retained_tail, changed);
    // Some rounds with no pin to be had: the views' fallback, copies.
    const size_t max_pinned = round % 10 == 9 ? 0 : 2;
    fewer_pins += max_pinned == 0;
    const std::vector<std::string> copied = from_memory(segs, cfg);
    ASSERT_EQ(from_chunks(segs, cfg, chunk, max_pinned), copied) << "round " << round;
    warned += overlap_warnings(copied);
  }
  // The rounds had retransmissions that differ within the tail, and they were reported.
  EXPECT_GT(changed, 1500u);
  EXPECT_GT(warned, 900u);
  EXPECT_EQ(fewer_pins, 30u);
}

}  // namespace
}  // namespace quartet::analyzer::net
