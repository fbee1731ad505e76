// The COPS connection machine (RFC 2748 section 4, RFC 4261 4): per client-type
// OPN -> CAT/CC, keep-alives against the negotiated KA timer, per-Handle request
// state REQ -> DEC -> RPT -> DRQ, SSQ -> SSC, and the COPS/TLS upgrade point.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "../common/pending.hpp"
#include "../common/session.hpp"
#include "message.hpp"
#include "packetcable/gates.hpp"

namespace quartet::cops {

// Session phases: one per connection, shown in events and in state().
enum class Phase : uint8_t {
  Connected,  // TCP up, no Client-Open yet (or the first message inside TLS)
  Opening,    // an OPN awaits its CAT/CC
  Open,       // a client-type is accepted
  Tls,        // an RFC 4261 hand-off: TLS follows
  Closed,     // every client-type closed (CC)
};
std::string_view phase_name(Phase p);

class CopsSession final : public Session {
 public:
  std::vector<Problem> on_close() override;
  std::string_view state() const override { return phase_name(phase_); }
  std::vector<std::string> closing_notes() const override { return gates_.summary(); }

 protected:
  void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) override;
  void decode_into(Direction dir, Bytes pdu, Decoded& out) const override;

 private:
  struct Pending {
    uint64_t index = 0;
    TimeNs ts = 0;
  };
  struct Client {
    bool accepted = false;
    std::optional<Pending> open;  // OPN awaiting CAT/CC
    bool tls_offer = false;       // that OPN carried Integrity-TLS (RFC 4261)
  };
  struct HandleState {
    std::string bytes;                // the handle as the REQ carried it
    std::optional<Pending> request;   // REQ awaiting its DEC
    std::optional<Pending> decision;  // DEC whose solicited RPT may follow
  };
  // (client-type, handle without trailing padding zeros): one stack may count
  // the Handle's padding in its length and the peer not (see handle_key()).
  using HandleKey = std::pair<uint16_t, std::string>;

  void set_phase(Phase phase, Transition& t);
  void answer(std::optional<Pending>& pending, TimeNs ts, Transition& t);
  void on_open(const Message& m, TimeNs ts, uint64_t index, Transition& t);
  void on_accept(const Message& m, TimeNs ts, Transition& t);
  void on_close_msg(const Message& m, bool from_pep, TimeNs ts, Transition& t);
  void on_handle_msg(const Message& m, TimeNs ts, uint64_t index, Transition& t);
  bool accepted(uint16_t client_type);
  bool sender_is_pep(Direction dir, uint8_t opcode);

  std::map<uint16_t, Client> clients_;
  PendingMap<HandleKey, HandleState> handles_;  // bounded by kMaxPending, oldest forgotten
  std::optional<Pending> ka_;                   // KA from the PEP awaiting the PDP's echo
  std::optional<Pending> ssq_;                  // SSQ awaiting SSC
  uint16_t ka_timer_ = 0;                       // seconds, from the last CAT; 0 = none
  std::optional<TimeNs> last_pep_ts_;
  bool handle_cap_reported_ = false;
  // Which direction the PEP sends on. Usually the TCP client, but in PacketCable
  // Multimedia the PDP (policy server) connects to the CMTS (PEP); learned from
  // the first message only one side may send (OPN, REQ, CAT, DEC...).
  std::optional<Direction> pep_dir_;
  // The first message was not an OPN: the capture started inside a running
  // session (COPS connections live for days). Client-types and handles are
  // then adopted when first seen instead of being reported as out of sequence.
  bool midstream_ = false;
  bool seen_any_ = false;
  Phase phase_ = Phase::Connected;
  packetcable::GateTracker gates_;  // PacketCable DQoS / PCMM gate commands and states
};

std::unique_ptr<Session> new_session();

}  // namespace quartet::cops
