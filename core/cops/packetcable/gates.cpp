#include "gates.hpp"

#include <cstdio>

#include "../../common/pending.hpp"

#include "../problems.hpp"
#include "names.hpp"

namespace quartet::cops::packetcable {
namespace {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string ms(TimeNs ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(ns) / 1e6);
  return buf;
}

// The command an answer answers (0: not an answer).
uint16_t request_of(bool pcmm, uint16_t cmd) {
  switch (cmd) {
    case kGateSetAck:
    case kGateSetErr: return kGateSet;
    case kGateInfoAck:
    case kGateInfoErr: return kGateInfo;
    case kGateDeleteAck:
    case kGateDeleteErr: return kGateDelete;
    default: break;
  }
  if (pcmm) {
    switch (cmd) {
      case kPdpConfigAck:
      case kPdpConfigErr: return kPdpConfig;
      case kSynchReport:
      case kSynchComplete: return kSynchRequest;
      default: return 0;
    }
  }
  return cmd == kGateAllocAck || cmd == kGateAllocErr ? kGateAlloc : 0;
}

bool is_error(bool pcmm, uint16_t cmd) {
  return cmd == kGateSetErr || cmd == kGateInfoErr || cmd == kGateDeleteErr ||
         (pcmm ? cmd == kPdpConfigErr || cmd == kGateCmdErr : cmd == kGateAllocErr);
}

// What a Gate-Set's widest envelope asks for (PKT-SP-MM-I05 6.4.2.7).
std::string envelope_state(uint8_t env) {
  if (env & 4) return "committed";
  if (env & 2) return "reserved";
  return "authorized";
}

std::string state_name(uint16_t s) {
  switch (s) {
    case 1: return "idle/closed";
    case 2: return "authorized";
    case 3: return "reserved";
    case 4: return "committed";
    case 5: return "committed-recovery";
    default: return "state " + std::to_string(s);
  }
}

const char* verb(uint16_t cmd, bool modify) {
  switch (cmd) {
    case kGateSet: return modify ? "modify" : "set";
    case kGateInfo: return "info";
    case kGateDelete: return "delete";
    case kGateAlloc: return "alloc";
    default: return "command";
  }
}

}  // namespace

bool is_command(bool pcmm, uint16_t cmd) {
  // Every PDP command is answered, unknown ones by Gate-Cmd-Err; only Msg-Receipt is not.
  return !request_of(pcmm, cmd) && !(pcmm && (cmd == kMsgReceipt || cmd == kGateCmdErr));
}

GateTracker::Gate* GateTracker::gate(bool pcmm, uint32_t id, uint64_t index) {
  auto key = std::make_pair(pcmm, id);
  auto it = gates_.find(key);
  if (it != gates_.end()) return &it->second;
  if (gates_.size() >= quartet::kMaxPending) return nullptr;
  Gate& g = gates_[key];
  g.first_index = index;
  return &g;
}

void GateTracker::set_state(Gate& g, const std::string& s) {
  if (g.state == s) return;
  g.state = s;
  g.history.push_back(s);
}

std::string GateTracker::on_message(const GateMessage& m, bool from_pdp, bool midstream, TimeNs ts, uint64_t index,
                                    Transition& t) {
  if (!m.cmd || !m.trans_id) return {};
  const bool pcmm = m.pcmm();
  const uint16_t cmd = *m.cmd;
  const std::string label = cmd_label(pcmm, cmd);
  const std::string trans = " trans=" + std::to_string(*m.trans_id);
  auto info = [&](std::string text) { t.info(std::move(text)); };

  if (from_pdp && is_command(pcmm, cmd)) {
    if (pending_.size() >= quartet::kMaxPending) {
      if (!pending_cap_reported_) info("too many gate commands outstanding; no longer pairing new ones");
      pending_cap_reported_ = true;
    } else {
      pending_.emplace(Key{pcmm, *m.trans_id}, Pending{index, static_cast<TimeNs>(ts), cmd, m.gate_id, m.amid,
                                                       m.envelope.value_or(0), m.subscriber, m.scn});
    }
    if (m.gate_id) {
      if (Gate* g = gate(pcmm, *m.gate_id, index)) {
        ++g->commands;
        if (!m.subscriber.empty()) g->subscriber = m.subscriber;
        if (!m.scn.empty()) g->scn = m.scn;
        return g->state;
      }
    }
    return {};
  }

  if (uint16_t req = request_of(pcmm, cmd); req || (pcmm && cmd == kGateCmdErr)) {
    // The answer: same Transaction Identifier, matching command (any for
    // Gate-Cmd-Err), same AMID when both carry one.
    auto range = pending_.equal_range(Key{pcmm, *m.trans_id});
    auto hit = pending_.end();
    for (auto it = range.first; it != range.second; ++it) {
      if (req && it->second.cmd != req) continue;
      if (m.amid && it->second.amid && *m.amid != *it->second.amid) continue;
      hit = it;
      break;
    }
    const bool err = is_error(pcmm, cmd);
    std::string err_text = err && m.error_code ? ": " + error_label(pcmm, *m.error_code) : "";
    if (err) {
      ++errors_;
      error_lines_.push_back(label + trans + (err_text.empty() ? ": no PacketCable Error object" : err_text));
    }
    if (hit == pending_.end()) {
      t.response_to.reset();  // not the handle's last DEC either: answers are not in DEC order
      t.latency.reset();
      if (!midstream && !(pcmm && cmd == kSynchReport))
        t.problem(ProblemId::kPktcGateAnswerUnsolicited,
                  label + trans + " answers no outstanding " +
                      (req ? cmd_label(pcmm, req) : std::string("gate command")) + " with that Transaction ID");
    } else {
      const Pending p = hit->second;
      t.answers(p.index, p.ts, ts);
      t.link_group = "gate";
      // Synch-Reports come before the one Synch-Complete that ends the request.
      if (!(pcmm && cmd == kSynchReport)) pending_.erase(hit);
      ++answered_;
      std::optional<uint32_t> gid = m.gate_id ? m.gate_id : p.gate_id;
      // Capture times can run backwards (clamped timestamps): then no latency.
      const std::string when = t.latency ? "after " + ms(*t.latency) : "latency unknown";
      const std::string after = " " + when;
      if (!gid) {
        if (err) info(label + trans + err_text + " (" + when + ")");
        return {};
      }
      if (err) {
        auto known = gates_.find({pcmm, *gid});
        info("gate " + hex32(*gid) + " " + label + trans + err_text + " (" + when + ")");
        if (known == gates_.end()) return {};
        ++known->second.errors;
        known->second.last_error = label + trans + err_text;
        return known->second.state;
      }
      Gate* g = gate(pcmm, *gid, index);
      if (!g) return {};
      if (g->subscriber.empty()) g->subscriber = m.subscriber.empty() ? p.subscriber : m.subscriber;
      if (g->scn.empty()) g->scn = p.scn;
      const std::string was = g->state;
      const bool modify = pcmm && p.gate_id.has_value();
      if (p.cmd == kGateSet || p.cmd == kGateAlloc) {
        if (p.cmd == kGateSet && pcmm) set_state(*g, envelope_state(p.envelope));
        else set_state(*g, p.cmd == kGateAlloc ? "allocated" : "authorized");
        if (!p.gate_id) ++g->commands;
      } else if (p.cmd == kGateDelete) {
        set_state(*g, "deleted");
      } else if (m.gate_state) {
        set_state(*g, state_name(*m.gate_state));
      }
      const std::string now = g->state.empty() ? std::string("state unknown") : g->state;
      const bool changes = p.cmd == kGateSet || p.cmd == kGateAlloc || p.cmd == kGateDelete;
      if (changes)
        info("gate " + hex32(*gid) + " " + verb(p.cmd, modify) + " \u2192 " + now + " (" + label + after + ")");
      else if (was.empty() || was == now) info("gate " + hex32(*gid) + " " + now + " (" + label + after + ")");
      else info("gate " + hex32(*gid) + " " + was + " \u2192 " + now + " (" + label + after + ")");
      return g->state;
    }
    return {};
  }

  // Unsolicited reports about a gate: PCMM Gate-Report-State, DQoS Gate-Open/Gate-Close.
  if (!m.gate_id) return {};
  Gate* g = gate(pcmm, *m.gate_id, index);
  if (!g) return {};
  std::string before = g->state.empty() ? "unknown" : g->state;
  std::string why;
  if (pcmm && cmd == kGateReportState && m.gate_state) {
    set_state(*g, state_name(*m.gate_state));
    if (m.gate_state_reason)
      if (const char* r = name_of(gate_state_reason_names(), *m.gate_state_reason)) why = std::string(": ") + r;
  } else if (!pcmm && cmd == kGateOpen) {
    set_state(*g, "committed");
  } else if (!pcmm && cmd == kGateClose) {
    set_state(*g, "closed");
    if (m.dqos_reason_subcode)
      if (const char* r =
              name_of(*m.dqos_reason == 1 ? dqos_reason_close_subcode_names() : dqos_reason_delete_subcode_names(),
                      *m.dqos_reason_subcode))
        why = std::string(": ") + r;
  } else {
    return g->state;
  }
  info("gate " + hex32(*m.gate_id) + " " + before + " \u2192 " + g->state + " (" + label + why + ")");
  return g->state;
}

std::vector<Problem> GateTracker::on_close() const {
  std::vector<Problem> out;
  for (const auto& [key, p] : pending_) {
    std::string text =
        cmd_label(key.first, p.cmd) + " trans=" + std::to_string(key.second) + " #" + std::to_string(p.index);
    if (p.gate_id) text += " for gate " + hex32(*p.gate_id);
    out.push_back(session_problem(ProblemId::kPktcGateUnanswered, text + " never answered"));
  }
  return out;
}

std::vector<std::string> GateTracker::summary() const {
  std::vector<std::string> out;
  if (gates_.empty() && pending_.empty() && !answered_ && error_lines_.empty()) return out;
  out.push_back("gates: " + std::to_string(gates_.size()) + " seen, " + std::to_string(answered_) +
                " command(s) answered, " + std::to_string(errors_) + " error(s), " + std::to_string(pending_.size()) +
                " unanswered");
  for (const auto& [key, g] : gates_) {
    std::string s = "gate " + hex32(key.second);
    if (!g.subscriber.empty()) s += " sub=" + g.subscriber;
    if (!g.scn.empty()) s += " SCN=" + g.scn;
    s += ": ";
    if (g.history.empty()) s += "state unknown";
    for (size_t i = 0; i < g.history.size(); ++i) s += (i ? " \u2192 " : "") + g.history[i];
    if (g.errors) s += ", " + std::to_string(g.errors) + " error(s), last " + g.last_error;
    out.push_back(std::move(s));
  }
  for (const auto& e : error_lines_) out.push_back(e);
  return out;
}

}  // namespace quartet::cops::packetcable
