// The SP descriptor: nanomsg/nng Scalability Protocols over TCP (and over TLS,
// where the same bytes run inside the TLS stream, sp-tls-mapping-01).
#include "../common/protocol.hpp"
#include "problems.hpp"

#include "decoder.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "session.hpp"

namespace quartet::sp {
// No default port: SP has none (sp-tcp-mapping-01 section 1: "port numbers are
// assigned to individual services by the user"). The port in nanomsg examples,
// 5555, is also Android's adb port, so claiming it would mislabel real traffic;
// the wrappers find SP by the heuristic (the 8-byte header) and a user port range.
const Protocol& protocol() {
  static const Protocol p{
      .filter_name = "sp",
      .short_name = "SP",
      .long_name = "Scalability Protocols (nanomsg SP)",
      .fields = fields(),
      .problems = problem_defs(),
      .frame = frame,
      .decode = decode,  // stateless: Session::decode knows the socket types
      .probe = probe,
      .new_session = new_session,
  };
  return p;
}

}  // namespace quartet::sp
