#include "session.hpp"
#include "problems.hpp"

#include <utility>

#include "text.hpp"

namespace quartet::rrp {
namespace {}  // namespace

std::string_view state_name(State s) {
  switch (s) {
    case State::PRE: return "PRE";
    case State::WFR: return "WFR";
    case State::WFC: return "WFC";
    case State::EXE: return "EXE";
    case State::DIS: return "DIS";
  }
  return "?";
}

void RrpSession::decode_into(Direction dir, Bytes pdu, Decoded& out) const { rrp::decode(pdu, dir, out); }

void RrpSession::process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& r) {
  Message m;
  parse(pdu, dir, r.decoded, m);
  Transition& t = r.transition;
  // RFC 2832 3: servers MAY disconnect a session idle for 10 minutes (SHOULD be the timeout).
  std::optional<TimeNs> idle = last_ts_ ? elapsed(*last_ts_, ts) : std::nullopt;
  if (idle && *idle > kIdleTimeout && state_ != State::DIS)
    t.info("connection idle for " + std::to_string(*idle / 1'000'000'000) +
           " s, beyond RRP's 10-minute session timeout");
  last_ts_ = ts;
  if (state_ == State::DIS && m.kind != Kind::Empty)
    t.problem(ProblemId::kSessionAfterClose, "data after the session was closed (DIS)");
  switch (m.kind) {
    case Kind::Request: on_request(m, ts, index, t); break;
    case Kind::Response: on_response(m, ts, t); break;
    case Kind::Greeting: on_greeting(t); break;
    case Kind::Empty: break;
  }
}

void RrpSession::on_request(const Message& m, TimeNs ts, uint64_t index, Transition& t) {
  bool first_message = !started_ && !greeted_;
  started_ = true;
  if (state_ == State::DIS) return;  // nothing will answer it
  // Servers greet first and clients open with SESSION: a capture that starts with
  // another command most likely joined an authenticated session. The server's
  // answer settles it (see on_response).
  if (first_message && m.command != Command::Session && m.command != Command::Quit) {
    joined_request_ = index;
    enter(State::WFC, "joined after authentication (no greeting or SESSION seen)", t);
  }
  if (!pending_.empty())
    t.problem(ProblemId::kSessionPipelined, "request sent before the response to request #" +
                                                std::to_string(pending_.back().index) +
                                                " (RFC 2832 3: the client waits for each response)");
  bool authenticated = state_ == State::WFC || state_ == State::EXE;
  if (!authenticated && m.command != Command::Session && m.command != Command::Quit)
    t.problem(ProblemId::kSessionUnauthenticated,
              (m.command == Command::Unknown ? std::string("command") : ascii_upper(command_name(m.command))) +
                  " before a successful SESSION (state " + std::string(state_name(state_)) + ")");
  if (authenticated && m.command == Command::Session)
    t.problem(ProblemId::kSessionRepeatedSession, "SESSION on an already authenticated connection");
  pending_.push({index, ts, m.command, std::string(m.registrar_id)});
  if (state_ == State::WFC) state_ = State::EXE;  // per command: no Phase event (see README.md)
}

void RrpSession::on_response(const Message& m, TimeNs ts, Transition& t) {
  if (state_ == State::DIS) return;
  if (pending_.empty()) return unsolicited_response(m, t);
  // After a capture gap the CHECK this answers may be missing: leave the request
  // that is waiting for the next answer instead of pairing it wrongly.
  if (answers_check_only(m.code) && pending_.front().command != Command::Check) {
    started_ = true;
    return t.problem(ProblemId::kSessionCheckMissing, "response " + std::to_string(m.code) +
                                                          " answers a CHECK, but request #" +
                                                          std::to_string(pending_.front().index) + " (" +
                                                          std::string(command_name(pending_.front().command)) +
                                                          ") is the one awaiting an answer: the CHECK was not seen");
  }
  started_ = true;
  Pending req = pending_.take_front();
  t.answers(req.index, req.ts, ts);

  if (joined_request_ && *joined_request_ == req.index) {
    joined_request_.reset();
    if (m.code == 530 || m.code == 547) {  // it was not authenticated after all
      t.problem(ProblemId::kSessionUnauthenticated, ascii_upper(command_name(req.command)) +
                                                        " before a successful SESSION (answered " +
                                                        std::to_string(m.code) + ")");
      return enter(State::PRE, "not authenticated (" + std::to_string(m.code) + ")", t);
    }
  }

  if (req.command == Command::Session && state_ != State::WFC && state_ != State::EXE)
    return after_session_reply(req, m.code, t);
  if (req.command == Command::Quit && m.code == 220) return enter(State::DIS, "QUIT acknowledged (220)", t);
  if (closes_connection(m.code)) return enter(State::DIS, "server closing (" + std::to_string(m.code) + ")", t);
  if (state_ == State::EXE && pending_.empty()) state_ = State::WFC;
}

// Nothing was asked. Before the first request a server may still speak: a
// greeting worded as a response ("200 <registry> RRP Server ...") or a refusal
// that closes the connection (521 too many sessions, 420/520).
void RrpSession::unsolicited_response(const Message& m, Transition& t) {
  bool before_requests = !started_;
  started_ = true;
  std::string code = std::to_string(m.code);
  if (before_requests && !greeted_ && m.text.find("RRP Server") != std::string_view::npos) {
    greeted_ = true;
    t.info("response-shaped server greeting: " + code + " " + std::string(m.text));
    return;
  }
  bool refusal = before_requests && closes_connection(m.code) && m.code != 220;
  if (refusal) return enter(State::DIS, "server closing (" + code + ")", t);
  // A response first of all answers a request sent before the capture started.
  if (before_requests && !greeted_)
    return enter(closes_connection(m.code) ? State::DIS : State::WFC,
                 "joined mid-session (the first message is a response)", t);
  t.problem(ProblemId::kSessionResponseUnsolicited, "response " + code + " without an outstanding request");
  if (closes_connection(m.code)) enter(State::DIS, "server closing (" + code + ")", t);
}

// PRE/WFR: 200 authenticates; a first failure allows one retry (WFR), a second disconnects.
void RrpSession::after_session_reply(const Pending& req, uint16_t code, Transition& t) {
  if (code == 200)
    return enter(State::WFC, "authenticated" + (req.registrar_id.empty() ? std::string() : " as " + req.registrar_id),
                 t);
  std::string why = "SESSION failed (" + std::to_string(code) + ")";
  if (closes_connection(code)) return enter(State::DIS, why + ", server closing", t);
  if (state_ == State::PRE) return enter(State::WFR, why + "; one retry left", t);
  enter(State::DIS, why + " twice", t);
}

// The greeting's own summary already says what it is: no event.
void RrpSession::on_greeting(Transition& t) {
  if (started_) t.problem(ProblemId::kSessionGreetingLate, "server greeting after the session started");
  else if (greeted_) t.problem(ProblemId::kSessionGreetingLate, "second server greeting");
  greeted_ = true;
}

void RrpSession::enter(State s, std::string why, Transition& t) {
  if (s == State::WFC && !pending_.empty()) s = State::EXE;  // a pipelined request is already waiting
  state_ = s;
  t.phase(std::string(state_name(s == State::EXE ? State::WFC : s)) + ": " + why);
}

std::vector<Problem> RrpSession::on_close() {
  std::vector<Problem> out;
  for (const Pending& p : pending_)
    out.push_back(session_problem(
        ProblemId::kSessionRequestUnanswered,
        "request #" + std::to_string(p.index) + " (" + std::string(command_name(p.command)) + ") was never answered"));
  pending_.clear();
  return out;
}

std::unique_ptr<Session> new_session() { return std::make_unique<RrpSession>(); }

}  // namespace quartet::rrp
