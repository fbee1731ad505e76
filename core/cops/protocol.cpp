// The COPS descriptor: RFC 2748 with COPS-PR (RFC 3084) and COPS over TLS (RFC 4261).
#include "../common/protocol.hpp"
#include "../common/resync.hpp"

#include "decoder.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "problems.hpp"
#include "session.hpp"

namespace quartet::cops {
namespace {

// 3288: IANA "cops"; 2126: PacketCable DQoS / COPS-PR deployments; 3918:
// PacketCable Multimedia ("pktcablemmcops"). The same three Wireshark uses.
constexpr uint16_t kPorts[] = {3288, 2126, 3918};

// Wireshark's Statistics tree: what a COPS user asks first.
constexpr StatisticDef kStatistics[] = {
    {"Op-codes", Field::kHeaderOpcode},
    {"Client types", Field::kHeaderClientType},
    {"Decisions", Field::kDecisionCommand},
    {"Errors", Field::kErrorCode},
};
constexpr const char* kLinkGroups[] = {"gate"};  // PacketCable gate command <-> answer

}  // namespace

const Protocol& protocol() {
  static const Protocol p{
      .filter_name = "copsx",
      .short_name = "COPS",
      .long_name = "Common Open Policy Service (quartet)",
      .fields = fields(),
      .problems = problem_defs(),
      .default_tcp_ports = kPorts,
      .frame = frame,
      .decode = decode,
      .probe = probe,
      .new_session = new_session,
      .resync = resync_at_any_byte<probe>,
      .statistics = kStatistics,
      .link_groups = kLinkGroups,
  };
  return p;
}

}  // namespace quartet::cops
