// Entry points Wireshark's plugin loader looks up in quartet.so, and the
// register/handoff routines that loop over the core's four protocols.
#include <ws_version.h>

#include "conversation_state.hpp"
#include "ports.hpp"
#include "proto_context.hpp"
#include "registration.hpp"
#include "unfinished_pdu.hpp"

#ifndef QUARTET_VERSION
#define QUARTET_VERSION "0.0.0"
#endif

extern "C" {
WS_DLL_PUBLIC_DEF extern const char plugin_version[];
WS_DLL_PUBLIC_DEF extern const int plugin_want_major;
WS_DLL_PUBLIC_DEF extern const int plugin_want_minor;
WS_DLL_PUBLIC void plugin_register(void);
WS_DLL_PUBLIC uint32_t plugin_describe(void);
}

const char plugin_version[] = QUARTET_VERSION;
const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

namespace {

void register_protocols() {
  using namespace quartet::plugin;
  for (ProtoContext& c : contexts()) register_protocol(c);
  register_conversation_cleanup();
}

void register_handoffs() {
  using namespace quartet::plugin;
  auto all = contexts();
  for (size_t i = 0; i < all.size(); ++i) register_handoff(all[i], i);
  register_unfinished_pdus();
}

}  // namespace

uint32_t plugin_describe(void) { return ws_plugin_description; }

void plugin_register(void) {
  static const proto_plugin plugin = {register_protocols, register_handoffs};
  proto_register_plugin(&plugin);
}
