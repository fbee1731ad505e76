// PacketCable client-specific data: the S-objects PCMM (0x800A) and DQoS
// (0x8008) carry in Decision C-Type 4 (DEC) and Signaled ClientSI (RPT, OPN).
#pragma once

#include <cstddef>
#include <string>

#include "../../common/bytes.hpp"
#include "../../common/decoded.hpp"
#include "gate_message.hpp"

namespace quartet::cops {
struct ClientDecoder;
}

namespace quartet::cops::packetcable {

const ClientDecoder& pcmm_decoder();
const ClientDecoder& dqos_decoder();

// Decodes the S-objects in [off, off+len) of `pdu` into fields and `gm`.
// Returns the bytes accounted for (zero bytes left at the end are the
// container's padding, for the caller to judge). Never gives up on the rest:
// a bad object is reported and skipped when its length can be trusted.
size_t decode_objects(Flavor flavor, Bytes pdu, size_t off, size_t len, Decoded& out, GateMessage& gm);

// "Gate-Set trans=36563 sub=10.32.110.180 SCN=extrm_up", "Gate-Set-Err trans=17: Insufficient Resources (1)".
std::string summary(const GateMessage& gm);

}  // namespace quartet::cops::packetcable
