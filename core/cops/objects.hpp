// Decoding of the contents of each COPS object by C-Num/C-Type (RFC 2748 2.2,
// RFC 4261 3). Client-specific contents go to the registered ClientDecoder.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"
#include "message.hpp"

namespace quartet::cops {

struct ObjectContext {
  uint8_t opcode = 0;
  uint16_t client_type = 0;
  Direction dir = Direction::ToServer;
};

// Decodes the contents [off, off+len) of a known (cnum, ctype) object into
// fields and into `msg`; returns how many bytes the layout accounts for, so the
// caller can tell counted padding and junk apart. Reports short contents itself.
size_t decode_object_contents(const ObjectContext& ctx, Bytes pdu, uint8_t cnum, uint8_t ctype, size_t off, size_t len,
                              Decoded& out, Message& msg);

}  // namespace quartet::cops
