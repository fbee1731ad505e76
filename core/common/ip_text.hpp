// Text forms of IP addresses for summaries (the core has no inet_ntop: no I/O
// headers). IPv6 follows RFC 5952: lower-case hex, the longest run of two or
// more zero groups (the first of equal runs) written "::".
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "bytes.hpp"

namespace quartet {

inline std::string ipv4_text(uint32_t a) {
  return std::to_string(a >> 24) + '.' + std::to_string((a >> 16) & 0xff) + '.' + std::to_string((a >> 8) & 0xff) +
         '.' + std::to_string(a & 0xff);
}

// `b` holds at least off + 16 bytes.
inline std::string ipv6_text(Bytes b, size_t off) {
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = be16(b, off + 2 * static_cast<size_t>(i));
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string s;
  char buf[8];
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      s += "::";
      i += best_len - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    s += buf;
  }
  return s;
}

}  // namespace quartet
