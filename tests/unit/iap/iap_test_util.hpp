// Helpers for the IAP unit tests: byte views over string literals and field lookups
// (support/decoded_queries.hpp), and the draft's example alert.
#pragma once

#include <string>

#include "../support/decoded_queries.hpp"
#include "iap/fields.hpp"

namespace iap_test {

using namespace quartet::test;

// The 64-octet alert of the draft's section 4.4 example: every octet 0xFF.
inline std::string alert64() { return std::string(64, '\xff'); }

}  // namespace iap_test
