// `quartet --list-protocols`: what the core's registry holds, for people (text)
// and for the scripts that must not keep their own protocol list (JSON: the docs
// generators, the goldens, bench, the e2e runner and the fuzz seeds read it).
#pragma once

#include <string>

namespace quartet::analyzer {

// One object: {"protocols":[{"filter_name","short_name","long_name",
// "default_tcp_ports","default_tls_ports","line_oriented","resync","fields":[...],
// "problems":[...]}]}, in all_protocols() order.
std::string protocol_list_json();
// One line per protocol: filter name, column name, long name, default ports.
std::string protocol_list_text();

}  // namespace quartet::analyzer
