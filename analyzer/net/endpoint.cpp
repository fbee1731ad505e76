// Endpoint::write_ip and ip_string (declared in analyzer/stream_events.hpp).
#include <arpa/inet.h>

#include <cstring>

#include "stream_events.hpp"

namespace quartet::analyzer {

char* Endpoint::write_ip(char* p) const {
  if (!v6) {  // inet_ntop formats IPv4 with sprintf: ten times slower, and this runs twice per session
    for (int i = 0; i < 4; ++i) {
      const auto b = static_cast<unsigned>(addr[static_cast<size_t>(i)]);
      if (i) *p++ = '.';
      if (b >= 100) *p++ = static_cast<char>('0' + b / 100);
      if (b >= 10) *p++ = static_cast<char>('0' + b / 10 % 10);
      *p++ = static_cast<char>('0' + b % 10);
    }
    return p;
  }
  static_assert(kIpRoom >= INET6_ADDRSTRLEN);
  if (!inet_ntop(AF_INET6, addr.data(), p, kIpRoom)) {
    *p = '?';
    return p + 1;
  }
  return p + std::strlen(p);
}

std::string Endpoint::ip_string() const {
  char buf[kIpRoom];
  return std::string(buf, write_ip(buf));
}

}  // namespace quartet::analyzer
