// The COPS descriptor: RFC 2748 with COPS-PR (RFC 3084) and COPS over TLS (RFC 4261).
#include "../common/protocol.hpp"

#include "fields.hpp"
#include "framer.hpp"
#include "message.hpp"
#include "session.hpp"

namespace quartet::cops {
namespace {

// 3288: IANA "cops"; 2126: PacketCable DQoS / COPS-PR deployments; 3918:
// PacketCable Multimedia ("pktcablemmcops"). The same three Wireshark uses.
constexpr uint16_t kPorts[] = {3288, 2126, 3918};

Decoded decode(Bytes pdu, Direction dir) { return decode_message(pdu, dir).decoded; }
std::unique_ptr<Session> new_session() { return std::make_unique<CopsSession>(); }

constexpr const char* kLinkGroups[] = {"gate"};  // PacketCable gate command <-> answer

}  // namespace

const Protocol& protocol() {
  static const Protocol p{"copsx",
                          "COPS",
                          "Common Open Policy Service (quartet)",
                          field_table(),
                          kPorts,
                          {},
                          frame,
                          decode,
                          probe,
                          new_session,
                          kLinkGroups};
  return p;
}

}  // namespace quartet::cops
