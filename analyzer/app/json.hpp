// The few JSON building blocks the JSONL writer needs, appending to a string:
// escaped strings, epoch timestamps with a fixed number of decimals, durations.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/protocol.hpp"  // TimeNs
#include "out_buf.hpp"

namespace quartet::analyzer {

// Appends `s` as a quoted JSON string. Valid UTF-8 passes through; control
// characters, quote and backslash are escaped; a byte that is not part of a valid
// UTF-8 sequence is written as \u00XX (its Latin-1 reading), so the output is
// always valid JSON whatever the wire carried.
void append_json_string(std::string& out, std::string_view s);

// The same, safe inside an HTML <script type="application/json"> block as well:
// '<', '>' and '&' become \u003c, \u003e, \u0026 (so no "</script>" or "<!--" can
// end or change the block), U+2028/U+2029 become \u2028/\u2029.
void append_json_string_html(std::string& out, std::string_view s);
// The same into the writers' buffer.
void append_json_string(OutBuf& out, std::string_view s);
void append_json_string_html(OutBuf& out, std::string_view s);
// Whether append_json_string would write `s` as it stands, between quotes (plain
// ASCII: no control character, quote, backslash or byte above 0x7f).
bool json_plain(std::string_view s);

// Seconds since the epoch with exactly `decimals` (0..9) digits after the point:
// 1700000000.123456789. Negative values keep their sign.
void append_seconds(std::string& out, TimeNs ns, int decimals);
// The same written at `p`, which has room for kSecondsRoom bytes; returns the end.
inline constexpr size_t kSecondsRoom = 32;
char* write_seconds(char* p, TimeNs ns, int decimals);
// The fraction of a second alone: "." and exactly `decimals` (0..9; none: nothing)
// digits of `nanos` (below 1,000,000,000), truncated, written at `p`; returns the end.
char* write_fraction(char* p, uint32_t nanos, int decimals);
inline void append_seconds(OutBuf& out, TimeNs ns, int decimals) {
  out.commit_to(write_seconds(out.room(kSecondsRoom), ns, decimals));
}

// Decimal integers, as std::to_string writes them, without a temporary string.
inline void append_uint(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}
inline void append_int(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}
inline void append_uint(OutBuf& out, uint64_t v) {
  char* p = out.room(24);
  out.commit_to(std::to_chars(p, p + 24, v).ptr);
}
inline void append_int(OutBuf& out, int64_t v) {
  char* p = out.room(24);
  out.commit_to(std::to_chars(p, p + 24, v).ptr);
}

}  // namespace quartet::analyzer
