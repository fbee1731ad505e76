#include "json.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "byte_words.hpp"

namespace quartet::analyzer {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], 0 when it is not one
// (overlong forms, surrogates and code points beyond U+10FFFF are invalid).
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  size_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Bytes that end a run of plain ASCII: controls, quote, backslash, non-ASCII
// (and for HTML the characters markup is made of).
constexpr auto special_table(bool html) {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<size_t>(c)] =
        c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || (html && (c == '<' || c == '>' || c == '&' || c == 0x7f));
  return t;
}
constexpr auto kSpecial = special_table(false);
constexpr auto kSpecialHtml = special_table(true);

// Whether any of the 8 bytes in `w` is special (see kSpecial).
bool any_special(uint64_t w) {
  return words::has_below(w, 0x20) || words::has_equal(w, '"') || words::has_equal(w, '\\') || words::has_high(w);
}

#ifdef QUARTET_HAS_BYTE_BLOCKS
// The same for 16 bytes.
bool any_special_block(words::Block b) { return words::any((b < 0x20) | (b == '"') | (b == '\\') | (b >= 0x80)); }
#endif

// The end of the run of plain ASCII starting at `i`. For JSON 16 bytes at a time,
// then 8 (any_special tests kSpecial's bytes), then byte by byte; HTML's table has
// more special bytes, so it goes byte by byte.
size_t plain_run_end(std::string_view s, size_t i, const std::array<bool, 256>& special) {
  const auto stops = [&special](uint8_t c) { return special[c]; };
  if (&special == &kSpecial) {
#ifdef QUARTET_HAS_BYTE_BLOCKS
    return words::run_end(s, i, any_special_block, any_special, stops);
#else
    return words::run_end(s, i, any_special, stops);
#endif
  }
  return words::run_end(
      s, i, [](uint64_t) { return true; }, stops);
}

// `s` quoted at `p` when it is at most 16 bytes with none to escape, else nullptr
// (write_json then). Most strings are that short (a state, a name, a code): tested
// and copied in fixed-size loads and stores, overlapping for the lengths between,
// without write_json's loop, its memcpy call or its registers saved.
inline char* write_short_plain(char* p, std::string_view s) {
  const size_t n = s.size();
  const char* d = s.data();
  if (n >= 8) {
    if (n > 16) return nullptr;
    const uint64_t head = words::load(d), tail = words::load(d + n - 8);  // every byte, some twice
    if (any_special(head) || any_special(tail)) return nullptr;
    std::memcpy(p + 1, &head, 8);
    std::memcpy(p + 1 + n - 8, &tail, 8);
  } else if (n >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, d, 4);
    std::memcpy(&tail, d + n - 4, 4);
    if (any_special(uint64_t{head} | uint64_t{tail} << 32)) return nullptr;
    std::memcpy(p + 1, &head, 4);
    std::memcpy(p + 1 + n - 4, &tail, 4);
  } else if (n) {  // 1-3 bytes: the first, the middle and the last cover them
    const auto byte = [](char c) { return static_cast<uint64_t>(static_cast<uint8_t>(c)); };
    constexpr uint64_t kPlain = 0x6161616161000000;  // 'a' in the bytes not tested
    if (any_special(kPlain | byte(d[0]) | byte(d[n / 2]) << 8 | byte(d[n - 1]) << 16)) return nullptr;
    p[1] = d[0];
    p[1 + n / 2] = d[n / 2];
    p[n] = d[n - 1];
  }
  p[0] = '"';
  p[1 + n] = '"';
  return p + 2 + n;
}

char* write_u00(char* p, uint8_t c) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::memcpy(p, "\\u00", 4);
  p[4] = kHex[c >> 4];
  p[5] = kHex[c & 15];
  return p + 6;
}

// Writes `s` quoted and escaped at `p`, which has room for json_room(s.size())
// bytes (every byte escaped as \u00XX at worst); returns the end.
char* write_json(char* p, std::string_view s, bool html) {
  const auto& special = html ? kSpecialHtml : kSpecial;
  *p++ = '"';
  size_t i = 0;
  while (i < s.size()) {
    // Copy the longest run that needs no escaping in one go.
    const size_t run = plain_run_end(s, i, special);
    std::memcpy(p, s.data() + i, run - i);
    p += run - i;
    i = run;
    if (i >= s.size()) break;
    const auto c = static_cast<uint8_t>(s[i]);
    if (c >= 0x80) {
      if (size_t n = utf8_sequence(s, i)) {
        if (html && n == 3 && c == 0xE2 && static_cast<uint8_t>(s[i + 1]) == 0x80 &&
            (static_cast<uint8_t>(s[i + 2]) & 0xFE) == 0xA8) {
          std::memcpy(p, static_cast<uint8_t>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029", 6);
          p += 6;
        } else {
          std::memcpy(p, s.data() + i, n);
          p += n;
        }
        i += n;
      } else {
        p = write_u00(p, c);
        ++i;
      }
      continue;
    }
    const char* esc = nullptr;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      default: p = write_u00(p, c);  // other controls, DEL, and for HTML < > &
    }
    if (esc) {
      p[0] = esc[0];
      p[1] = esc[1];
      p += 2;
    }
    ++i;
  }
  *p++ = '"';
  return p;
}

constexpr size_t json_room(size_t n) { return 2 + 6 * n; }

// A short plain JSON string inline, anything else through write_json.
inline char* write_quoted(char* p, std::string_view s, bool html) {
  if (!html)
    if (char* end = write_short_plain(p, s)) return end;
  return write_json(p, s, html);
}

void append_json(std::string& out, std::string_view s, bool html) {
  const size_t at = out.size();
  out.resize(at + json_room(s.size()));
  out.resize(static_cast<size_t>(write_quoted(out.data() + at, s, html) - out.data()));
}

void append_json(OutBuf& out, std::string_view s, bool html) {
  out.commit_to(write_quoted(out.room(json_room(s.size())), s, html));
}

}  // namespace

bool json_plain(std::string_view s) { return plain_run_end(s, 0, kSpecial) == s.size(); }

void append_json_string(std::string& out, std::string_view s) { append_json(out, s, false); }
void append_json_string_html(std::string& out, std::string_view s) { append_json(out, s, true); }
void append_json_string(OutBuf& out, std::string_view s) { append_json(out, s, false); }
void append_json_string_html(OutBuf& out, std::string_view s) { append_json(out, s, true); }

namespace {

// "00" .. "99": fractions are written two digits per division.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[static_cast<size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    t[static_cast<size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

// The whole seconds last written by this thread: the timestamps of a session,
// and of the sessions around it, mostly fall in the same second.
struct SecondsText {
  uint64_t sec = UINT64_MAX;
  char text[16] = {};  // at most 11 digits: 2^64 ns is 18,446,744,073 s
  size_t len = 0;
};
thread_local SecondsText last_seconds;

}  // namespace

namespace {

// Exactly `decimals` digits of `frac`, leading zeros included, from the last one back.
inline char* fraction_digits(char* p, uint32_t frac, int decimals) {
  *p++ = '.';
  int i = decimals;
  for (; i >= 2; i -= 2, frac /= 100) std::memcpy(p + i - 2, &kDigitPairs[2 * (frac % 100)], 2);
  if (i) p[0] = static_cast<char>('0' + frac);
  return p + decimals;
}

// write_fraction, inlined into write_seconds (every timestamp of the output).
char* fraction(char* p, uint32_t nanos, int decimals) {
  // Microseconds (every pcap's) and nanoseconds with constant divisors and loop
  // counts: the compiler then multiplies instead of dividing, and unrolls.
  if (decimals == 6) return fraction_digits(p, nanos / 1000u, 6);  // truncate, like tshark's epoch times
  if (decimals == 9) return fraction_digits(p, nanos, 9);
  if (decimals <= 0) return p;
  if (decimals > 9) decimals = 9;
  static constexpr uint32_t kPow10[10] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};
  return fraction_digits(p, nanos / kPow10[9 - decimals], decimals);
}

}  // namespace

char* write_fraction(char* p, uint32_t nanos, int decimals) { return fraction(p, nanos, decimals); }

char* write_seconds(char* p, TimeNs ns, int decimals) {
  // Work on the magnitude in unsigned arithmetic: -INT64_MIN would overflow.
  const bool negative = ns < 0;
  const uint64_t mag = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const uint64_t sec = mag / 1000000000u;
  // std::to_chars, not snprintf: this runs for every timestamp of the output.
  if (negative) *p++ = '-';
  // Durations and latencies (mostly under 100 s) are written without the cache,
  // which would then miss at the next timestamp, and again at the next duration.
  if (sec < 100) {
    if (sec < 10) {
      *p++ = static_cast<char>('0' + sec);
    } else {
      std::memcpy(p, &kDigitPairs[2 * sec], 2);
      p += 2;
    }
    return fraction(p, static_cast<uint32_t>(mag % 1000000000u), decimals);
  }
  SecondsText& c = last_seconds;
  if (c.sec != sec) {
    c.len = static_cast<size_t>(std::to_chars(c.text, c.text + sizeof c.text, sec).ptr - c.text);
    c.sec = sec;
  }
  std::memcpy(p, c.text, sizeof c.text);  // a fixed-size copy; the room is kSecondsRoom
  p += c.len;
  return fraction(p, static_cast<uint32_t>(mag % 1000000000u), decimals);
}

void append_seconds(std::string& out, TimeNs ns, int decimals) {
  char buf[kSecondsRoom];
  out.append(buf, static_cast<size_t>(write_seconds(buf, ns, decimals) - buf));
}

}  // namespace quartet::analyzer
