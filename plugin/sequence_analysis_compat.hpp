// ============================ COMPATIBILITY HEADER ============================
// The one place where the plugin declares part of Wireshark's API itself.
//
// libwireshark 4.0 exports the sequence-analysis (Flow Graph) functions, but
// Debian's libwireshark-dev 4.0 does not ship epan/sequence_analysis.h. Where the
// header exists (newer Wireshark packages) it is used as is. Otherwise, and only
// for Wireshark 4.0, the declarations below copy the layout of 4.0.17's
// epan/sequence_analysis.h (Debian source package wireshark 4.0.17-0+deb12u3):
// the two structs the plugin touches and the two functions it calls. Every
// 4.0.x release has this layout. Any other version without the header stops the
// build here rather than guess a layout.
//
// Proof that the layout matches the library: the end-to-end test plugin.flow runs
// `tshark -z flow,<proto>,network` and checks each arrow's frame, endpoints and
// label against the decoded messages; a wrong offset would garble or crash it.
// ==============================================================================
#pragma once

#include <ws_version.h>

#include "wireshark.hpp"

#if __has_include(<epan/sequence_analysis.h>)
#include <epan/sequence_analysis.h>
#define QUARTET_FLOW_GRAPH 1
#elif WIRESHARK_VERSION_MAJOR != 4 || WIRESHARK_VERSION_MINOR != 0
// Debian's libwireshark-dev 4.4 and 4.6 lack the header too, and their layout is not
// guessed: there the plugin registers no Flow Graph (docs/plugin.md; the tests say so
// in tsharklib.has_flow_graph()).
#define QUARTET_FLOW_GRAPH 0
#else
#define QUARTET_FLOW_GRAPH 1

#include <epan/address.h>
#include <epan/tap.h>

extern "C" {

#define MAX_NUM_NODES 40

typedef struct _seq_analysis_item {
  guint32 frame_number;
  address src_addr;
  guint16 port_src;
  address dst_addr;
  guint16 port_dst;
  gchar* frame_label;  // the label on top of the arrow (g_malloc'ed; Wireshark frees it)
  gchar* time_str;
  gchar* comment;    // shown right of the graph (g_malloc'ed; Wireshark frees it)
  guint16 conv_num;  // colours the arrows of one conversation alike
  unsigned fg_color;
  unsigned bg_color;
  gboolean has_color_filter;
  gboolean display;
  guint src_node;
  guint dst_node;
  guint16 line_style;
  guint32 info_type;
  gpointer info_ptr;
} seq_analysis_item_t;

typedef struct _seq_analysis_info {
  const char* name;
  gboolean any_addr;
  int nconv;
  GQueue* items;
  GHashTable* ht;
  address nodes[MAX_NUM_NODES];
  guint32 num_nodes;
} seq_analysis_info_t;

WS_DLL_PUBLIC void register_seq_analysis(const char* name, const char* ui_name, const int proto_id,
                                         const char* tap_listener, guint tap_flags, tap_packet_cb tap_func);
WS_DLL_PUBLIC seq_analysis_item_t* sequence_analysis_create_sai_with_addresses(packet_info* pinfo,
                                                                               seq_analysis_info_t* sainfo);

}  // extern "C"
#endif
