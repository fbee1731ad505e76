// Endpoint::ip_string (declared in analyzer/stream_events.hpp).
#include <arpa/inet.h>

#include "stream_events.hpp"

namespace quartet::analyzer {

std::string Endpoint::ip_string() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, addr.data(), buf, sizeof buf)) return "?";
  return buf;
}

}  // namespace quartet::analyzer
