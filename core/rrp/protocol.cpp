// The RRP descriptor (RFC 2832, RFC 3632) as the plugin and the analyzer see it.
#include "../common/protocol.hpp"
#include "../common/resync.hpp"
#include "problems.hpp"

#include "decoder.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "session.hpp"

namespace quartet::rrp {
namespace {

// RFC 2832 2.1: RRP runs over SSL/TLS on 648. Plaintext RRP (labs, test beds)
// is not bound to a port: port 648 is claimed for TLS, so the plaintext case is
// found by probe() instead.
constexpr uint16_t kTlsPorts[] = {648};

// Commands x response codes come from the request/response pairs every protocol gets.
constexpr StatisticDef kStatistics[] = {
    {"Commands", Field::kCommand},
    {"Response codes", Field::kCode},
};

}  // namespace

const Protocol& protocol() {
  static const Protocol p{
      .filter_name = "rrp",
      .short_name = "RRP",
      .long_name = "Registry Registrar Protocol",
      .fields = fields(),
      .problems = problem_defs(),
      .default_tls_ports = kTlsPorts,
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

}  // namespace quartet::rrp
