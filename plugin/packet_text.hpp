// Text handed to Wireshark (field values, Info column, expert infos) may quote raw
// packet bytes; Wireshark wants NUL-terminated UTF-8 (its JSON/PDML output too).
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "wireshark.hpp"

namespace quartet::plugin {

// A packet-scoped copy of `s` as valid UTF-8 (invalid sequences become U+FFFD).
inline const char* packet_text(packet_info* pinfo, std::string_view s) {
  const auto len = static_cast<gssize>(s.size());
  if (g_utf8_validate(s.data(), len, nullptr)) return wmem_strndup(pinfo->pool, s.data(), s.size());
  gchar* valid = g_utf8_make_valid(s.data(), len);
  const char* out = wmem_strdup(pinfo->pool, valid);
  g_free(valid);
  return out;
}

// packet_text(a + sep + b) without building the joined string first.
inline const char* packet_text(packet_info* pinfo, std::string_view a, std::string_view sep, std::string_view b) {
  auto valid = [](std::string_view s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); };
  if (!(valid(a) && valid(sep) && valid(b))) return packet_text(pinfo, std::string(a).append(sep).append(b));
  auto* out = static_cast<char*>(wmem_alloc(pinfo->pool, a.size() + sep.size() + b.size() + 1));
  char* p = out;
  for (std::string_view s : {a, sep, b}) {
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  *p = '\0';
  return out;
}

}  // namespace quartet::plugin
