// What the dissector hands to its protocol's tap for each decoded message. The
// Flow Graph, the Service Response Time tables and the Statistics tree all read
// it, so they count exactly what the packet list shows (one source of truth: the
// core's decode and its session machine's request/response pairing).
// Everything lives in pinfo->pool: taps run at the end of the frame's dissection.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/session.hpp"
#include "proto_context.hpp"

namespace quartet::plugin {

// One count for the Statistics tree: `label` under `branch` (under `parent`
// inside the branch when set, for two-level branches like request → response).
struct StatCount {
  const char* branch;
  const char* parent;  // nullptr: directly under the branch
  const char* label;
};

// The branches every protocol's Statistics tree has besides the core's own
// (Protocol::statistics): responses under the kind of request they answer, and
// the problems the core found, by kind.
inline constexpr const char* kRequestResponseBranch = "Responses by request";
inline constexpr const char* kProblemBranch = "Problems";

struct TapMessage {
  const char* protocol = "";  // the Protocol column (COPS, RRP, IAP, SP)
  const char* info = "";      // this message's Info text: the Flow Graph label
  guint16 conversation = 0;   // colours one connection's arrows alike
  // Set when the session machine paired this response with a request.
  bool answers_request = false;
  bool first_answer = false;      // and is the first answer to it (what SRT counts)
  const char* request_kind = "";  // the request's kind (Decoded::request_kind)
  nstime_t request_time{};        // so that response time = this frame's time - it
  const StatCount* counts = nullptr;
  size_t n_counts = 0;
};

// The response's pairing, read from the session record (first pass or later).
struct Pairing {
  std::string_view request_kind;  // lives as long as the request's session record
  TimeNs latency = 0;
  // The request's first answer: the one response-time statistics count (a Synch-Request's
  // several Synch-Reports, a repeated answer count once, as in the analyzer's table).
  bool first_answer = true;
};

// Queues the message on c.tap when someone listens (a -z option, an open
// statistics dialog); costs nothing otherwise.
void tap_message(const ProtoContext& c, packet_info* pinfo, const Decoded& decoded, const Transition* tr,
                 const std::optional<Pairing>& pairing, const char* info);

}  // namespace quartet::plugin
