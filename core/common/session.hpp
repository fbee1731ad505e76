// Session state machines: one per TCP connection, fed complete PDUs in capture
// order per direction. The machine pairs requests with responses, tracks phases,
// spots TLS hand-off points and reports sequence violations.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "bytes.hpp"
#include "decoded.hpp"

namespace quartet {

using TimeNs = int64_t;  // nanoseconds since the epoch

// to - from, when it is >= 0 and representable. Capture timestamps can be anything
// (hostile or corrupt files), so no latency or idle time is a raw subtraction.
inline std::optional<TimeNs> elapsed(TimeNs from, TimeNs to) {
  TimeNs d = 0;
  if (__builtin_sub_overflow(to, from, &d) || d < 0) return std::nullopt;
  return d;
}

enum class EventKind : uint8_t {
  Phase,       // the protocol's session phase changed (text names the new phase)
  TlsHandoff,  // both directions carry TLS after this PDU (RFC 4261 CAT, IAP 101)
  Info,        // anything else worth a timeline line (e.g. "SP peers compatible: REQ <-> REP")
  Publisher,   // the sender of this PDU publishes to its peer (SP PUB): the analyzer's fan-out
               // view groups its subscribers. A fact for the wrappers, not a timeline line.
};

struct Event {
  EventKind kind;
  std::string text;
};

// What the session machine concluded from one PDU.
struct Transition {
  std::optional<uint64_t> response_to;  // index of the request PDU this one answers
  std::optional<TimeNs> latency;        // ts(this) - ts(request)
  std::vector<Problem> problems;        // sequence/state violations (session level)
  std::vector<Event> events;
  bool tls_follows = false;  // the bytes after this PDU, both directions, are TLS
  // The pairing above belongs to one of the protocol's link groups (Protocol::link_groups,
  // e.g. "gate" for PacketCable gate commands): wrappers show it there as well.
  const char* link_group = nullptr;

  // --- builder helpers, used by the session machines ----------------------------
  template <ProblemEnum E>
  void problem(E id, std::string text) {
    problems.push_back(Problem::of(id, 0, 0, std::move(text)));
  }
  void event(EventKind k, std::string text) { events.push_back({k, std::move(text)}); }
  void info(std::string text) { event(EventKind::Info, std::move(text)); }
  void phase(std::string name) { event(EventKind::Phase, std::move(name)); }
  // This PDU (at `ts`) answers request `index` sent at `request_ts`.
  void answers(uint64_t index, TimeNs request_ts, TimeNs ts) {
    response_to = index;
    latency = elapsed(request_ts, ts);
  }
};

// A session-level problem (no position within a PDU).
template <ProblemEnum E>
Problem session_problem(E id, std::string text) {
  return Problem::of(id, 0, 0, std::move(text));
}

struct MessageRecord {
  Decoded decoded;
  Transition transition;

  // Ready for the next PDU; capacity is kept.
  void clear() {
    decoded.clear();
    transition.response_to.reset();
    transition.latency.reset();
    transition.problems.clear();
    transition.events.clear();
    transition.tls_follows = false;
    transition.link_group = nullptr;
  }
};

class Session {
 public:
  virtual ~Session() = default;
  // `index` numbers the PDUs of the connection (both directions) from 0 in the
  // order the caller delivers them; Transition::response_to refers to it.
  // `out` is cleared first: a caller that reuses one record from PDU to PDU decodes
  // without allocating once its buffers have grown (the analyzer does).
  void on_pdu(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) {
    out.clear();
    process(dir, pdu, ts, index, out);
  }
  MessageRecord on_pdu(Direction dir, Bytes pdu, TimeNs ts, uint64_t index) {
    MessageRecord r;
    process(dir, pdu, ts, index, r);
    return r;
  }
  // Decodes a PDU in the context this session has learned, without advancing the
  // machine. SP needs it: a message's protocol header (backtrace, survey id, hop
  // count) depends on the socket types exchanged at connection start. The plugin
  // calls it when Wireshark re-dissects a frame after the first pass.
  void decode(Direction dir, Bytes pdu, Decoded& out) const {
    out.clear();
    decode_into(dir, pdu, out);
  }
  Decoded decode(Direction dir, Bytes pdu) const {
    Decoded d;
    decode_into(dir, pdu, d);
    return d;
  }
  // End of the connection: requests still unanswered and similar findings.
  virtual std::vector<Problem> on_close() { return {}; }
  // Lines summing up what the session learned, for the end of its timeline
  // (e.g. the PacketCable gates of a COPS connection). Called after on_close().
  virtual std::vector<std::string> closing_notes() const { return {}; }
  // The current phase/state name, e.g. "WFC" for RRP or "data" for IAP.
  virtual std::string_view state() const = 0;

 protected:
  // What on_pdu() and decode() run, into an empty `out`.
  virtual void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) = 0;
  virtual void decode_into(Direction dir, Bytes pdu, Decoded& out) const = 0;
};

}  // namespace quartet
