#include "unfinished_pdu.hpp"

#include <string>

namespace quartet::plugin {
namespace {

// Where `tvb` starts in the frame's own bytes, or -1 when its bytes are not the
// frame's (decrypted TLS): the item then marks no bytes.
int frame_offset(packet_info* pinfo, tvbuff_t* tvb, int offset) {
  if (!pinfo->data_src) return -1;
  tvbuff_t* frame = get_data_source_tvb(static_cast<const struct data_source*>(pinfo->data_src->data));
  if (tvb_get_ds_tvb(tvb) != frame) return -1;
  const int raw = tvb_raw_offset(tvb);
  return raw < 0 ? -1 : raw + offset;
}

// Later passes only: the first pass has seen the whole file by then. One
// postdissector for the four protocols, called for every frame of every capture:
// it returns at once unless a message was left open somewhere.
int show_unfinished(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* /*data*/) {
  if (!PINFO_FD_VISITED(pinfo)) return 0;
  for (ProtoContext& c : contexts()) {
    if (c.open_pdus.empty()) continue;
    const auto it = c.open_pdus.find(pinfo->num);
    if (it == c.open_pdus.end()) continue;
    protocol_t* const proto = find_protocol_by_id(c.proto);
    if (!proto_is_protocol_enabled(proto)) continue;
    const OpenPdu& open = it->second;
    const bool marks = open.offset >= 0 && static_cast<guint>(open.offset) < tvb_captured_length(tvb);
    const std::string length =
        open.declared ? std::to_string(open.declared) + " bytes declared" : std::string("its end not seen");
    // The expert info alone, at the top of the tree, not under an item of our protocol: no
    // message is decoded in this frame, so `-Y sp`, frame.protocols and the Protocol column
    // stay as they were (`-Y sp.unfinished` finds it).
    // Listed under our protocol in Expert Information, as our other expert infos are (a
    // postdissector runs as no protocol).
    const char* const was = pinfo->current_proto;
    pinfo->current_proto = proto_get_protocol_short_name(proto);
    proto_tree_add_expert_format(tree, pinfo, &c.ei_unfinished, tvb, marks ? open.offset : 0, marks ? -1 : 0,
                                 "%s message begun here and never completed (%s): the capture or the connection "
                                 "ends inside it, or TCP could not reassemble it",
                                 c.column_name, length.c_str());
    pinfo->current_proto = was;
  }
  return 0;
}

void forget_all() {
  for (ProtoContext& c : contexts()) decltype(c.open_pdus)().swap(c.open_pdus);
}

}  // namespace

void note_open_pdu(ProtoContext& c, packet_info* pinfo, tvbuff_t* tvb, int offset, uint64_t declared,
                   uint32_t& open_frame) {
  // Bytes of this frame's own: a PDU starts here. An earlier one still open was
  // given up by TCP (its reassembly failed, e.g. at conflicting overlaps) and stays
  // noted. Reassembled bytes (or TLS's) continue the open PDU, if there is one.
  const int at = frame_offset(pinfo, tvb, offset);
  if (open_frame == 0 || (at >= 0 && open_frame != pinfo->num)) {
    open_frame = pinfo->num;
    c.open_pdus[open_frame] = OpenPdu{declared, at};
  } else if (declared) {
    if (auto it = c.open_pdus.find(open_frame); it != c.open_pdus.end()) it->second.declared = declared;
  }
}

void register_unfinished_pdus() {
  // No protocol of its own (so never skipped as disabled): each of ours is checked
  // where it has something to show. One call per frame instead of four.
  register_postdissector(create_dissector_handle(show_unfinished, -1));
  register_cleanup_routine(forget_all);
}

}  // namespace quartet::plugin
