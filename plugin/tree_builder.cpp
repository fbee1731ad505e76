#include "tree_builder.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "field_types.hpp"
#include "packet_text.hpp"

namespace quartet::plugin {
namespace {

constexpr const char* kMasked = "******** (see the \"Show passwords\" preference)";

// Clamps a core offset/length to the captured bytes so that no proto_tree_add_*
// call throws: a Wireshark exception would longjmp across our C++ frames.
struct Span {
  gint offset;
  gint length;
};
Span clamp(tvbuff_t* tvb, uint32_t offset, uint32_t length) {
  const auto avail = static_cast<uint32_t>(tvb_captured_length(tvb));
  if (offset > avail) offset = avail;
  if (length > avail - offset) length = avail - offset;
  return {static_cast<gint>(offset), static_cast<gint>(length)};
}

}  // namespace

FieldNeeds field_needs(const ProtoContext& c, proto_tree* root) {
  if (c.tap >= 0 && have_tap_listener(c.tap)) return FieldNeeds::all();
  if (!root) return FieldNeeds::none();
  if (PTREE_DATA(root)->visible || !c.ref_flags) return FieldNeeds::all();
  // The fields a filter, column or output refers to: proto_field_is_referenced() for
  // an invisible tree, add_fields' own test. ref_type is NONE (0) for the others.
  static_assert(HF_REF_TYPE_NONE == 0);
  return FieldNeeds::some(c.ref_flags, c.ref_stride, c.hfinfo.size());
}

void add_fields(const ProtoContext& c, const Decoded& d, tvbuff_t* tvb, packet_info* pinfo, proto_tree* root) {
  const auto defs = c.desc->fields;
  // parents[k] is the tree holding fields of depth k (Field::depth is 8 bits: at most
  // 256 levels, and one more while a group's children are added).
  std::array<proto_tree*, 258> parents;
  size_t levels = 1;
  parents[0] = root;
  if (!root) return;  // no tree at all: every item would be dropped
  // proto_field_is_referenced(), inline: this runs for every field of every PDU.
  const bool shown = PTREE_DATA(root)->visible;
  auto wanted_field = [&](FieldId id) { return shown || c.hfinfo[id]->ref_type != HF_REF_TYPE_NONE; };
  for (const Field& f : d.fields) {
    if (f.id >= defs.size()) continue;  // a core bug; never index out of the table
    const FieldDef& def = defs[f.id];
    const int hf = c.hf[f.id];
    levels = std::min<size_t>(f.depth, levels - 1) + 1;
    proto_tree* tree = parents[levels - 1];
    // An item nobody looks at: Wireshark would fake it (a group's children then
    // hang where it would have), so skip its value and label too.
    if (!wanted_field(f.id)) {
      if (def.type == FieldType::Group) parents[levels++] = tree;
      continue;
    }
    const Span s = clamp(tvb, f.offset, f.length);
    const uint64_t* u = f.uint();
    uint64_t v = u ? *u : 0;
    if (def.bitmask && (def.type == FieldType::Bool || is_unsigned(def.type)))
      v = (v << mask_shift(def.bitmask)) & def.bitmask;
    proto_item* item = nullptr;

    switch (def.type) {
      case FieldType::Group: {
        item = proto_tree_add_item(tree, hf, tvb, s.offset, s.length, ENC_NA);
        if (auto t = f.text(); !t.empty()) proto_item_append_text(item, ": %s", packet_text(pinfo, t));
        else if (u) proto_item_append_text(item, ": %" G_GUINT64_FORMAT, *u);
        parents[levels++] = proto_item_add_subtree(item, c.ett_of_field[f.id]);
        continue;
      }
      case FieldType::Bool:
        item = proto_tree_add_boolean(tree, hf, tvb, s.offset, s.length, def.bitmask ? v : (v != 0));
        break;
      case FieldType::UInt8:
      case FieldType::UInt16:
      case FieldType::UInt24:
      case FieldType::UInt32:
        if (u) item = proto_tree_add_uint(tree, hf, tvb, s.offset, s.length, static_cast<guint32>(v));
        else if (s.length >= 1 && s.length <= 4)
          item = proto_tree_add_item(tree, hf, tvb, s.offset, s.length, ENC_BIG_ENDIAN);
        break;
      case FieldType::UInt64:
        if (u) item = proto_tree_add_uint64(tree, hf, tvb, s.offset, s.length, v);
        else if (s.length >= 1 && s.length <= 8)
          item = proto_tree_add_item(tree, hf, tvb, s.offset, s.length, ENC_BIG_ENDIAN);
        break;
      case FieldType::Int32:
        if (u)
          item = proto_tree_add_int(tree, hf, tvb, s.offset, s.length, static_cast<gint32>(static_cast<int64_t>(*u)));
        else if (s.length == 4) item = proto_tree_add_item(tree, hf, tvb, s.offset, s.length, ENC_BIG_ENDIAN);
        break;
      case FieldType::String: {
        std::string_view t = f.text();
        std::string number;
        if (t.empty() && u) t = number = std::to_string(*u);
        if (t.empty() && !f.has_text())
          t = {reinterpret_cast<const char*>(tvb_get_ptr(tvb, s.offset, s.length)), static_cast<size_t>(s.length)};
        if (def.sensitive && !c.show_sensitive) t = kMasked;
        item = proto_tree_add_string(tree, hf, tvb, s.offset, s.length, packet_text(pinfo, t));
        break;
      }
      case FieldType::Octets: {
        std::string_view t = f.text();
        if (def.sensitive && !c.show_sensitive) {
          item = proto_tree_add_bytes_format_value(tree, hf, tvb, s.offset, s.length, nullptr, "%s", kMasked);
        } else if (!t.empty()) {
          item =
              proto_tree_add_bytes_with_length(tree, hf, tvb, s.offset, s.length,
                                               reinterpret_cast<const guint8*>(t.data()), static_cast<gint>(t.size()));
        } else {
          item = proto_tree_add_item(tree, hf, tvb, s.offset, s.length, ENC_NA);
        }
        break;
      }
      case FieldType::IPv4:
        if (u) item = proto_tree_add_ipv4(tree, hf, tvb, s.offset, s.length, g_htonl(static_cast<guint32>(*u)));
        else if (s.length == 4) item = proto_tree_add_item(tree, hf, tvb, s.offset, 4, ENC_BIG_ENDIAN);
        break;
      case FieldType::IPv6:
        if (s.length == 16) item = proto_tree_add_item(tree, hf, tvb, s.offset, 16, ENC_NA);
        break;
    }
    (void)item;
  }
}

void add_problems(ProtoContext& c, const std::vector<Problem>& problems, tvbuff_t* tvb, packet_info* pinfo,
                  proto_tree* root, proto_item* root_item) {
  for (const Problem& p : problems) {
    expert_field* ei = c.ei_for(p);
    if (p.length == 0 && p.offset == 0) {
      expert_add_info_format(pinfo, root_item, ei, "%s", packet_text(pinfo, p.text));
    } else {
      const Span s = clamp(tvb, p.offset, p.length);
      proto_tree_add_expert_format(root, pinfo, ei, tvb, s.offset, s.length, "%s", packet_text(pinfo, p.text));
    }
  }
}

}  // namespace quartet::plugin
