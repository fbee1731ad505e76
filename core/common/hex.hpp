// Lower-case hexadecimal text for summaries and field values, without printf:
// these run for every PDU.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace quartet {

// `digits` hex digits of v, zero-padded (high digits beyond `digits` are dropped).
inline void append_hex(std::string& out, uint64_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buf[16];
  if (digits > 16) digits = 16;
  for (int i = digits - 1; i >= 0; --i, v >>= 4) buf[i] = kDigits[v & 15];
  out.append(buf, static_cast<size_t>(digits));
}

// "0x" and `digits` zero-padded hex digits: hex_fixed(0x1a, 4) == "0x001a" (printf's "0x%04x").
inline std::string hex_fixed(uint64_t v, int digits) {
  std::string s = "0x";
  append_hex(s, v, digits);
  return s;
}

// Two hex digits per byte.
inline void append_hex_bytes(std::string& out, std::string_view bytes) {
  for (unsigned char c : bytes) append_hex(out, c, 2);
}

}  // namespace quartet
