// Delivered bytes that their stream's retained tail (TcpStream::remember) has not
// copied yet: views of the read-ahead chunk the reader is in, which a pin keeps as
// it is. They are copied into the tail's ring only when something is about to read
// or change the ring (a retransmission compared, the ring grown, a gap), or when
// the reader leaves the chunk; and then only what the ring still holds: of a run of
// large segments, the last two.
//
// Why: with --threads, the read-ahead thread wrote those bytes on the other core,
// so the reader's copy of every large segment into its ring missed the cache at
// each line. On the mixed bench capture with two threads that copy was 7 % of the
// run's samples, all on the reader thread that bounds the run.
#pragma once

#include <cstdint>
#include <vector>

#include "common/bytes.hpp"
#include "net/read_ahead.hpp"
#include "net/tcp_stream.hpp"

namespace quartet::analyzer::net {

class TailViews {
 public:
  // Keeps `b`, just delivered to `d` (it ends at d.next), as a view instead of
  // copying it into d's ring. False when it cannot (too small to be worth it, not in
  // the chunk the reader is in, no pin to be had): then settle(d) and copy it.
  bool keep(TcpStream& d, Bytes b);
  // Copies d's views into its ring: call before the ring is read or changed.
  void settle(TcpStream& d) {
    if (d.views) settle_entry(entries_[d.views - 1]);
  }
  // `d` goes away: its views are dropped, not copied.
  void forget(TcpStream& d) {
    if (d.views) entries_[d.views - 1].stream = nullptr;
    d.views = 0;
  }
  // Every stream went away.
  void clear() {
    entries_.clear();
    pin_ = {};
  }

 private:
  // Copies every view into its ring and lets go of the chunk.
  void settle_all();
  // A stream's views: `newer` ends at `end`, `older` right before it.
  struct Entry {
    TcpStream* stream = nullptr;  // null once settled or forgotten
    uint64_t end = 0;
    Bytes older, newer;
  };
  void settle_entry(Entry& e);

  // One per stream with views (TcpStream::views is its index + 1); entries settled
  // or forgotten stay until the reader leaves the chunk: at most one per segment
  // kept, so at most a chunk's bytes over ReadAhead::kInPlaceFrom (256).
  std::vector<Entry> entries_;
  ReadAhead::Pin pin_;  // on the chunk every view is in
};

}  // namespace quartet::analyzer::net
