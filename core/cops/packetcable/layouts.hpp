// Fixed layouts of the PacketCable S-objects as data: one Item per field at its
// body offset. The decoder walks these; nothing else knows an offset.
#pragma once

#include <cstdint>
#include <span>

#include "../../common/field.hpp"

namespace quartet::cops::packetcable {

enum class Kind : uint8_t {
  U8,
  U16,
  U32,
  U64,
  Bits8,   // one byte, the field's bitmask selects (value stored shifted)
  Bits32,  // four bytes, same
  IPv4,
  IPv6,
  Float,     // IEEE-754 single, shown as text (FT_STRING): "1000", "1.5e+06"
  Ascii,     // `size` bytes of NUL-padded text
  Octets,    // `size` raw bytes
  Bcid,      // the 24-byte Billing Correlation ID (a group of four fields)
  Reserved,  // `size` bytes that must be zero; shown only when they are not
};

struct Item {
  uint16_t off;
  Kind kind;
  FieldId id = 0;
  uint8_t size = 0;  // Ascii / Octets / Reserved only
  // The byte just past this item.
  constexpr size_t end() const {
    switch (kind) {
      case Kind::U8:
      case Kind::Bits8: return off + 1u;
      case Kind::U16: return off + 2u;
      case Kind::U32:
      case Kind::Bits32:
      case Kind::IPv4:
      case Kind::Float: return off + 4u;
      case Kind::U64: return off + 8u;
      case Kind::IPv6: return off + 16u;
      case Kind::Bcid: return off + 24u;
      default: return off + size;
    }
  }
};

using Layout = std::span<const Item>;

}  // namespace quartet::cops::packetcable
