#include "values.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace quartet::rrp {

bool is_host_name(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 255) return false;
  size_t label = 0;
  char prev = '.';
  for (char c : s) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else {
      bool ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ldh || (c == '-' && label == 0) || ++label > 63) return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

bool is_ip_address(std::string_view s) {
  // inet_pton wants a C string; no textual address is longer than 45 characters.
  char buf[64];
  if (s.empty() || s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  unsigned char out[16];
  int family = s.find(':') == std::string_view::npos ? AF_INET : AF_INET6;
  return inet_pton(family, buf, out) == 1;
}

}  // namespace quartet::rrp
