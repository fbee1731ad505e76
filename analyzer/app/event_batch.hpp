// Stream events recorded by the reader of `quartet --threads` for one decoding
// worker and replayed there, in the same order, into that worker's Analyzer. The
// bytes of on_data (a view into the reader's packet buffer, valid only during the
// call) and texts are copied into the batch's arena.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

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
};

struct EventBatch {
  std::vector<StreamEvent> events;
  std::vector<std::byte> arena;
  std::vector<FlowInfo> opens;
  std::vector<ConnSummary> states;

  void clear() {
    events.clear();
    arena.clear();
    opens.clear();
    states.clear();
  }
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
  Bytes bytes(const StreamEvent& e) const { return Bytes(arena.data() + e.aux, e.len); }
  std::string_view text(const StreamEvent& e) const {
    return {reinterpret_cast<const char*>(arena.data() + e.aux), e.len};
  }
};

}  // namespace quartet::analyzer
