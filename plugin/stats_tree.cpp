// Statistics → quartet → <protocol> (tshark -z <p>,tree): the core's own branches
// (Protocol::statistics: COPS op-codes, decisions, errors, client types; RRP
// commands and response codes; SP socket types and pairings; IAP status codes),
// responses under the kind of request they answer, and problems by kind.
#include <string>

#include <epan/stats_tree.h>

#include "statistics.hpp"
#include "tap_message.hpp"

namespace quartet::plugin {
namespace {

// Nodes are created as values appear, so a branch with nothing to count is left out.
tap_packet_status count_message(stats_tree* st, packet_info*, epan_dissect_t*, const void* data, tap_flags_t) {
  const auto* m = static_cast<const TapMessage*>(data);
  for (size_t i = 0; i < m->n_counts; ++i) {
    const StatCount& s = m->counts[i];
    int parent = tick_stat_node(st, s.branch, 0, TRUE);
    if (s.parent) parent = tick_stat_node(st, s.parent, parent, TRUE);
    tick_stat_node(st, s.label, parent, FALSE);
  }
  return m->n_counts ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

// Nothing to set up (nodes appear with their first value), but Wireshark's Qt
// dialog calls the init callback without checking it when it resets the tree.
void init_tree(stats_tree*) {}

}  // namespace

void register_stats_tree(ProtoContext& c) {
  // Plugin trees get their own place in the Statistics menu; the name's path
  // puts the four protocols under one "quartet" submenu.
  const std::string menu = "quartet/" + std::string(c.desc->short_name);
  const char* filter = proto_get_protocol_filter_name(c.proto);
  stats_tree_register_plugin(filter, filter, menu.c_str(), 0, count_message, init_tree, nullptr);
}

}  // namespace quartet::plugin
