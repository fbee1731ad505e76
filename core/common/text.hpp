// Text helpers every module uses: ASCII case folding and comparison (RRP and IAP
// keywords are case-insensitive), trimming, and hex formatting for messages.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace quartet {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// "ADD" from "add": how RFCs write command names in prose and in our messages.
inline std::string ascii_upper(std::string_view s) {
  std::string u(s);
  for (char& c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return u;
}

// Case-insensitive ASCII comparison.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Case-insensitive "does s start with prefix".
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Case-insensitive search; npos when absent.
inline size_t ifind(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return std::string_view::npos;
  for (size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (istarts_with(s.substr(i), needle)) return i;
  return std::string_view::npos;
}

// Without leading blanks and trailing blanks or CR.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "0x0000002a" for hex_number(42, 8): a fixed-width number in a message.
inline std::string hex_number(uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(static_cast<size_t>(digits < 1 ? 1 : digits), '0');
  for (size_t i = s.size(); i-- > 0 && v; v >>= 4) s[i] = kHex[v & 15];
  while (v) {  // wider than asked: never cut a value short
    s.insert(s.begin(), kHex[v & 15]);
    v >>= 4;
  }
  return "0x" + s;
}

// The two lower-case hex digits of every byte value: a byte costs one two-byte copy.
inline constexpr std::array<char, 512> kHexPairs = [] {
  std::array<char, 512> t{};
  constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < 256; ++i) {
    t[2 * i] = kDigits[i >> 4];
    t[2 * i + 1] = kDigits[i & 15];
  }
  return t;
}();

#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
// 16 bytes as 32 digits in the compiler's vector types (SSE2 on x86-64, NEON on
// arm64): a message's hex body (up to 1 KiB shown) was most of the JSON fields'
// rendering time on captures of large messages, one table load per byte.
inline char* write_hex16(char* out, const unsigned char* in) {
  using V = unsigned char __attribute__((vector_size(16)));
  V v;
  std::memcpy(&v, in, 16);
  const V hi = v >> 4, lo = v & 15;
  V first = __builtin_shufflevector(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  V second = __builtin_shufflevector(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  // A nibble d is '0' + d, and 'a' - 10 + d from 10 on ('a' - '0' - 10 = 39 more).
  first += '0' + (reinterpret_cast<V>(first > 9) & ('a' - '0' - 10));
  second += '0' + (reinterpret_cast<V>(second > 9) & ('a' - '0' - 10));
  std::memcpy(out, &first, 16);
  std::memcpy(out + 16, &second, 16);
  return out + 32;
}
#define QUARTET_HAS_WRITE_HEX16 1
#endif
#endif

// Writes the `n` bytes at `data` as 2 × n digits at `out` ("00ff1a" for three
// bytes); returns the end of what it wrote.
inline char* write_hex(char* out, const void* data, size_t n) {
  const auto* b = static_cast<const unsigned char*>(data);
  size_t i = 0;
#ifdef QUARTET_HAS_WRITE_HEX16
  for (; i + 16 <= n; i += 16) out = write_hex16(out, b + i);
#endif
  for (; i < n; ++i, out += 2) std::memcpy(out, &kHexPairs[2 * size_t{b[i]}], 2);
  return out;
}

// "00ff1a" for three bytes: every byte as two lower-case digits.
inline std::string hex_bytes(std::string_view bytes) {
  std::string s(2 * bytes.size(), '\0');
  write_hex(s.data(), bytes.data(), bytes.size());
  return s;
}

}  // namespace quartet
