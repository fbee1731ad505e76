#include "session.hpp"
#include "common/hex.hpp"


#include "decoder.hpp"
#include "framer.hpp"
#include "types.hpp"

namespace quartet::sp {
namespace {

// Requests and surveys remembered per connection; beyond this the oldest is
// forgotten (a REQ that never gets replies must not grow memory without bound).
constexpr size_t kMaxOutstanding = 4096;
// on_close lists at most this many unanswered requests one by one.
constexpr size_t kMaxCloseProblems = 16;

Direction opposite(Direction d) {
  return d == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
}

std::string hex32(uint32_t v) { return hex_fixed(v, 8); }

std::string type_text(std::optional<uint16_t> t) {
  if (!t) return "?";
  if (endpoint_info(*t)) return std::string(endpoint_short_name(*t));
  return "type " + hex_fixed(*t, 4);
}

Problem session_problem(ProblemKind k, std::string text) { return {k, 0, 0, std::move(text)}; }

}  // namespace

std::optional<uint16_t> SpSession::sender_type(Direction dir) const {
  if (side(dir).type) return side(dir).type;
  if (auto peer = side(opposite(dir)).type)
    if (const EndpointInfo* e = endpoint_info(*peer)) return e->peer;
  return std::nullopt;
}

Decoded SpSession::decode(Direction dir, Bytes pdu) const {
  return decode_pdu(pdu, looks_like_header(pdu) ? std::nullopt : sender_type(dir));
}

MessageRecord SpSession::on_pdu(Direction dir, Bytes pdu, TimeNs ts, uint64_t index) {
  MessageRecord r;
  r.decoded = decode(dir, pdu);
  if (looks_like_header(pdu))
    on_header(dir, pdu, r.transition);
  else
    on_message(dir, pdu, r.decoded, ts, index, r.transition);
  return r;
}

void SpSession::on_header(Direction dir, Bytes pdu, Transition& t) {
  Side& me = side(dir);
  if (me.header_seen) {
    t.problems.push_back(session_problem(
        ProblemKind::Violation, "second SP header from the same side; headers are sent once, first"));
    return;
  }
  me.header_seen = true;
  auto h = parse_header(pdu);
  if (h) me.type = h->type;
  me.header_acceptable = h && h->acceptable();

  if (phase_ == Phase::AwaitingHeaders) {
    phase_ = Phase::HeaderExchange;
    t.events.push_back({EventKind::Phase, "header exchange"});
  }
  if (!me.header_acceptable) {
    if (phase_ != Phase::Rejected)
      t.events.push_back({EventKind::Info, "SP header not acceptable: the peer closes the connection"});
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
    t.events.push_back({EventKind::Info, "SP peers compatible: " + pair});
    t.events.push_back({EventKind::Phase, "data"});
  } else {
    phase_ = Phase::Incompatible;
    t.problems.push_back(session_problem(
        ProblemKind::Violation,
        "incompatible SP peers: " + pair + "; nanomsg and nng close such a connection"));
    t.events.push_back({EventKind::Info, "SP peers incompatible: " + pair});
  }
}

void SpSession::on_message(Direction dir, Bytes pdu, const Decoded&, TimeNs ts, uint64_t index,
                           Transition& t) {
  Side& me = side(dir);
  ++me.messages;
  if (!me.header_seen && !me.reported_headerless) {
    me.reported_headerless = true;
    t.problems.push_back(session_problem(
        ProblemKind::Violation,
        "SP message before this side's connection header (or the capture missed the connection start)"));
  }
  if ((phase_ == Phase::Incompatible || phase_ == Phase::Rejected) && !reported_after_close_) {
    reported_after_close_ = true;
    t.problems.push_back(session_problem(
        ProblemKind::Sequence,
        "SP messages after a refused header: the peer should have closed the connection"));
  }
  if (phase_ == Phase::AwaitingHeaders) {  // capture began after the header exchange
    phase_ = Phase::Data;
    t.events.push_back({EventKind::Phase, "data"});
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
  auto it = table.by_key.find(key);

  if (info->sends_requests) {
    if (it != table.by_key.end())
      t.problems.push_back(session_problem(
          ProblemKind::Sequence,
          survey ? "survey id " + hex32(id) + " repeated (first sent in PDU #" +
                       std::to_string(it->second.index) + ")"
                 : "request id " + hex32(id) + " resent: no reply yet to PDU #" +
                       std::to_string(it->second.index)));
    table.put(std::move(key), Outstanding{index, ts, id, 0});
    return;
  }

  if (it == table.by_key.end()) {
    t.problems.push_back(session_problem(
        ProblemKind::Sequence,
        survey ? "response to survey id " + hex32(id) + ", which this connection did not carry"
               : "reply to request id " + hex32(id) + ", which is not outstanding"));
    return;
  }
  t.response_to = it->second.index;
  t.latency = ts - it->second.ts;
  if (survey)
    ++it->second.answers;  // several respondents may answer through one device
  else
    table.erase(it);
}

void SpSession::OpenTable::put(std::string key, Outstanding o) {
  auto it = by_key.find(key);
  if (it != by_key.end()) erase(it);  // a resend replaces the earlier copy
  if (by_key.size() >= kMaxOutstanding && !by_index.empty()) {
    auto oldest = by_key.find(by_index.begin()->second);
    if (oldest != by_key.end()) erase(oldest);
  }
  by_index.emplace(o.index, key);
  by_key.emplace(std::move(key), o);
}

void SpSession::OpenTable::erase(std::map<std::string, Outstanding>::iterator it) {
  by_index.erase(it->second.index);
  by_key.erase(it);
}

std::vector<Problem> SpSession::on_close() {
  // by_index lists them in send order.
  std::vector<const Outstanding*> open;
  for (const auto& [index, key] : requests_.by_index)
    if (auto it = requests_.by_key.find(key); it != requests_.by_key.end()) open.push_back(&it->second);
  std::vector<Problem> out;
  for (size_t i = 0; i < open.size() && i < kMaxCloseProblems; ++i)
    out.push_back(session_problem(ProblemKind::Sequence,
                                  "request id " + hex32(open[i]->id) + " (PDU #" +
                                      std::to_string(open[i]->index) + ") got no reply"));
  if (open.size() > kMaxCloseProblems)
    out.push_back(session_problem(ProblemKind::Sequence,
                                  std::to_string(open.size() - kMaxCloseProblems) +
                                      " more requests got no reply"));
  requests_ = {};
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

}  // namespace quartet::sp
