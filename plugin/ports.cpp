#include "ports.hpp"

#include <algorithm>
#include <string>

#include "dissector.hpp"

namespace quartet::plugin {

void register_handoff(ProtoContext& c, size_t index) {
  const Protocol& p = *c.desc;
  const std::string filter(p.filter_name);
  const std::string shortname(p.short_name);
  c.handle = register_dissector_with_data(g_strdup(filter.c_str()), dissect_stream, c.proto, &c);
  set_tls_handle(find_dissector("tls"));

  // Ports where the whole connection is TLS: TLS decrypts (given keys) and hands
  // the application data to us.
  for (uint16_t port : p.default_tls_ports) ssl_dissector_add(port, c.handle);

  // Plain TCP ports, as one range preference "<filter>.tcp.port". Default ports
  // some other dissector registered first (COPS: Wireshark's built-in `cops`) are
  // taken over, remembering the owner for the "yield_ports" preference.
  dissector_table_t tcp = find_dissector_table("tcp.port");
  std::string range;
  for (uint16_t port : p.default_tcp_ports) {
    if (std::find(p.default_tls_ports.begin(), p.default_tls_ports.end(), port) != p.default_tls_ports.end()) continue;
    if (dissector_handle_t prev = dissector_get_uint_handle(tcp, port); prev && prev != c.handle)
      c.taken_ports.emplace_back(port, prev);
    if (!range.empty()) range += ',';
    range += std::to_string(port);
  }
  // An empty range still creates the preference, so users can set ports.
  dissector_add_uint_range_with_preference("tcp.port", g_strdup(range.c_str()), c.handle);

  // Heuristics find the protocol on any port, in clear TCP and inside TLS.
  if (heur_dissector_t h = heuristic(index, false))
    heur_dissector_add("tcp", h, g_strdup((shortname + " over TCP").c_str()), g_strdup((filter + "_tcp").c_str()),
                       c.proto, HEURISTIC_ENABLE);
  if (heur_dissector_t h = heuristic(index, true))
    heur_dissector_add("tls", h, g_strdup((shortname + " over TLS").c_str()), g_strdup((filter + "_tls").c_str()),
                       c.proto, HEURISTIC_ENABLE);
}

void apply_preferences() {
  for (ProtoContext& c : contexts()) {
    if (!c.handle || bool(c.yield_ports) == c.ports_yielded) continue;
    for (const auto& [port, previous] : c.taken_ports)
      dissector_change_uint("tcp.port", port, c.yield_ports ? previous : c.handle);
    c.ports_yielded = c.yield_ports;
  }
}

}  // namespace quartet::plugin
