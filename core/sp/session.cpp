#include "session.hpp"
#include "problems.hpp"

#include "../common/text.hpp"
#include "decoder.hpp"
#include "framer.hpp"
#include "types.hpp"

namespace quartet::sp {
namespace {

// on_close lists at most this many unanswered requests one by one.
constexpr size_t kMaxCloseProblems = 16;

std::string type_text(std::optional<uint16_t> t) {
  if (!t) return "?";
  if (endpoint_info(*t)) return std::string(endpoint_short_name(*t));
  return "type " + hex_number(*t, 4);
}

}  // namespace

std::optional<uint16_t> SpSession::sender_type(Direction dir) const {
  if (side(dir).type) return side(dir).type;
  if (auto peer = side(opposite(dir)).type)
    if (const EndpointInfo* e = endpoint_info(*peer)) return e->peer;
  return std::nullopt;
}

void SpSession::decode_into(Direction dir, Bytes pdu, Decoded& out) const {
  decode_as(pdu, looks_like_header(pdu) ? std::nullopt : sender_type(dir), out);
}

void SpSession::process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& r) {
  decode_into(dir, pdu, r.decoded);
  if (looks_like_header(pdu)) on_header(dir, pdu, r.transition);
  else on_message(dir, pdu, r.decoded, ts, index, r.transition);
}

void SpSession::on_header(Direction dir, Bytes pdu, Transition& t) {
  Side& me = side(dir);
  if (me.header_seen) {
    t.problem(ProblemId::kHeaderRepeated, "second SP header from the same side; headers are sent once, first");
    return;
  }
  me.header_seen = true;
  auto h = parse_header(pdu);
  if (h) me.type = h->type;
  if (h && h->type == kPub) t.event(EventKind::Publisher, "publisher (PUB)");
  me.header_acceptable = h && h->acceptable();

  if (phase_ == Phase::AwaitingHeaders) {
    phase_ = Phase::HeaderExchange;
    t.phase("header exchange");
  }
  if (!me.header_acceptable) {
    if (phase_ != Phase::Rejected) t.info("SP header not acceptable: the peer closes the connection");
    phase_ = Phase::Rejected;
    return;
  }
  const Side& peer = side(opposite(dir));
  if (phase_ != Phase::HeaderExchange || !peer.header_seen) return;

  // Name the client (connecting) side first.
  const Side& client = side(Direction::ToServer);
  const Side& server = side(Direction::ToClient);
  std::string pair = type_text(client.type) + " <-> " + type_text(server.type);
  if (compatible(*me.type, *peer.type)) {
    phase_ = Phase::Data;
    t.info("SP peers compatible: " + pair);
    t.phase("data");
  } else {
    phase_ = Phase::Incompatible;
    t.problem(ProblemId::kSessionPeersIncompatible,
              "incompatible SP peers: " + pair + "; nanomsg and nng close such a connection");
    t.info("SP peers incompatible: " + pair);
  }
}

void SpSession::on_message(Direction dir, Bytes pdu, const Decoded&, TimeNs ts, uint64_t index, Transition& t) {
  Side& me = side(dir);
  ++me.messages;
  if (!me.header_seen && !me.reported_headerless) {
    me.reported_headerless = true;
    t.problem(ProblemId::kMessageBeforeHeader,
              "SP message before this side's connection header (or the capture missed the connection start)");
  }
  if ((phase_ == Phase::Incompatible || phase_ == Phase::Rejected) && !reported_after_close_) {
    reported_after_close_ = true;
    t.problem(ProblemId::kMessageAfterRefusal,
              "SP messages after a refused header: the peer should have closed the connection");
  }
  if (phase_ == Phase::AwaitingHeaders) {  // capture began after the header exchange
    phase_ = Phase::Data;
    t.phase("data");
  }
  match(dir, pdu, ts, index, t);
}

// Pairs requests with replies and surveys with responses by their whole
// backtrace. A REQ resending an id (its retry timer) replaces the earlier send,
// so the reply's latency counts from the latest copy.
void SpSession::match(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, Transition& t) {
  auto type = sender_type(dir);
  const EndpointInfo* info = type ? endpoint_info(*type) : nullptr;
  if (!info || (!info->sends_requests && !info->sends_responses)) return;

  Bytes payload = message_payload(pdu);
  std::string key;
  uint32_t id = 0;
  if (info->header == MessageHeader::Backtrace) {
    Backtrace bt = scan_backtrace(payload);
    if (!bt.terminated) return;  // the decoder reported it
    key = as_text(bt.stack);
    id = bt.id;
  } else {  // legacy surveyor: one id word
    if (payload.size() < 4) return;
    key = as_text(payload.first(4));
    id = be32(payload, 0);
  }
  const bool survey = std::string_view(info->id_kind) == "survey";
  OpenTable& table = survey ? surveys_ : requests_;
  auto it = table.find(key);

  if (info->sends_requests) {
    if (it != table.end())
      t.problem(ProblemId::kSessionIdRepeated,
                survey ? "survey id " + hex_number(id, 8) + " repeated (first sent in PDU #" +
                             std::to_string(it->second.index) + ")"
                       : "request id " + hex_number(id, 8) + " resent: no reply yet to PDU #" +
                             std::to_string(it->second.index));
    table.put(std::move(key), index, Outstanding{ts, id, 0});  // a resend replaces the earlier copy
    return;
  }

  if (it == table.end()) {
    t.problem(ProblemId::kSessionAnswerUnsolicited,
              survey ? "response to survey id " + hex_number(id, 8) + ", which this connection did not carry"
                     : "reply to request id " + hex_number(id, 8) + ", which is not outstanding");
    return;
  }
  t.answers(it->second.index, it->second.value.ts, ts);
  if (survey) ++it->second.value.answers;  // several respondents may answer through one device
  else table.erase(it);
}

std::vector<Problem> SpSession::on_close() {
  std::vector<const OpenTable::Entry*> open;  // in send order
  requests_.for_each_oldest_first([&](const std::string&, const OpenTable::Entry& e) { open.push_back(&e); });
  std::vector<Problem> out;
  for (size_t i = 0; i < open.size() && i < kMaxCloseProblems; ++i)
    out.push_back(session_problem(ProblemId::kSessionRequestUnanswered,
                                  "request id " + hex_number(open[i]->value.id, 8) + " (PDU #" +
                                      std::to_string(open[i]->index) + ") got no reply"));
  if (open.size() > kMaxCloseProblems)
    out.push_back(session_problem(ProblemId::kSessionRequestUnanswered,
                                  std::to_string(open.size() - kMaxCloseProblems) + " more requests got no reply"));
  requests_.clear();
  return out;
}

std::string_view SpSession::state() const {
  switch (phase_) {
    case Phase::AwaitingHeaders: return "awaiting headers";
    case Phase::HeaderExchange: return "header exchange";
    case Phase::Data: return "data";
    case Phase::Incompatible: return "incompatible";
    case Phase::Rejected: return "rejected";
  }
  return "?";
}

std::unique_ptr<Session> new_session() { return std::make_unique<SpSession>(); }

}  // namespace quartet::sp
