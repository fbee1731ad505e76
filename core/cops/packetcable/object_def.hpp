// One PacketCable S-object kind: its S-Num/S-Type, name, body size and layout.
#pragma once

#include <cstdint>

#include "layouts.hpp"

namespace quartet::cops::packetcable {

enum class Special : uint8_t {
  None,
  TrafficProfile,  // envelope word + 1..3 parameter sets whose size depends on the issue
  ServiceClassName,
  UserId,          // NUL-padded UTF-8, variable length
  RawVariable,     // contents nobody documented (DQoS MCEI, SDP): shown raw
  RemoteGateInfo,  // fixed head, then reserved + key of uncertain size
};

struct ObjectDef {
  uint8_t snum;
  uint8_t stype;
  const char* name;
  uint16_t body;  // fixed body size in bytes (Length - 4); for Special kinds the minimum
  Layout items;
  Special special = Special::None;
};

// nullptr when the S-Num/S-Type pair is not defined for that client.
const ObjectDef* pcmm_object(uint8_t snum, uint8_t stype);
const ObjectDef* dqos_object(uint8_t snum, uint8_t stype);

// Traffic Profile parameter sets (PCMM S-Num 7): the layout of one set for an
// S-Type in a specification issue (5 = I05, 4 = I04, 3 = I03); empty when the
// S-Type has no sets (2 Service Class Name, 9 Upstream Drop) or did not exist.
Layout traffic_profile_set(uint8_t stype, int issue);

}  // namespace quartet::cops::packetcable
