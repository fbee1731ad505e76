// Small text predicates for RRP's 7-bit ASCII lines (RFC 2832 section 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "../common/text.hpp"

namespace quartet::rrp {

// Printable 7-bit ASCII plus TAB; CR and LF are handled by the line scanner.
inline bool is_text_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 0x20 && u < 0x7f) || c == '\t';
}
inline bool is_line_byte(char c) { return is_text_byte(c) || c == '\r' || c == '\n'; }
// Length of the UTF-8 sequence a lead byte opens (2..4); 0 for a byte that cannot
// lead one (ASCII, continuation bytes, 0xc0/0xc1, 0xf5..0xff).
inline size_t utf8_sequence_length(unsigned char lead) {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}
inline bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Attribute names are matched loosely because servers spell the same name
// "registration expiration date", "RegistrationExpirationDate" or "ipAddress":
// case is ignored and so are spaces, '_' and '-' in the wire name. `key` is
// lowercase without separators.
inline bool loose_equals(std::string_view wire, std::string_view key) {
  size_t k = 0;
  for (char c : wire) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
    if (k >= key.size() || ascii_lower(c) != key[k]) return false;
    ++k;
  }
  return k == key.size();
}

// A decimal number of at most `max_digits` digits (so it cannot overflow).
inline bool parse_decimal(std::string_view s, uint64_t& out, size_t max_digits = 9) {
  if (s.empty() || s.size() > max_digits) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v;
  return true;
}

// "NNN" followed by a space, a tab or the end of the line: an RRP response line.
inline bool is_code_line(std::string_view line) {
  if (line.size() < 3) return false;
  for (size_t i = 0; i < 3; ++i)
    if (line[i] < '0' || line[i] > '9') return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t';
}

}  // namespace quartet::rrp
