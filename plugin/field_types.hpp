// The 1:1 mapping of the core's field types and bases onto Wireshark's FT_/BASE_.
#pragma once

#include "common/field.hpp"
#include "wireshark.hpp"

namespace quartet::plugin {

inline ftenum field_type(const FieldDef& d) {
  switch (d.type) {
    case FieldType::Group: return FT_NONE;
    case FieldType::Bool: return FT_BOOLEAN;
    case FieldType::UInt8: return FT_UINT8;
    case FieldType::UInt16: return FT_UINT16;
    case FieldType::UInt24: return FT_UINT24;
    case FieldType::UInt32: return FT_UINT32;
    case FieldType::UInt64: return FT_UINT64;
    case FieldType::Int32: return FT_INT32;
    case FieldType::String: return FT_STRING;
    case FieldType::Octets: return FT_BYTES;
    case FieldType::IPv4: return FT_IPv4;
    case FieldType::IPv6: return FT_IPv6;
  }
  return FT_BYTES;
}

inline bool is_unsigned(FieldType t) {
  return t == FieldType::UInt8 || t == FieldType::UInt16 || t == FieldType::UInt24 || t == FieldType::UInt32 ||
         t == FieldType::UInt64;
}

// Bits needed to hold `mask` rounded up to a container width Wireshark accepts.
inline int bool_width(const FieldDef& d) {
  if (d.width == 8 || d.width == 16 || d.width == 24 || d.width == 32 || d.width == 64) return d.width;
  if (d.bitmask <= 0xff) return 8;
  if (d.bitmask <= 0xffff) return 16;
  if (d.bitmask <= 0xffffffff) return 32;
  return 64;
}

// Wireshark rejects BASE_NONE for integers and hex bases for signed ones
// (a registration error), so those fall back to decimal.
inline int field_display(const FieldDef& d) {
  if (d.type == FieldType::Bool) return d.bitmask ? bool_width(d) : BASE_NONE;
  if (d.type == FieldType::Int32) return BASE_DEC;
  if (!is_unsigned(d.type)) return BASE_NONE;
  switch (d.base) {
    case Base::Hex: return BASE_HEX;
    case Base::DecHex: return BASE_DEC_HEX;
    case Base::HexDec: return BASE_HEX_DEC;
    case Base::None:
    case Base::Dec: break;
  }
  return BASE_DEC;
}

// Shift of the lowest set bit of a bitmask: the core stores flag values already
// shifted, Wireshark wants them in place within their container.
inline unsigned mask_shift(uint64_t mask) {
  if (mask == 0) return 0;
  unsigned s = 0;
  while (!(mask & 1)) {
    mask >>= 1;
    ++s;
  }
  return s;
}

}  // namespace quartet::plugin
