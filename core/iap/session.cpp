#include "session.hpp"
#include "problems.hpp"

#include <optional>
#include <string>

#include "../common/pending.hpp"
#include "decoder.hpp"

namespace quartet::iap {
namespace {

std::string type_name(MsgType t) { return name_of(type_names(), static_cast<uint8_t>(t)); }

std::string join(const std::vector<std::string_view>& hosts) {
  std::string s;
  for (auto h : hosts) {
    if (!s.empty()) s += ", ";
    s += h;
  }
  return s;
}

class IapSession final : public Session {
 public:
  std::vector<Problem> on_close() override {
    std::vector<Problem> out;
    for (const auto& p : pending_)
      out.push_back(session_problem(ProblemId::kSessionRequestUnanswered,
                                    type_name(p.type) + " #" + std::to_string(p.index) + " was never answered"));
    pending_.clear();
    return out;
  }

  std::string_view state() const override { return phase_name(phase_); }

 protected:
  void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) override {
    thread_local Message m;  // its list keeps its capacity from message to message
    parse(pdu, dir, out.decoded, m);
    if (out.decoded.is_request) request(dir, m, ts, index, out.transition);
    if (out.decoded.is_response) response(dir, m, ts, out.transition);
  }

  // Every IAP message decodes on its own; no session context is needed.
  void decode_into(Direction dir, Bytes pdu, Decoded& out) const override { iap::decode(pdu, dir, out); }

 private:
  struct Pending {
    uint64_t index;
    TimeNs ts;
    Direction dir;
    MsgType type;
    std::string version;
    std::optional<Role> role;
    bool loop;
  };

  void move_to(Phase p, Transition& t) {
    if (p == phase_) return;
    phase_ = p;
    t.phase(std::string(phase_name(p)));
  }

  // Draft 3: the setup phase is request/response with the TCP initiator as requestor.
  static void from_initiator(Direction dir, MsgType type, Transition& t) {
    if (dir != Direction::ToServer)
      t.problem(ProblemId::kSessionFromResponder, type_name(type) +
                                                      " sent by the responder: setup requests come from the TCP "
                                                      "connection initiator (draft 3)");
  }

  static void via_event(const Message& m, Transition& t) {
    if (m.via.empty()) return;
    std::string s =
        "relayed via " + std::to_string(m.via.size()) + (m.via.size() == 1 ? " proxy: " : " proxies: ") + join(m.via);
    if (!m.loop_host.empty()) s += " (loop at " + std::string(m.loop_host) + ")";
    t.info(std::move(s));
  }

  void request(Direction dir, const Message& m, TimeNs ts, uint64_t index, Transition& t) {
    if (phase_ == Phase::Refused)
      t.problem(ProblemId::kSessionAfterRefusal, type_name(m.type) + " after the connection was refused");
    switch (m.type) {
      case MsgType::ConnectRequest:
        from_initiator(dir, m.type, t);
        if (connect_seen_ || phase_ != Phase::TcpSetup)
          t.problem(ProblemId::kSessionOutOfPhase, "CONNECT in phase " + std::string(phase_name(phase_)));
        connect_seen_ = true;
        if (setup_version_.empty()) setup_version_ = m.version;
        via_event(m, t);
        break;
      case MsgType::UpgradeRequest:
        from_initiator(dir, m.type, t);
        if (phase_ == Phase::TcpSetup) {
          t.problem(ProblemId::kSessionOutOfPhase, connect_seen_ ? "Upgrade before the CONNECT was accepted (draft 3.2)"
                                                                 : "Upgrade without a CONNECT (draft 3.1)");
          move_to(Phase::SecuritySetup, t);
        } else if (phase_ != Phase::SecuritySetup && phase_ != Phase::Refused) {
          t.problem(ProblemId::kSessionOutOfPhase, "Upgrade in phase " + std::string(phase_name(phase_)));
        }
        if (setup_version_.empty()) setup_version_ = m.version;
        break;
      case MsgType::ChannelSetup:
        from_initiator(dir, m.type, t);
        if (phase_ == Phase::TcpSetup || phase_ == Phase::SecuritySetup) {
          t.problem(ProblemId::kSessionOutOfPhase,
                    "channel setup in the clear: no TLS upgrade was accepted (draft 3.3)");
          move_to(Phase::ChannelSetup, t);
        } else if (phase_ == Phase::Tls) {
          move_to(Phase::ChannelSetup, t);
        } else if (phase_ != Phase::Refused) {
          t.problem(ProblemId::kSessionOutOfPhase,
                    "repeated channel setup in phase " + std::string(phase_name(phase_)));
        }
        check_channel_version(m, t);
        break;
      case MsgType::Content:
        if (phase_ != Phase::Data && phase_ != Phase::Refused)
          t.problem(ProblemId::kSessionOutOfPhase,
                    "content before the channel setup completed (phase " + std::string(phase_name(phase_)) + ")");
        if (role_) {
          // 4.2: Sender = the TCP initiator sends the requests, Receiver = it receives them.
          Direction expected = *role_ == Role::Sender ? Direction::ToServer : Direction::ToClient;
          if (dir != expected)
            t.problem(ProblemId::kSessionContentWrongSide,
                      std::string("content from the ") + (dir == Direction::ToServer ? "initiator" : "responder") +
                          " although the initiator's IAP-Role is " + (*role_ == Role::Sender ? "Sender" : "Receiver"));
        }
        break;
      case MsgType::Response:
      case MsgType::Unknown: return;
    }
    pending_.push({index, ts, dir, m.type, std::string(m.version), m.role, !m.loop_host.empty()});
  }

  // Draft 3.3 / 6.6: the version verified inside TLS must be the one the clear-text
  // setup ran with, else someone downgraded it.
  void check_channel_version(const Message& m, Transition& t) {
    if (m.iap_version.empty() || setup_version_.size() < 4) return;
    std::string_view setup_number = std::string_view(setup_version_).substr(4);
    if (m.iap_version == setup_number) return;
    std::string text = "version mismatch: channel setup verifies IAP-Version " + std::string(m.iap_version) +
                       " but the setup ran as " + setup_version_;
    t.problem(ProblemId::kVersionMismatch, text);
    t.info(text);
  }

  void response(Direction dir, const Message& m, TimeNs ts, Transition& t) {
    auto it = pending_.begin();
    while (it != pending_.end() && it->dir == dir) ++it;
    if (it == pending_.end()) {
      t.problem(ProblemId::kSessionResponseUnsolicited,
                "response " + std::to_string(*m.status) + " without an outstanding request");
      return;
    }
    Pending req = pending_.take(it);
    t.answers(req.index, req.ts, ts);
    via_event(m, t);

    uint16_t code = *m.status;
    if (!req.version.empty() && !m.version.empty() && req.version != m.version) {
      std::string text = "version mismatch: request sent as " + req.version + ", answered as " + std::string(m.version);
      t.problem(ProblemId::kVersionMismatch, text);
      t.info(text);
    }
    bool ok = code / 100 == 2;
    switch (req.type) {
      case MsgType::ConnectRequest:
        if (ok) move_to(Phase::SecuritySetup, t);
        else refuse(t, "CONNECT", code, req.loop || !m.loop_host.empty());
        break;
      case MsgType::UpgradeRequest:
        if (code == 101) {
          move_to(Phase::Tls, t);
          t.tls_follows = true;
          t.event(EventKind::TlsHandoff, "TLS 1.0 handshake follows the 101 (draft 3.2)");
        } else if (ok) {
          t.problem(ProblemId::kSessionUpgradeNot101,
                    "Upgrade answered with " + std::to_string(code) + " instead of 101: no TLS hand-off (draft 3.2)");
        } else {
          refuse(t, "Upgrade", code, false);
        }
        break;
      case MsgType::ChannelSetup:
        if (ok) {
          role_ = req.role;
          move_to(Phase::Data, t);
          if (role_)
            t.info(std::string("channel ready: the initiator is the ") +
                   (*role_ == Role::Sender ? "Sender" : "Receiver"));
        } else {
          refuse(t, "channel setup", code, false);
        }
        break;
      case MsgType::Content:
        if (!ok)
          t.info("content rejected: " + std::to_string(code) + " " + std::string(status_meaning(code)) +
                 " (draft 3.4)");
        break;
      default: break;
    }
  }

  // Draft 3.1 / 3.2: 4xx refuses the connection, 502 answers a proxy loop, 500 a
  // server that is not configured, 505 a version the peer does not speak.
  void refuse(Transition& t, std::string_view what, uint16_t code, bool loop) {
    std::string text =
        std::string(what) + " refused: " + std::to_string(code) + " " + std::string(status_meaning(code));
    if (code == 502) text += loop ? " (proxy loop on the Via path)" : " (a proxy found itself on the Via path?)";
    if (code == 500 && what == "Upgrade") text += " (server not configured for TLS?)";
    t.info(text);
    if (code == 505) {
      std::string v = "version mismatch: the peer does not support " + setup_version_;
      t.problem(ProblemId::kVersionMismatch, v);
      t.info(v);
    }
    move_to(Phase::Refused, t);
  }

  PendingQueue<Pending> pending_;  // bounded by kMaxPending
  Phase phase_ = Phase::TcpSetup;
  bool connect_seen_ = false;
  std::string setup_version_;
  std::optional<Role> role_;
};

}  // namespace

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::TcpSetup: return "tcp-setup";
    case Phase::SecuritySetup: return "security-setup";
    case Phase::Tls: return "tls";
    case Phase::ChannelSetup: return "channel-setup";
    case Phase::Data: return "data";
    case Phase::Refused: return "refused";
  }
  return "?";
}

std::unique_ptr<Session> new_session() { return std::make_unique<IapSession>(); }

}  // namespace quartet::iap
