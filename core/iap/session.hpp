// IAP session machine (draft sections 2.3 and 3): TCP setup -> security setup ->
// TLS hand-off after the 101 -> channel setup -> data, with request/response
// pairing. Direction::ToServer is the TCP connection initiator's direction,
// which sends every setup request (3).
#pragma once

#include <memory>
#include <string_view>

#include "../common/decoded.hpp"
#include "../common/session.hpp"

namespace quartet::iap {

enum class Phase : uint8_t {
  TcpSetup,       // 3.1: CONNECT / 200 (or a refusal)
  SecuritySetup,  // 3.2: Upgrade: TLS/1.0 / 101
  Tls,            // after the 101: TLS records; decrypted bytes continue below
  ChannelSetup,   // 3.3: IAP-Version / IAP-Role / 200
  Data,           // 3.4: content / responses
  Refused,        // a setup request was answered with an error
};

std::string_view phase_name(Phase p);

std::unique_ptr<Session> new_session();

}  // namespace quartet::iap
