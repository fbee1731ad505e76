#include "format.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "byte_words.hpp"
#include "json.hpp"
#include "output.hpp"

namespace quartet::analyzer {

char* write_utc(char* p, TimeNs ns, int decimals) {
  using namespace std::chrono;
  // Every TimeNs (a signed 64-bit count of nanoseconds) falls in the years 1677 to
  // 2262: four digits, which the civil calendar of <chrono> gives exactly.
  // Floor division, without the overflow of (ns - 999999999) near INT64_MIN.
  TimeNs sec = ns / 1000000000;
  TimeNs nanos = ns % 1000000000;
  if (nanos < 0) {
    --sec;
    nanos += 1000000000;
  }
  const sys_days day = floor<days>(sys_seconds(seconds(sec)));
  const year_month_day date(day);
  const auto of_day = static_cast<unsigned>(sec - duration_cast<seconds>(day.time_since_epoch()).count());
  const auto two = [&p](unsigned v) {
    *p++ = static_cast<char>('0' + v / 10);
    *p++ = static_cast<char>('0' + v % 10);
  };
  const auto y = static_cast<unsigned>(static_cast<int>(date.year()));
  two(y / 100);
  two(y % 100);
  *p++ = '-';
  two(static_cast<unsigned>(date.month()));
  *p++ = '-';
  two(static_cast<unsigned>(date.day()));
  *p++ = ' ';
  two(of_day / 3600);
  *p++ = ':';
  two(of_day / 60 % 60);
  *p++ = ':';
  two(of_day % 60);
  p = write_fraction(p, static_cast<uint32_t>(nanos), decimals);
  std::memcpy(p, " UTC", 4);
  return p + 4;
}

void append_ms(OutBuf& out, TimeNs ns, int decimals) {
  // Beyond ~100 days in nanoseconds * 1000 would overflow; such "latencies" come
  // from broken timestamps and are shown in seconds.
  if (ns > 1000000000000000 || ns < -1000000000000000) {
    append_seconds(out, ns, 0);
    out += std::string_view(" s");
    return;
  }
  append_seconds(out, ns * 1000, decimals > 3 ? decimals - 3 : 0);
  out += std::string_view(" ms");
}

std::string format_bytes(uint64_t n) {
  char buf[32];
  if (n < 1000) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < 1000000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
  else if (n < 1000000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
  else std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(n) / 1e9);
  return buf;
}

void append_endpoint(OutBuf& out, const Endpoint& e) {
  char* p = out.room(Endpoint::kIpRoom + 8);
  if (e.v6) *p++ = '[';
  p = e.write_ip(p);
  if (e.v6) *p++ = ']';
  *p++ = ':';
  out.commit_to(std::to_chars(p, p + 5, e.port).ptr);
}

std::string endpoint_text(const Endpoint& e) {
  OutBuf out;
  append_endpoint(out, e);
  return std::string(out.view());
}

namespace {

// Length of the UTF-8 sequence at text[i] (RFC 3629: no overlongs, surrogates or
// code points beyond U+10FFFF), 0 when it is not one.
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  const size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n <= 1) return n;
  if (c > 0xf4 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  const unsigned char c1 = b(i + 1);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
    return 0;
  return n;
}

template <class Out>
void printable(Out& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < text.size();) {
    // A run of printable ASCII (the usual text) is copied in one go; it is found
    // 8 bytes at a time, then byte by byte where it ends.
    const size_t run = words::run_end(
        text, i,
        [](uint64_t w) { return words::has_below(w, 0x20) || words::has_equal(w, 0x7f) || words::has_high(w); },
        [](uint8_t c) { return c - 0x20u >= 0x5fu; });
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = utf8_sequence(text, i);
    const bool c1_control = n == 2 && c == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0;
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7f)) || c1_control) {
      out += std::string_view("\\x");
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
}

}  // namespace

void append_printable(std::string& out, std::string_view text) { printable(out, text); }
void append_printable(OutBuf& out, std::string_view text) { printable(out, text); }

}  // namespace quartet::analyzer
