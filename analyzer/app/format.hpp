// Small text formatting helpers shared by the writers.
#pragma once

#include <string>
#include <string_view>

#include "common/protocol.hpp"  // TimeNs
#include "out_buf.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer {

// "2026-11-23 20:00:00.123456 UTC" with `decimals` (0..9) fraction digits, written
// at `p`, which has room for kUtcRoom bytes; returns the end. The fraction is
// truncated, as the epoch timestamps of the JSONL output are.
inline constexpr size_t kUtcRoom = 40;
char* write_utc(char* p, TimeNs ns, int decimals);
inline void append_utc(OutBuf& out, TimeNs ns, int decimals) {
  out.commit_to(write_utc(out.room(kUtcRoom), ns, decimals));
}
// "192.0.2.1:3288" / "[2001:db8::1]:3288" (endpoint_text) into the writers' buffer.
void append_endpoint(OutBuf& out, const Endpoint& e);
// A latency for people: "0.250 ms" (three decimals fewer than the timestamps, at least 0).
void append_ms(OutBuf& out, TimeNs ns, int decimals);
// "1.2 kB", "3.4 MB"
std::string format_bytes(uint64_t n);
// Appends text that came from a capture so that it cannot break a line or reach a
// terminal raw: valid UTF-8 is copied except control characters (C0, DEL, C1),
// which, like bytes that are not UTF-8, become \xNN.
void append_printable(std::string& out, std::string_view text);
void append_printable(OutBuf& out, std::string_view text);

}  // namespace quartet::analyzer
