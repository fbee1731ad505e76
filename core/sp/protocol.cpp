// The SP descriptor: nanomsg/nng Scalability Protocols over TCP (and over TLS,
// where the same bytes run inside the TLS stream, sp-tls-mapping-01).
#include "../common/protocol.hpp"

#include "decoder.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "session.hpp"

namespace quartet::sp {
namespace {

// The stateless decoder cannot know the sender's socket type, so a message is
// shown as length + raw payload. Guessing would mislead: a REQ request id word
// (top bit set) and a PUB body starting with a byte >= 0x80 look the same.
// Session::decode gives the full decode once the headers have been seen.
Decoded decode_stateless(Bytes pdu, Direction) { return decode_pdu(pdu, std::nullopt); }

std::unique_ptr<Session> new_session() { return std::make_unique<SpSession>(); }

// Socket types from the connection headers; pairings from the session machine's
// verdict on the two headers ("SP peers compatible: REQ <-> REP").
constexpr StatisticDef kStatistics[] = {
    {"Socket types", kType},
    {"Pairings", 0, "SP peers "},
};

}  // namespace

// No default port: SP has none (sp-tcp-mapping-01 section 1: "port numbers are
// assigned to individual services by the user"). The port in nanomsg examples,
// 5555, is also Android's adb port, so claiming it would mislabel real traffic;
// the wrappers find SP by the heuristic (the 8-byte header) and a user port range.
const Protocol& protocol() {
  static const Protocol p{"sp",
                          "SP",
                          "Scalability Protocols (nanomsg SP)",
                          field_table(),
                          {},
                          {},
                          frame,
                          decode_stateless,
                          probe,
                          new_session,
                          kStatistics};
  return p;
}

}  // namespace quartet::sp
