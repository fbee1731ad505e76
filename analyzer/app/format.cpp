#include "format.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <ctime>

#include "json.hpp"
#include "output.hpp"

namespace quartet::analyzer {

std::string format_utc(TimeNs ns, int decimals) {
  const TimeNs sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
  const auto t = static_cast<std::time_t>(sec);
  std::tm tm{};
  char buf[64];
  if (!gmtime_r(&t, &tm) || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
    std::string s;
    append_seconds(s, ns, decimals);
    return s;
  }
  std::string s(buf);
  if (decimals > 0) {
    std::string frac;
    append_seconds(frac, ns - sec * 1000000000, decimals);  // "0.123456"
    s += frac.substr(frac.find('.'));
  }
  return s + " UTC";
}

std::string format_ms(TimeNs ns, int decimals) {
  std::string s;
  // Beyond ~100 days in nanoseconds * 1000 would overflow; such "latencies" come
  // from broken timestamps and are shown in seconds.
  if (ns > 1000000000000000 || ns < -1000000000000000) {
    append_seconds(s, ns, 0);
    return s + " s";
  }
  append_seconds(s, ns * 1000, decimals > 3 ? decimals - 3 : 0);
  return s + " ms";
}

std::string format_bytes(uint64_t n) {
  char buf[32];
  if (n < 1000) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < 1000000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(n) / 1e3);
  else if (n < 1000000000) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / 1e6);
  else std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(n) / 1e9);
  return buf;
}

std::string endpoint_text(const Endpoint& e) {
  const std::string ip = e.ip_string();
  return (e.v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port);
}

}  // namespace quartet::analyzer
