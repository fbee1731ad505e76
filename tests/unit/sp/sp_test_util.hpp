// Byte builders for the SP tests: wire bytes written out the way nanomsg/nng send them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "../support/decoded_queries.hpp"

namespace sp_test {

using quartet::test::count;
using quartet::test::has_problem;

// "00 53 50 00" -> bytes (spaces ignored).
inline std::string hex(std::string_view h) {
  std::string out;
  int nibble = -1;
  for (char c : h) {
    int v = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (v < 0) continue;
    if (nibble < 0) {
      nibble = v;
    } else {
      out.push_back(static_cast<char>(nibble * 16 + v));
      nibble = -1;
    }
  }
  return out;
}

inline std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  return s;
}

inline std::string be64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<size_t>(i)] = static_cast<char>(v >> (56 - 8 * i));
  return s;
}

// The 8-byte connection header as both libraries send it.
inline std::string header(uint16_t type) {
  return hex("00 53 50 00") + static_cast<char>(type >> 8) + static_cast<char>(type & 0xff) + std::string(2, '\0');
}

// One framed message: 64-bit length, then the payload.
inline std::string message(std::string_view payload) { return be64(payload.size()) + std::string(payload); }

inline quartet::Bytes bytes(const std::string& s) { return quartet::as_bytes(s); }

// Value of the n-th field with this id (integers), or ~0 when absent.
inline uint64_t value(const quartet::Decoded& d, quartet::FieldRef id, size_t nth = 0) {
  return quartet::test::uint_of(d, id, nth);
}

}  // namespace sp_test
