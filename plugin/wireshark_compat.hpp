// The one place where the plugin's code depends on the Wireshark version it is built
// against (4.0 to 4.6). Everything else uses these names and has no #if of its own.
//
// Wireshark 4.4 moved its API from GLib's types to C99/C++ ones. Two of them reach our
// code as types we must spell out, and in C++ gboolean (an int) and bool do not mix there:
//   - a heuristic dissector returns gboolean up to 4.2 and bool from 4.4;
//   - prefs_register_bool_preference() stores into a gboolean* up to 4.2, a bool* from 4.4.
// And 4.4's plugin loader asks a plugin what it is (plugin_describe(), wsutil/plugins.h) to fill
// `tshark -G plugins`' type column; 4.0 has no such header and never calls it.
#pragma once

#include <cstdint>
#include <type_traits>

#include <ws_version.h>

#include <epan/packet.h>
#include <epan/prefs.h>

#define QUARTET_WIRESHARK_AT_LEAST(major, minor) \
  (WIRESHARK_VERSION_MAJOR > (major) || (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if QUARTET_WIRESHARK_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
using ws_heur_result = bool;  // what a heur_dissector_t returns
using ws_bool_pref = bool;    // the variable behind a boolean preference
// What plugin_describe() answers: a plugin that registers dissectors.
inline constexpr uint32_t ws_plugin_description = WS_PLUGIN_DESC_DISSECTOR;
#else
using ws_heur_result = gboolean;
using ws_bool_pref = gboolean;
inline constexpr uint32_t ws_plugin_description = 1;  // not asked for before 4.4
#endif

// Checked against the headers, so a version whose types differ from the above fails here
// with a clear message rather than at a use site.
static_assert(
    std::is_same_v<ws_heur_result, std::invoke_result_t<heur_dissector_t, tvbuff_t*, packet_info*, proto_tree*, void*>>,
    "heur_dissector_t's return type differs from ws_heur_result for this Wireshark version");
static_assert(std::is_invocable_v<decltype(&prefs_register_bool_preference), module_t*, const char*, const char*,
                                  const char*, ws_bool_pref*>,
              "prefs_register_bool_preference() does not take a ws_bool_pref* for this Wireshark version");
