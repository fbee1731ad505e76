// Decoded (the core's flat field list) -> Wireshark proto tree + expert infos.
#pragma once

#include "common/decoded.hpp"
#include "proto_context.hpp"

namespace quartet::plugin {

// Whether an item of field `hf` added under `tree` would be kept. When the tree is
// not shown (tshark -Y with summary lines) Wireshark only fakes the items of
// fields no filter or column refers to, so neither they nor their labels and
// values need computing.
inline bool wanted(proto_tree* tree, int hf) { return tree && proto_field_is_referenced(tree, hf); }

// What the decode of a PDU must build of its field list for add_fields and the tap:
// all of it when the tree is shown (tshark -V, -T json/pdml/fields, a GUI's details
// pane) or a statistics tap listens (it counts field values); none without a tree
// (plain tshark, a first pass); otherwise (-Y with summary lines, custom columns) only
// the fields a filter or column refers to: the items Wireshark would not fake, the
// very test add_fields applies. Problems, summary and session are alike in all cases.
FieldNeeds field_needs(const ProtoContext& c, proto_tree* root);

// Adds `d.fields` under `root` (the protocol's subtree), nesting by Field::depth,
// and one expert info per problem. Offsets are relative to `tvb`.
void add_fields(const ProtoContext& c, const Decoded& d, tvbuff_t* tvb, packet_info* pinfo, proto_tree* root);

void add_problems(ProtoContext& c, const std::vector<Problem>& problems, tvbuff_t* tvb, packet_info* pinfo,
                  proto_tree* root, proto_item* root_item);

}  // namespace quartet::plugin
