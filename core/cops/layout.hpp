// Length and padding checks shared by COPS objects (RFC 2748 2.2) and COPS-PR
// objects (RFC 3084 5): both are Length/Num/Type headers whose Length excludes
// the padding to the next 32-bit boundary.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"
#include "problems.hpp"

namespace quartet::cops {

inline constexpr size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

inline bool all_zero(Bytes b, size_t off, size_t len) {
  for (size_t i = 0; i < len; ++i)
    if (be8(b, off + i) != 0) return false;
  return true;
}

// An object's contents [off, off+len) of which the decoder understood `used`
// bytes. 1-3 zero bytes left over in an object whose length lands on a 32-bit
// boundary are the padding counted in the Length (seen in real stacks, against
// RFC 2748 2.2): a Deviation. Anything else left over is a Violation.
inline void check_leftover(Decoded& out, Bytes pdu, size_t off, size_t len, size_t used, size_t header_len,
                           std::string_view what) {
  if (used >= len) return;
  size_t extra = len - used;
  if (extra < 4 && all_zero(pdu, off + used, extra) && (header_len + len) % 4 == 0) {
    out.problem(ProblemId::kObjectLengthCountsPadding, off + used, extra,
                std::string(what) + " length counts " + std::to_string(extra) +
                    " padding byte(s) (RFC 2748 2.2: padding is not part of the length)");
  } else {
    out.problem(ProblemId::kObjectExtraBytes, off + used, extra,
                std::string(what) + " has " + std::to_string(extra) + " unexpected byte(s) after its contents");
  }
}

}  // namespace quartet::cops
