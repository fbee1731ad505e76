// What one COPS message says about PacketCable gates: the values the summary,
// the validator and the gate tracker need, next to the flat field list.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace quartet::cops::packetcable {

enum class Flavor : uint8_t { Pcmm, Dqos };

struct GateMessage {
  Flavor flavor = Flavor::Pcmm;
  bool pcmm() const { return flavor == Flavor::Pcmm; }

  std::optional<uint16_t> trans_id;
  std::optional<uint16_t> cmd;
  std::optional<uint32_t> gate_id;
  std::optional<uint32_t> amid;  // Application Type << 16 | AM Tag
  std::optional<uint32_t> psid;
  std::string subscriber;              // "10.0.0.1" / "2001:db8::1", empty when absent
  std::string scn;                     // first Service Class Name
  std::optional<uint16_t> error_code;  // PacketCable Error
  std::optional<uint16_t> error_subcode;
  std::optional<uint16_t> gate_state;  // Gate State (PCMM)
  std::optional<uint16_t> gate_state_reason;
  std::optional<uint16_t> dqos_reason;  // PacketCable Reason (DQoS)
  std::optional<uint16_t> dqos_reason_subcode;
  std::optional<uint8_t> envelope;  // widest Traffic Profile envelope (1 / 3 / 7)
  std::optional<uint16_t> version_major, version_minor;
  // S-Num / S-Type of every well-formed object, for the mandatory-object check.
  std::vector<std::pair<uint8_t, uint8_t>> objects;
  bool has(uint8_t snum) const {
    for (const auto& o : objects)
      if (o.first == snum) return true;
    return false;
  }
};

}  // namespace quartet::cops::packetcable
