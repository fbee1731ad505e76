// Statistics → Flow Graph: one arrow per message, labelled like the Info column.
#include <string>

#include "sequence_analysis_compat.hpp"
#include "statistics.hpp"
#include "tap_message.hpp"

namespace quartet::plugin {
#if QUARTET_FLOW_GRAPH
namespace {

tap_packet_status add_arrow(void* tapdata, packet_info* pinfo, epan_dissect_t*, const void* data, tap_flags_t) {
  auto* sainfo = static_cast<seq_analysis_info_t*>(tapdata);
  const auto* m = static_cast<const TapMessage*>(data);
  seq_analysis_item_t* sai = sequence_analysis_create_sai_with_addresses(pinfo, sainfo);
  if (!sai) return TAP_PACKET_DONT_REDRAW;
  sai->frame_number = pinfo->num;
  sai->port_src = static_cast<guint16>(pinfo->srcport);
  sai->port_dst = static_cast<guint16>(pinfo->destport);
  sai->frame_label = g_strdup(m->info);
  sai->comment = g_strdup_printf("%s: %s", m->protocol, m->info);
  sai->line_style = 1;
  sai->conv_num = m->conversation;
  sai->display = TRUE;
  g_queue_push_tail(sainfo->items, sai);
  return TAP_PACKET_REDRAW;
}

}  // namespace

void register_flow_graph(ProtoContext& c) {
  // Wireshark keeps both strings for the life of the process.
  const std::string ui = std::string(c.desc->short_name) + " flows (quartet)";
  register_seq_analysis(proto_get_protocol_filter_name(c.proto), g_strdup(ui.c_str()), c.proto, nullptr,
                        TL_REQUIRES_NOTHING, add_arrow);
}
#else
void register_flow_graph(ProtoContext&) {}  // see sequence_analysis_compat.hpp
#endif

}  // namespace quartet::plugin
