// proto_register_* for one protocol: the protocol, its hf_ table generated from
// the core's FieldDef table, its subtrees, expert infos and preferences.
#pragma once

#include "proto_context.hpp"

namespace quartet::plugin {

void register_protocol(ProtoContext& c);

}  // namespace quartet::plugin
