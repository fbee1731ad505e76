// The core's nanosecond timestamps and Wireshark's nstime_t, both ways.
#pragma once

#include "common/session.hpp"
#include "wireshark.hpp"

namespace quartet::plugin {

inline TimeNs timestamp(const packet_info* pinfo) {
  return static_cast<TimeNs>(pinfo->abs_ts.secs) * 1000000000 + pinfo->abs_ts.nsecs;
}

inline nstime_t to_nstime(TimeNs ns) {
  nstime_t t;
  t.secs = static_cast<time_t>(ns / 1000000000);
  t.nsecs = static_cast<int>(ns % 1000000000);
  if (t.nsecs < 0) {
    t.nsecs += 1000000000;
    t.secs -= 1;
  }
  return t;
}

}  // namespace quartet::plugin
