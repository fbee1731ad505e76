// The RRP descriptor (RFC 2832, RFC 3632) as the plugin and the analyzer see it.
#include "../common/protocol.hpp"

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

Decoded decode_pdu(Bytes pdu, Direction dir) { return decode(pdu, dir); }

// Commands x response codes come from the request/response pairs every protocol gets.
constexpr StatisticDef kStatistics[] = {
    {"Commands", kCommand},
    {"Response codes", kCode},
};

}  // namespace

const Protocol& protocol() {
  static const Protocol p{"rrp",      "RRP", "Registry Registrar Protocol", fields(), {}, kTlsPorts,
                          frame,      decode_pdu, probe, new_session, kStatistics};
  return p;
}

}  // namespace quartet::rrp
