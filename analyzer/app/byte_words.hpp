// Tests on 8 bytes at once, without a branch per byte: the scanners that copy runs
// of plain text (JSON escaping, the text output's printable filter) look at a
// word at a time and fall back to bytes only where a run ends. The classic tricks
// ("has a zero byte", "has a byte less than n", n <= 128) are exact as yes/no
// answers for the whole word, which is all they are used for.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace quartet::analyzer::words {

inline constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;

// The 8 bytes at `p` as one word (any alignment).
inline uint64_t load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
// Whether some byte of `w` is below `n` (n <= 128).
constexpr bool has_below(uint64_t w, uint8_t n) { return ((w - kOnes * n) & ~w & kHigh) != 0; }
// Whether some byte of `w` equals `c`.
constexpr bool has_equal(uint64_t w, uint8_t c) {
  const uint64_t x = w ^ (kOnes * c);
  return ((x - kOnes) & ~x & kHigh) != 0;
}
// Whether some byte of `w` is 0x80 or above.
constexpr bool has_high(uint64_t w) { return (w & kHigh) != 0; }

// The first byte from `i` on for which `stops(byte)` is true (or the end): found 8
// bytes at a time while `word_stops(word)` says the word holds no such byte, then
// byte by byte. (`word_stops` may say yes for more words than it must: the bytes
// then decide.)
template <typename WordStops, typename Stops>
size_t run_end(std::string_view s, size_t i, WordStops word_stops, Stops stops) {
  while (i + 8 <= s.size() && !word_stops(load(s.data() + i))) i += 8;
  while (i < s.size() && !stops(static_cast<uint8_t>(s[i]))) ++i;
  return i;
}

#if defined(__GNUC__)
// 16 bytes at once in the compiler's vector types (SSE2 on x86-64, NEON on arm64):
// comparisons give each byte all ones or zero, and any() asks whether one was set.
// Long texts (summaries, a message's text up to 2 KiB) take half the steps they
// take by words.
using Block = unsigned char __attribute__((vector_size(16)));
inline Block load_block(const char* p) {
  Block b;
  std::memcpy(&b, p, sizeof b);
  return b;
}
template <typename Mask>
bool any(Mask m) {
  static_assert(sizeof m == 16);
  uint64_t half[2];
  std::memcpy(half, &m, sizeof half);
  return (half[0] | half[1]) != 0;
}
// run_end, 16 bytes at a time first while `block_stops(block)` says no.
template <typename BlockStops, typename WordStops, typename Stops>
size_t run_end(std::string_view s, size_t i, BlockStops block_stops, WordStops word_stops, Stops stops) {
  while (i + 16 <= s.size() && !block_stops(load_block(s.data() + i))) i += 16;
  return run_end(s, i, word_stops, stops);
}
#define QUARTET_HAS_BYTE_BLOCKS 1
#endif

}  // namespace quartet::analyzer::words
