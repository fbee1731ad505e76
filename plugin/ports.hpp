// proto_reg_handoff for one protocol: its dissector handle, default TCP ports (with
// a range preference), TLS ports, heuristics, and the preference that gives
// default ports taken from another dissector back to it.
#pragma once

#include <cstddef>

#include "proto_context.hpp"

namespace quartet::plugin {

void register_handoff(ProtoContext& c, size_t index);

// Preference callback shared by all four protocols.
void apply_preferences();

}  // namespace quartet::plugin
