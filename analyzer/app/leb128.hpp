// LEB128: an unsigned number in 7-bit groups, lowest first, the high bit set on every
// byte but the last (1 byte under 128, at most 10). Small numbers stay small: the
// timeline spill file's lengths and numbers, a session's latencies packed as steps.
#pragma once

#include <cstdint>

namespace quartet::analyzer::leb128 {

inline constexpr int kMaxBytes = 10;

// Writes `v` at `p` (room for kMaxBytes); returns the end of what was written.
inline char* put(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Reads a number at `p` (before `end`) into `v` and moves `p` past it; false when the
// bytes end first or the number runs past 64 bits (p is then left anywhere).
inline bool get(const char*& p, const char* end, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    const auto c = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

}  // namespace quartet::analyzer::leb128
