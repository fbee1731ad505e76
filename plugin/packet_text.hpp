// Text handed to Wireshark (field values, Info column, expert infos) may quote raw
// packet bytes; Wireshark wants NUL-terminated UTF-8 (its JSON/PDML output too).
#pragma once

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

}  // namespace quartet::plugin
