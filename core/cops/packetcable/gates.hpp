// Gate semantics over one COPS connection, which no dissector follows: every
// gate command paired with its answer by Transaction ID (PKT-SP-MM-I05 6.3: not
// in DEC order), the Gate ID learned from the Ack, each gate's state over time
// (authorized / reserved / committed / deleted, errors), and the commands left
// unanswered at close. Memory: at most kMaxPending (common/pending.hpp)
// outstanding commands and as many gates per connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "../../common/session.hpp"
#include "gate_message.hpp"

namespace quartet::cops::packetcable {

// A command the PDP sends and the PEP must answer (Gate-Set, Gate-Info, Gate-Delete,
// PDP-Config, Synch-Request; DQoS Gate-Alloc; unknown commands, answered by
// Gate-Cmd-Err): a request, with its own row in response-time statistics.
bool is_command(bool pcmm, uint16_t cmd);

class GateTracker {
 public:
  // One DEC (from the PDP) or RPT (from the PEP) carrying gate data. Sets the
  // Transition's response link for answers, adds "gate ..." events, and
  // returns the gate state after this message ("" when no gate is concerned).
  std::string on_message(const GateMessage& g, bool from_pdp, bool midstream, TimeNs ts, uint64_t index, Transition& t);
  // Commands never answered.
  std::vector<Problem> on_close() const;
  // One line per gate and one for the connection's gate commands.
  std::vector<std::string> summary() const;

 private:
  struct Pending {
    uint64_t index = 0;
    TimeNs ts = 0;
    uint16_t cmd = 0;
    std::optional<uint32_t> gate_id;
    std::optional<uint32_t> amid;
    uint8_t envelope = 0;
    std::string subscriber, scn;  // for the gate the Ack names
  };
  struct Gate {
    std::string state;
    std::string subscriber;
    std::string scn;
    uint64_t first_index = 0;
    unsigned commands = 0;
    unsigned errors = 0;
    std::string last_error;
    std::vector<std::string> history;  // states in order, e.g. committed, deleted
  };
  using Key = std::pair<bool, uint16_t>;  // (PCMM?, Transaction Identifier)

  Gate* gate(bool pcmm, uint32_t id, uint64_t index);
  void set_state(Gate& g, const std::string& s);

  std::multimap<Key, Pending> pending_;
  std::map<std::pair<bool, uint32_t>, Gate> gates_;
  unsigned answered_ = 0, errors_ = 0;
  std::vector<std::string> error_lines_;  // "Gate-Set-Err trans=17: Insufficient Resources (1)"
  bool pending_cap_reported_ = false;
};

}  // namespace quartet::cops::packetcable
