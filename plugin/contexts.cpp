#include "proto_context.hpp"

namespace quartet::plugin {

std::span<ProtoContext> contexts() {
  // Deliberately never freed: Wireshark holds pointers to the hf/ett/expert ids and
  // to the contexts (as dissector callback data) until the process exits.
  static std::vector<ProtoContext>* all = [] {
    auto* v = new std::vector<ProtoContext>(all_protocols().size());
    for (size_t i = 0; i < v->size(); ++i) (*v)[i].desc = all_protocols()[i];
    return v;
  }();
  return *all;
}

}  // namespace quartet::plugin
