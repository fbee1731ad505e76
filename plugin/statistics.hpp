// Wireshark's statistics for one protocol, all fed by its tap (tap_message.hpp):
//   Statistics → Flow Graph               tshark -z flow,<p>,network
//   Statistics → Service Response Time    tshark -z <p>,srt
//   Statistics → quartet → <protocol>     tshark -z <p>,tree
#pragma once

#include "proto_context.hpp"

namespace quartet::plugin {

// From proto_register: the tap and the three statistics that listen to it.
void register_statistics(ProtoContext& c);

// Each statistic's registration, in its own file.
void register_flow_graph(ProtoContext& c);
void register_response_time(ProtoContext& c);
void register_stats_tree(ProtoContext& c);

}  // namespace quartet::plugin
