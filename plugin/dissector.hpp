// The dissectors Wireshark calls: one handle per protocol (TCP ports, TLS ports,
// TLS hand-off) and one heuristic per protocol on "tcp" and on "tls".
#pragma once

#include <cstddef>

#include "proto_context.hpp"

namespace quartet::plugin {

// Handle callback (register_dissector_with_data); cb_data is the ProtoContext.
int dissect_stream(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data, void* cb_data);

// Heuristic dissectors carry no user data, so there is one instantiation per
// protocol index, kProtocolCount of them (the registry's length, checked at
// compile time); heuristic(i, over_tls) returns it.
heur_dissector_t heuristic(size_t index, bool over_tls);

// The TLS dissector handle used for STARTTLS-style hand-offs (set at hand-off).
void set_tls_handle(dissector_handle_t tls);

}  // namespace quartet::plugin
