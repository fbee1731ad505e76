// Stream events recorded by the reader of `quartet --threads` for one decoding
// worker and replayed there, in the same order, into that worker's Analyzer. The
// bytes of on_data (a view into the reader's packet buffer, valid only during the
// call) and texts are copied into the batch's arena; the bytes of a large segment
// read ahead (net::ReadAhead) stay where they were read, their chunk pinned by the
// batch until it is cleared (after the worker replayed it).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "net/read_ahead.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer {

struct StreamEvent {
  enum class Kind : uint8_t { Open, Data, Gap, FlowWarning, Fin, ConnState, Close, Secrets };
  uint64_t flow = 0;
  TimeNs ts = 0;
  uint64_t aux = 0;  // Data/FlowWarning/Secrets: arena offset; Gap: missing bytes; Open/ConnState: index
  uint64_t len = 0;  // arena bytes
  Kind kind = Kind::Data;
  Side side = Side::Client;
  CloseReason why = CloseReason::Fin;
  int8_t ts_decimals = 6;  // Close: the output's timestamp decimals at that moment
  bool pinned = false;     // Data: aux is the bytes' address in a chunk the batch pins
};

struct EventBatch {
  std::vector<StreamEvent> events;
  std::vector<std::byte> arena;
  std::vector<FlowInfo> opens;
  std::vector<ConnSummary> states;
  std::vector<net::ReadAhead::Pin> pins;  // the chunks pinned events' bytes are in
  size_t pinned_bytes = 0;

  void clear() {
    events.clear();
    arena.clear();
    opens.clear();
    states.clear();
    pins.clear();  // lets go of the chunks
    pinned_bytes = 0;
  }
  // Bytes in the batch, copied or pinned (what bounds its size).
  size_t bytes_held() const { return arena.size() + pinned_bytes; }
  StreamEvent& add(StreamEvent::Kind kind, uint64_t flow, TimeNs ts) {
    StreamEvent& e = events.emplace_back();
    e.kind = kind;
    e.flow = flow;
    e.ts = ts;
    return e;
  }
  void copy(StreamEvent& e, const void* data, size_t n) {
    e.aux = arena.size();
    e.len = n;
    const auto* p = static_cast<const std::byte*>(data);
    arena.insert(arena.end(), p, p + n);
  }
  // `n` bytes at `data`, in the chunk of the ReadAhead `from` reads now: pinned, not
  // copied (one pin per chunk and batch). False when the chunk cannot be pinned (the
  // bound of pinned chunks): copy them then.
  bool keep(StreamEvent& e, net::ReadAhead& from, const std::byte* data, size_t n) {
    if (pins.empty() || pins.back().chunk() != from.current()) {
      net::ReadAhead::Pin pin = from.pin_current();
      if (!pin) return false;
      pins.push_back(std::move(pin));
    }
    e.pinned = true;
    e.aux = reinterpret_cast<uintptr_t>(data);
    e.len = n;
    pinned_bytes += n;
    return true;
  }
  Bytes bytes(const StreamEvent& e) const {
    if (e.pinned) return Bytes(reinterpret_cast<const std::byte*>(e.aux), e.len);
    return Bytes(arena.data() + e.aux, e.len);
  }
  std::string_view text(const StreamEvent& e) const {
    return {reinterpret_cast<const char*>(arena.data() + e.aux), e.len};
  }
};

}  // namespace quartet::analyzer
