// One direction of a TCP connection: sequence space, buffered out-of-order
// bytes and what has been delivered.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "common/bytes.hpp"
#include "common/session.hpp"  // TimeNs

namespace quartet::analyzer::net {

// A run of buffered bytes: captured data, or a known-missing run (snaplen-cut).
struct TcpChunk {
  std::vector<std::byte> data;
  uint64_t lost = 0;      // > 0: a run of bytes that was not captured
  TimeNs ts = 0;          // capture time of the segment that carried it
  bool has_need = false;  // deliver only after the peer delivered up to `need`
  uint64_t need = 0;      // (the peer offset this segment's ACK acknowledges)
  uint64_t size() const { return lost ? lost : data.size(); }
};

// Sequence numbers are mapped to 64-bit offsets relative to the first byte
// (ISN + 1, or the first seen segment when picked up mid-stream), which makes
// sequence wrap-around disappear: offsets are computed from the signed 32-bit
// distance to the delivery point.
// The out-of-order chunks of one direction: the map is allocated only when a
// segment has to wait (most connections never need one; an empty std::map costs 48
// bytes per direction, a million idle connections 96 MB).
class ChunkMap {
 public:
  using Map = std::map<uint64_t, TcpChunk>;
  bool empty() const { return !map_ || map_->empty(); }
  // Only when !empty().
  Map::iterator begin() { return map_->begin(); }
  Map::const_iterator begin() const { return map_->begin(); }
  Map::reverse_iterator rbegin() { return map_->rbegin(); }
  Map::node_type extract(Map::iterator it) { return map_->extract(it); }
  void clear() { map_.reset(); }
  Map& map() {
    if (!map_) map_ = std::make_unique<Map>();
    return *map_;
  }

 private:
  std::unique_ptr<Map> map_;
};

// Fields ordered by size, flags in bits: a million idle connections hold two of these each.
struct TcpStream {
  uint64_t next = 0;  // next offset to deliver; everything before is done
  uint64_t buffered = 0;
  uint64_t fin_at = 0;  // offset of the FIN
  uint64_t fin_need = 0;
  TimeNs fin_ts = 0;          // capture time of the FIN
  uint64_t acked = 0;         // highest offset the peer acknowledged
  TimeNs blocked_since = -1;  // delivery stalled at `next` since (capture time)
  ChunkMap chunks;            // non-overlapping, all at or after `next`
  // The last delivered bytes, kept so a retransmission of already delivered
  // data can be compared with what was delivered (a ring of `tail_cap` bytes
  // indexed by offset; valid for [max(tail_from, next - tail_cap), next)). A ring
  // of at most kInlineTail bytes (an idle or quiet connection's) is held in place:
  // no allocation per connection; a larger one is on the heap.
  static constexpr size_t kInlineTail = 16;
  union {
    std::byte tail_inline[kInlineTail];
    std::byte* tail_heap;
  };
  uint64_t tail_from = 0;
  uint32_t base = 0;             // sequence number of offset 0
  uint32_t tail_cap = 0;         // bytes of the `tail` ring (TcpConfig::retained_tail at most)
  uint32_t views = 0;            // delivered bytes not in the ring yet: 1 + their TailViews entry, or 0
  uint8_t overlap_warnings = 0;  // counted up to one past the maximum
  bool started : 1 = false;
  bool syn : 1 = false;
  bool fin_seen : 1 = false;
  bool fin_done : 1 = false;      // on_fin delivered
  bool fin_has_need : 1 = false;  // the FIN's ACK acknowledged peer bytes not yet delivered
  bool rst : 1 = false;
  bool after_fin_warned : 1 = false;
  bool out_of_window_warned : 1 = false;

  TcpStream() {}
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;
  ~TcpStream() { drop_tail(); }

  std::byte* tail() { return tail_cap > kInlineTail ? tail_heap : tail_inline; }
  const std::byte* tail() const { return tail_cap > kInlineTail ? tail_heap : tail_inline; }
  // A ring of `cap` bytes (more than tail_cap) in place of the current one, whose
  // bytes at offsets [from, to) are copied over; the others are unset.
  void grow_tail(size_t cap, uint64_t from, uint64_t to);
  void drop_tail() {
    if (tail_cap > kInlineTail) delete[] tail_heap;
    tail_cap = 0;
  }

  void start(uint32_t first_seq) {
    started = true;
    base = first_seq;
  }
  int64_t offset(uint32_t seq) const {
    const auto here = static_cast<uint32_t>(base + next);
    return static_cast<int64_t>(next) + static_cast<int32_t>(seq - here);
  }
  uint32_t seq_at(uint64_t off) const { return static_cast<uint32_t>(base + off); }
  // The peer may acknowledge the FIN too.
  uint64_t delivered_end() const { return next + (fin_done ? 1 : 0); }
  // The furthest offset known to exist (acknowledged, or up to the FIN).
  uint64_t known_end() const { return fin_seen ? fin_at : acked; }
  // The FIN is next to deliver: every byte before it was.
  bool fin_due() const { return fin_seen && !fin_done && next == fin_at; }

  void remember(Bytes delivered_now) { remember_at(delivered_now, next); }  // after `next` was advanced past them
  void remember_at(Bytes b, uint64_t end);                                  // b's last byte is at offset end - 1
  // Offset of the first byte of [at, at + data.size()) ∩ retained tail that
  // differs from `data`, or -1 when they agree or nothing is retained.
  int64_t differs_from_tail(uint64_t at, Bytes data) const;

  struct Insert {
    uint64_t added = 0;
    bool differs = false;
    uint64_t differ_at = 0;  // offset of the first differing byte
  };
  // Buffers [at, at + size) where it is not buffered yet: `data` when
  // captured, else `lost` bytes known missing. The first copy wins.
  Insert insert(uint64_t at, Bytes data, uint64_t lost, TimeNs ts, bool has_need, uint64_t need);
};

}  // namespace quartet::analyzer::net
