#include "session.hpp"
#include "problems.hpp"

#include <cstdio>

#include "decoder.hpp"
#include "names.hpp"

namespace quartet::cops {
namespace {

constexpr TimeNs kNsPerSec = 1'000'000'000;

bool sent_by_pep(uint8_t op) { return op == kREQ || op == kRPT || op == kDRQ || op == kOPN || op == kSSC; }
bool sent_by_pdp(uint8_t op) { return op == kDEC || op == kSSQ || op == kCAT; }

std::string seconds(TimeNs ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ns) / kNsPerSec);
  return buf;
}

std::string ct(uint16_t client_type) { return "client-type " + client_type_short(client_type); }

// Handles are opaque, but a Handle whose Length counted its padding (RFC 2748
// 2.2 says it must not; some PCMM stacks do) carries up to 3 extra zero bytes
// up to a 32-bit boundary. Dropping those zeros lets "00001234abcd" from one
// side and "00001234abcd0000" from the other name the same request state.
std::string handle_key(std::string_view h) {
  size_t n = h.size();
  if ((n + 4) % 4 == 0)
    for (int i = 0; i < 3 && n > 1 && h[n - 1] == 0; ++i) --n;
  return std::string(h.substr(0, n));
}

}  // namespace

void CopsSession::decode_into(Direction dir, Bytes pdu, Decoded& out) const { cops::decode(pdu, dir, out); }

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::Connected: return "connected";
    case Phase::Opening: return "opening";
    case Phase::Open: return "open";
    case Phase::Tls: return "tls";
    case Phase::Closed: return "closed";
  }
  return "?";
}

void CopsSession::set_phase(Phase phase, Transition& t) {
  if (phase_ == phase) return;
  phase_ = phase;
  t.phase(std::string(phase_name(phase)));
}

void CopsSession::answer(std::optional<Pending>& pending, TimeNs ts, Transition& t) {
  t.answers(pending->index, pending->ts, ts);
  pending.reset();
}

bool CopsSession::sender_is_pep(Direction dir, uint8_t op) {
  if (!pep_dir_) {
    if (sent_by_pep(op)) pep_dir_ = dir;
    else if (sent_by_pdp(op)) pep_dir_ = opposite(dir);
  }
  // Before any telling message (KA, CC first), assume the usual: PEP = TCP client.
  return dir == pep_dir_.value_or(Direction::ToServer);
}

bool CopsSession::accepted(uint16_t client_type) {
  auto it = clients_.find(client_type);
  if (it == clients_.end() && midstream_) {
    clients_[client_type].accepted = true;
    return true;
  }
  return it != clients_.end() && it->second.accepted;
}

void CopsSession::process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& rec) {
  thread_local Message scratch;  // its lists keep their capacity from message to message
  parse(pdu, dir, rec.decoded, scratch);
  Transition& t = rec.transition;
  const Message& m = scratch;
  const char* op = opcode_abbrev(m.opcode);
  if (!m.has_header || !op) return;
  if (!seen_any_) {
    seen_any_ = true;
    if (m.opcode != kOPN) {
      midstream_ = true;
      t.info(
          "no Client-Open seen: session picked up mid-stream, "
          "client-types and handles adopted as they appear");
      set_phase(Phase::Open, t);
    }
  }
  bool from_pep = sender_is_pep(dir, m.opcode);
  // The decoder guessed KA/CC roles from the TCP direction; correct them.
  if (m.opcode == kKA) {
    rec.decoded.is_request = from_pep;
    rec.decoded.is_response = !from_pep;
  } else if (m.opcode == kCC) {
    rec.decoded.is_response = !from_pep;
  }

  // After an RFC 4261 hand-off the wrappers feed only what TLS decrypted (clear
  // bytes would not parse as TLS records and never reach us), so this PDU is the
  // first of the COPS session inside TLS: it starts over with its own Client-Open.
  if (phase_ == Phase::Tls) {
    t.info("first COPS message inside TLS");
    set_phase(Phase::Connected, t);
  }
  if (from_pep && sent_by_pdp(m.opcode))
    t.problem(ProblemId::kSessionWrongSender, std::string(op) + " sent by the PEP (RFC 2748: only the PDP sends it)");
  if (!from_pep && sent_by_pep(m.opcode))
    t.problem(ProblemId::kSessionWrongSender, std::string(op) + " sent by the PDP (RFC 2748: only the PEP sends it)");

  // RFC 2748 4.4: the PDP expects some message from the PEP within the KA timer.
  if (from_pep) {
    std::optional<TimeNs> silent = last_pep_ts_ ? elapsed(*last_pep_ts_, ts) : std::nullopt;
    if (ka_timer_ && silent && *silent > TimeNs{ka_timer_} * kNsPerSec)
      t.problem(ProblemId::kSessionKaTimeout, "PEP silent for " + seconds(*silent) +
                                                  ", longer than the Keep-Alive timer (" + std::to_string(ka_timer_) +
                                                  " s)");
    last_pep_ts_ = ts;
  }

  switch (m.opcode) {
    case kOPN: on_open(m, ts, index, t); break;
    case kCAT: on_accept(m, ts, t); break;
    case kCC: on_close_msg(m, from_pep, ts, t); break;
    case kKA:
      if (from_pep) {
        ka_ = Pending{index, ts};
      } else if (ka_) {
        answer(ka_, ts, t);
      } else {
        t.problem(ProblemId::kSessionKaUnsolicited, "KA from the PDP without a KA from the PEP to echo (RFC 2748 3.9)");
      }
      if (clients_.empty() && !midstream_) t.problem(ProblemId::kSessionBeforeOpen, "KA before any Client-Open");
      break;
    case kSSQ:
      if (!accepted(m.client_type))
        t.problem(ProblemId::kSessionBeforeAccept, "SSQ before Client-Accept for " + ct(m.client_type));
      ssq_ = Pending{index, ts};
      t.info("PDP requests state synchronization");
      break;
    case kSSC:
      if (ssq_) answer(ssq_, ts, t);
      else t.problem(ProblemId::kSessionSscUnsolicited, "SSC without a preceding SSQ");
      break;
    default: on_handle_msg(m, ts, index, t); break;
  }
  // PacketCable: gate answers pair by Transaction ID, not by handle order.
  if (m.gate && (m.opcode == kDEC || m.opcode == kRPT)) gates_.on_message(*m.gate, !from_pep, midstream_, ts, index, t);
}

void CopsSession::on_open(const Message& m, TimeNs ts, uint64_t index, Transition& t) {
  Client& c = clients_[m.client_type];
  if (c.accepted)
    t.problem(ProblemId::kSessionOpenRepeated, "OPN for " + ct(m.client_type) + ", which is already accepted");
  if (c.open) t.problem(ProblemId::kSessionOpenRepeated, "second OPN for " + ct(m.client_type) + " before CAT/CC");
  c.open = Pending{index, ts};
  c.tls_offer = m.client_type == kClientTypeNone && m.integrity_tls;
  if (m.client_type == kClientTypeNone && !m.integrity_tls)
    t.problem(ProblemId::kTlsOpnWithoutIntegrity, "OPN with client-type 0 but no Integrity-TLS object (RFC 4261 3)");
  if (phase_ == Phase::Connected || phase_ == Phase::Closed) set_phase(Phase::Opening, t);
}

void CopsSession::on_accept(const Message& m, TimeNs ts, Transition& t) {
  Client& c = clients_[m.client_type];
  if (c.open) {
    answer(c.open, ts, t);
  } else {
    t.problem(ProblemId::kSessionCatUnsolicited, "CAT without a pending OPN for " + ct(m.client_type));
  }
  c.accepted = true;
  if (m.ka_timer) ka_timer_ = *m.ka_timer;
  if (c.tls_offer) {
    // RFC 4261 4.1: after this CAT the PEP starts the TLS handshake; every
    // further byte on both directions is TLS.
    c.tls_offer = false;
    t.tls_follows = true;
    t.event(EventKind::TlsHandoff, "TLS handshake follows this Client-Accept (RFC 4261)");
    if (!m.integrity_tls)
      t.problem(ProblemId::kTlsCatWithoutIntegrity,
                "CAT answering an Integrity-TLS OPN carries no Integrity-TLS object "
                "(RFC 4261 4.1: the PEP must close)");
    set_phase(Phase::Tls, t);
    return;
  }
  set_phase(Phase::Open, t);
}

void CopsSession::on_close_msg(const Message& m, bool from_pep, TimeNs ts, Transition& t) {
  Client& c = clients_[m.client_type];
  if (!from_pep && c.open) {
    answer(c.open, ts, t);
    if (c.tls_offer) t.info("PDP refuses COPS over TLS");
  } else if (!c.accepted && !c.open) {
    t.problem(ProblemId::kSessionCcUnopened, "CC for " + ct(m.client_type) + ", which was never opened");
  }
  c = Client{};
  // The client-type's request states die with it (RFC 2748 3.8).
  handles_.erase_if([&](const HandleKey& k, const HandleState&) { return k.first == m.client_type; });
  bool any = false;
  for (const auto& [type, client] : clients_) any = any || client.accepted || client.open;
  if (!any) set_phase(Phase::Closed, t);
}

void CopsSession::on_handle_msg(const Message& m, TimeNs ts, uint64_t index, Transition& t) {
  const char* op = opcode_abbrev(m.opcode);
  if (!accepted(m.client_type))
    t.problem(ProblemId::kSessionBeforeAccept, std::string(op) + " before Client-Accept for " + ct(m.client_type));
  if (!m.handle) return;  // the validator reported the missing handle
  HandleKey key{m.client_type, handle_key(*m.handle)};
  auto it = handles_.find(key);
  std::string h = "handle " + handle_hex(*m.handle);

  bool adopt = m.opcode != kDRQ && midstream_;
  if (m.opcode == kREQ || (it == handles_.end() && adopt)) {
    if (it == handles_.end()) {
      it = handles_.put(std::move(key), index, HandleState{std::string(*m.handle), {}, {}});
      if (handles_.dropped() == 1 && !handle_cap_reported_) {
        handle_cap_reported_ = true;
        t.info("too many open handles: the oldest are no longer followed");
      }
    }
    // A REQ for a known handle updates its state (RFC 2748 3.1) and is answered anew.
    if (m.opcode == kREQ) {
      it->second.value.request = Pending{index, ts};
      return;
    }
    if (m.opcode == kDEC) it->second.value.decision = Pending{index, ts};
    return;  // adopted: its REQ/DEC was before the capture
  }
  if (it == handles_.end()) {
    if (midstream_) return;  // DRQ of a state from before the capture
    t.problem(ProblemId::kSessionHandleUnknown, std::string(op) + " for unknown " + h);
    return;
  }
  HandleState& s = it->second.value;
  if (s.bytes != *m.handle)
    t.problem(ProblemId::kSessionHandlePadding,
              h + " is " + handle_hex(s.bytes) + " of the REQ with padding counted in one of the Handle lengths");
  switch (m.opcode) {
    case kDEC:
      if (s.request) {
        answer(s.request, ts, t);
      } else if (m.solicited()) {
        t.problem(ProblemId::kSessionDecUnsolicited, "solicited DEC for " + h + " without an outstanding REQ");
      }
      s.decision = Pending{index, ts};
      break;
    case kRPT:
      // PacketCable answers are paired by Transaction ID (GateTracker), not by handle.
      if (m.solicited() && !(m.gate && m.gate->cmd)) {
        if (s.decision) answer(s.decision, ts, t);
        else t.problem(ProblemId::kSessionRptUnsolicited, "solicited RPT for " + h + " without a DEC to report on");
      }
      break;
    case kDRQ:
      if (s.request) t.info("request for " + h + " deleted before any DEC");
      handles_.erase(it);
      break;
    default: break;
  }
}

std::vector<Problem> CopsSession::on_close() {
  std::vector<Problem> out;
  for (const auto& [key, entry] : handles_)
    if (const HandleState& s = entry.value; s.request)
      out.push_back(session_problem(ProblemId::kSessionReqUnanswered, "REQ #" + std::to_string(s.request->index) +
                                                                          " for handle " + handle_hex(s.bytes) + " (" +
                                                                          ct(key.first) + ") never answered by a DEC"));
  for (const auto& [type, c] : clients_)
    if (c.open)
      out.push_back(session_problem(
          ProblemId::kSessionOpnUnanswered,
          "OPN #" + std::to_string(c.open->index) + " for " + ct(type) + " never answered by CAT or CC"));
  if (ssq_)
    out.push_back(session_problem(ProblemId::kSessionSsqUnanswered,
                                  "SSQ #" + std::to_string(ssq_->index) + " never completed by an SSC"));
  for (Problem& p : gates_.on_close()) out.push_back(std::move(p));
  return out;
}

std::unique_ptr<Session> new_session() { return std::make_unique<CopsSession>(); }

}  // namespace quartet::cops
