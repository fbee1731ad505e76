// Helpers for the IAP unit tests: the protocol and its framer, byte views over string
// literals and field lookups (support/decoded_queries.hpp), and the draft's example alert.
#pragma once

#include <string>
#include <string_view>

#include "../support/decoded_queries.hpp"
#include "common/protocol.hpp"
#include "iap/decoder.hpp"
#include "iap/fields.hpp"

namespace iap_test {

using namespace quartet::test;

inline const quartet::Protocol& P() { return quartet::iap::protocol(); }
inline quartet::FrameResult frame(std::string_view s) { return P().frame(bytes(s)); }

// The 64-octet alert of the draft's section 4.4 example: every octet 0xFF.
inline std::string alert64() { return std::string(64, '\xff'); }

}  // namespace iap_test
