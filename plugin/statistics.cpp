#include "statistics.hpp"

namespace quartet::plugin {

void register_statistics(ProtoContext& c) {
  // The tap is named like the protocol's filter: SRT and the Flow Graph look it
  // up by that name when given none.
  c.tap = register_tap(proto_get_protocol_filter_name(c.proto));
  register_flow_graph(c);
  register_response_time(c);
  register_stats_tree(c);
}

}  // namespace quartet::plugin
