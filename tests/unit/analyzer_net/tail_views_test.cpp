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

#include "net/read_ahead.hpp"
#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"

namespace quartet::analyzer::net {
namespace {

using test::RecordingSink;
constexpr size_t kChunk = 16 * 1024;  // small chunks: the reader leaves one every few segments

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
std::vector<Segment> scenario(std::mt19937& rng, size_t& changed) {
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
      // Mostly views' size; now and then a small one (copied at once, after the views).
      const size_t len = std::min(sent.size() - pos, rng() % 8 == 0 ? 1 + rng() % 500 : 1024 + rng() % 2200);
      segs.push_back({true, port, isn + 1 + static_cast<uint32_t>(pos), server_isn + 1, kAck, sent.substr(pos, len)});
      pos += len;
    }
    for (size_t i = 1; i < segs.size(); ++i)
      if (rng() % 6 == 0) std::swap(segs[i - 1], segs[i]);
    for (size_t i = 0; i < segs.size(); ++i)
      if (rng() % 25 == 0) segs.erase(segs.begin() + static_cast<ptrdiff_t>(i));  // lost: a gap
    // Retransmissions of earlier bytes, some reaching back past the tail's 2 KiB.
    const size_t again = segs.size() < 2 ? 0 : 3 + rng() % 10;
    for (size_t i = 0; i < again; ++i) {
      const size_t at = 2 + rng() % (segs.size() - 1);
      const size_t back = 1 + rng() % 5000;
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

// The segments' payloads laid out as a ReadAhead reads them: each in one chunk.
std::string layout(const std::vector<Segment>& segs, std::vector<size_t>& at) {
  std::string file;
  for (const Segment& s : segs) {
    if (file.size() % kChunk + s.data.size() > kChunk) file.resize((file.size() / kChunk + 1) * kChunk, '\0');
    at.push_back(file.size());
    file += s.data;
  }
  return file;
}

TEST(TcpReassemblerProperty, ViewsOfReadAheadChunksReportWhatCopiesReport) {
  std::mt19937 rng(2026);
  size_t changed = 0, warned = 0, fewer_pins = 0;
  for (int round = 0; round < 200; ++round) {
    const std::vector<Segment> segs = scenario(rng, changed);
    TcpConfig cfg;
    cfg.retained_tail = round % 3 == 0 ? 1500 : round % 3 == 1 ? 2048 : 4096;

    RecordingSink copied;  // payloads in plain memory: copied into the tail at once
    {
      TcpReassembler r(copied, cfg);
      TimeNs t = 0;
      for (const Segment& s : segs) r.on_segment(packet(s, as_bytes(s.data), t++));
      r.finish();
    }

    RecordingSink viewed;  // payloads in the chunks a ReadAhead reads them into
    {
      std::vector<size_t> at;
      const std::string file = layout(segs, at);
      size_t pos = 0;
      auto source = [&](char* to, size_t n) {
        const size_t k = std::min(n, file.size() - pos);
        std::copy_n(file.data() + pos, k, to);
        pos += k;
        return static_cast<ssize_t>(k);
      };
      // Some rounds with no pin to be had: the views' fallback, copies.
      const size_t max_pinned = round % 10 == 9 ? 0 : 2;
      fewer_pins += max_pinned == 0;
      ReadAhead ahead(source, 0, kChunk, 2, max_pinned);
      TcpReassembler r(viewed, cfg);
      ReadAhead::Chunk* c = ahead.take();
      size_t chunk_start = 0;
      TimeNs t = 0;
      for (size_t i = 0; i < segs.size(); ++i) {
        while (at[i] >= chunk_start + c->bytes && !c->last) {
          chunk_start += c->bytes;
          ahead.give_back(c);
          c = ahead.take();
        }
        const Bytes payload(c->memory.get() + (at[i] - chunk_start), segs[i].data.size());
        ASSERT_EQ(as_text(payload), segs[i].data) << "round " << round << " segment " << i;
        r.on_segment(packet(segs[i], payload, t++));
      }
      r.finish();
      ahead.give_back(c);
    }

    ASSERT_EQ(viewed.events, copied.events) << "round " << round;
    for (const std::string& e : copied.events) warned += e.find("overlap with different bytes") != std::string::npos;
  }
  // The rounds had retransmissions that differ within the tail, and they were reported.
  EXPECT_GT(changed, 500u);
  EXPECT_GT(warned, 300u);
  EXPECT_EQ(fewer_pins, 20u);
}

}  // namespace
}  // namespace quartet::analyzer::net
