// The IAP descriptor the wrappers see (draft-ietf-idwg-iap-01, IAP/0.3).
#include "../common/protocol.hpp"
#include "../common/resync.hpp"
#include "problems.hpp"

#include "decoder.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "session.hpp"

namespace quartet::iap {
namespace {

// IANA never assigned IAP a port (draft 1.4 expected one; the work moved to IDXP,
// RFC 4767, port 603, a different protocol). 4720 is unassigned in the IANA
// registry (Wireshark's copy of it) and no Wireshark dissector claims it, so it
// steals no traffic; the plugin keeps it a preference and the heuristic (probe)
// finds IAP on any port.
constexpr uint16_t kPorts[] = {4720};

constexpr StatisticDef kStatistics[] = {
    {"Status codes", Field::kStatusCode},
};

}  // namespace

const Protocol& protocol() {
  // Short name "IAP" is shared with Wireshark's IrDA plugin ("Information Access
  // Protocol", filter "iap"); the filter name and the long name differ.
  static const Protocol p{
      .filter_name = "iapx",
      .short_name = "IAP",
      .long_name = "Intrusion Alert Protocol",
      .fields = fields(),
      .problems = problem_defs(),
      .default_tcp_ports = kPorts,
      .frame = frame,
      .decode = decode,
      .probe = probe,
      .new_session = new_session,
      .line_oriented = true,
      .resync = resync_at_line_start<probe>,
      .statistics = kStatistics,
  };
  return p;
}

}  // namespace quartet::iap
