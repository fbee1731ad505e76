// The RRP session state machine of RFC 2832 section 3:
//   PRE  waiting for connection and authentication (SESSION)
//   WFR  first SESSION failed: one retry allowed
//   WFC  authenticated, waiting for a command
//   EXE  a command is being executed (a request awaits its response)
//   DIS  disconnected: QUIT/220, a second failed SESSION, or a closing code
// Requests and responses are paired in order (RRP has no transaction ids; the
// client must wait for each response), which gives response_to and latency.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "../common/pending.hpp"
#include "../common/session.hpp"
#include "codes.hpp"
#include "decoder.hpp"

namespace quartet::rrp {

enum class State : uint8_t { PRE, WFR, WFC, EXE, DIS };
std::string_view state_name(State s);

class RrpSession final : public Session {
 public:
  std::vector<Problem> on_close() override;
  std::string_view state() const override { return state_name(state_); }

 protected:
  void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) override;
  void decode_into(Direction dir, Bytes pdu, Decoded& out) const override;

 private:
  struct Pending {
    uint64_t index;
    TimeNs ts;
    Command command;
    std::string registrar_id;  // SESSION -Id, for the "authenticated as" event
  };
  static constexpr TimeNs kIdleTimeout = TimeNs{600} * 1'000'000'000;

  void on_request(const Message& m, TimeNs ts, uint64_t index, Transition& t);
  void on_response(const Message& m, TimeNs ts, Transition& t);
  void on_greeting(Transition& t);
  void unsolicited_response(const Message& m, Transition& t);
  void after_session_reply(const Pending& req, uint16_t code, Transition& t);
  void enter(State s, std::string why, Transition& t);

  State state_ = State::PRE;
  PendingQueue<Pending> pending_;  // bounded by kMaxPending
  bool started_ = false;           // a request or response has been seen
  bool greeted_ = false;
  std::optional<TimeNs> last_ts_;
  std::optional<uint64_t> joined_request_;  // first request of a session joined mid-stream
};

std::unique_ptr<Session> new_session();

}  // namespace quartet::rrp
