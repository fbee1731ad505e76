// RFC 2748 section 3: which objects each message carries, which are
// mandatory and in what order. Reports Violations; decoding is not affected.
#pragma once

#include "../common/decoded.hpp"
#include "message.hpp"

namespace quartet::cops {

void validate_objects(const Message& msg, Decoded& out);

}  // namespace quartet::cops
