// Differential fuzz target for the retained tail's views (net/tail_views.hpp): the
// same segments fed to the reassembler twice, once with their payloads in plain
// memory (copied into the tail at once, as with one thread) and once in the chunks
// of a ReadAhead (kept as views of the chunk, copied only when needed, as with
// --threads). Both runs must report the same events: every byte, gap and warning,
// above all the retransmissions whose bytes differ from what was delivered.
//
// fuzz_tcp's payloads are at most 255 bytes, under ReadAhead::kInPlaceFrom, so it
// never makes a view. Here payloads go up to 8 KiB without the input carrying them:
// a payload's bytes are a function of its connection, direction and stream position
// (pattern()), so a retransmission repeats what was sent unless its record changes a
// byte. The reassembler's own stall checks (every 0.25 s of capture time) run as the
// time steps add up, so holes become gaps too.
//
// Input: one configuration byte, then records of 11 bytes:
//   config bits 0-2: retained tail (64, 1000, 1024, 1500, 2048, 2049, 4096, 8192 bytes)
//          bits 3-4: read-ahead chunk (8, 16, 32, 64 KiB)
//          bit 5: no pin to be had (the views' fallback: copies)
//          bit 6: tight buffer limits (stalls and memory-limit closes)
//   [0] bit 0: direction (0 = client->server), bits 1-6: TCP flags FIN SYN RST PSH ACK URG,
//       bit 7: one byte of the payload changed
//   [1] bits 0-1: connection; bits 2-7: time step in ms
//   [2..4] seq, little endian, relative to the direction's initial sequence number
//   [5..6] payload length, little endian, modulo 8193
//   [7] where the changed byte is (scaled to the length)
//   [8..10] ack, little endian, relative to the other direction's initial sequence number
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "chunk_feed.hpp"
#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"

using namespace quartet;
using namespace quartet::analyzer;
using namespace quartet::analyzer::net;

namespace {

constexpr size_t kRecord = 11;
constexpr size_t kMaxPayload = 8192;

struct Segment {
  TcpPacket packet;  // its payload not set yet
  std::string data;
};

uint32_t le(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = n; i-- > 0;) v = v << 8 | p[i];
  return v;
}

// What a connection's direction carries: its stream's bytes from position `pos` on
// are the table's from (pos + a start of its own) modulo the period. Copied, not
// computed per byte: that was half of the target's time.
constexpr size_t kPeriod = 1u << 16;  // longer than any tail
const char* pattern(int conn, int dir, uint32_t pos) {
  static const std::string table = [] {
    std::string t(kPeriod + kMaxPayload, ' ');
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < kPeriod; ++i) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;  // xorshift32
      t[i] = static_cast<char>('a' + x % 26);
    }
    std::copy_n(t.data(), kMaxPayload, t.data() + kPeriod);  // a payload may wrap
    return t;
  }();
  return table.data() + (pos + static_cast<uint32_t>(conn * 2 + dir) * 7919u) % kPeriod;
}

std::vector<Segment> segments(const uint8_t* data, size_t size) {
  static constexpr uint32_t kIsn[2] = {0xffffe000u, 0x7fffff00u};  // near wrap-arounds
  std::vector<Segment> out;
  TimeNs ts = 1'000'000'000'000'000'000;
  for (size_t off = 0; off + kRecord <= size; off += kRecord) {
    const uint8_t* h = data + off;
    const int dir = h[0] & 1;
    const int conn = h[1] & 3;
    Segment s;
    TcpPacket& p = s.packet;
    Endpoint client, server;
    client.addr = {10, 0, 0, 1};
    client.port = static_cast<uint16_t>(40000 + conn);
    server.addr = {10, 0, 0, 2};
    server.port = conn == 3 ? 5555 : 3288;
    p.src = dir == 0 ? client : server;
    p.dst = dir == 0 ? server : client;
    p.seg.sport = p.src.port;
    p.seg.dport = p.dst.port;
    p.seg.flags = static_cast<uint8_t>((h[0] >> 1) & 0x3f);
    const uint32_t rel = le(h + 2, 3);
    p.seg.seq = kIsn[dir] + rel;
    p.seg.ack = kIsn[1 - dir] + le(h + 8, 3);
    ts += static_cast<TimeNs>(h[1] >> 2) * 1'000'000;
    p.ts = ts;
    const size_t len = le(h + 5, 2) % (kMaxPayload + 1);
    s.data.assign(pattern(conn, dir, rel - 1), len);  // stream position 0: the byte after the SYN
    if (len && h[0] & 0x80) s.data[h[7] * len / 256] ^= 0x20;
    out.push_back(std::move(s));
  }
  return out;
}

TcpConfig config(uint8_t c) {
  static constexpr size_t kTails[] = {64, 1000, 1024, 1500, 2048, 2049, 4096, 8192};
  TcpConfig cfg;
  cfg.retained_tail = kTails[c & 7];
  cfg.server_ports = {3288};
  cfg.max_seq_jump = 1u << 20;
  if (c & 0x40) {
    cfg.flow_buffer_limit = 24u << 10;
    cfg.total_buffer_limit = 40u << 10;
    cfg.max_flows = 3;
    cfg.total_retained_tail = 2 * cfg.retained_tail;
  }
  return cfg;
}

// The segments' packets around the payloads the feeds of chunk_feed.hpp place.
TcpPacket packet(const Segment& s, Bytes payload) {
  TcpPacket p = s.packet;
  p.seg.payload = payload;
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t c = data[0];
  const TcpConfig cfg = config(c);
  const size_t chunk = size_t{8192} << (c >> 3 & 3);
  const size_t max_pinned = c & 0x20 ? 0 : 2;
  const std::vector<Segment> segs = segments(data + 1, size - 1);
  std::vector<std::string_view> payloads;
  for (const Segment& s : segs) payloads.push_back(s.data);
  const auto packet_of = [&segs](size_t i, Bytes payload) { return packet(segs[i], payload); };
  const std::vector<std::string> copied = test::events_from_memory(cfg, payloads, packet_of);
  const std::vector<std::string> viewed = test::events_from_chunks(cfg, payloads, chunk, max_pinned, packet_of);
  if (viewed.empty() && !copied.empty()) {
    std::fprintf(stderr, "fuzz_tcp_views: a payload not where it was laid out in the chunks\n");
    std::abort();
  }
  if (viewed != copied) {
    size_t first = 0;
    while (first < copied.size() && first < viewed.size() && copied[first] == viewed[first]) ++first;
    auto show = [first](const std::vector<std::string>& v) {
      return first < v.size() ? v[first].substr(0, 120) : std::string("(none)");
    };
    std::fprintf(stderr, "fuzz_tcp_views: event %zu differs\n  copies: %s\n  views:  %s\n", first, show(copied).c_str(),
                 show(viewed).c_str());
    std::abort();
  }
  return 0;
}
