#include "protocol.hpp"

#include "lines.hpp"

#include <iterator>

namespace quartet {

std::span<const Protocol* const> all_protocols() {
  static const Protocol* const list[] = {
      &cops::protocol(),
      &rrp::protocol(),
      &iap::protocol(),
      &sp::protocol(),
  };
  static_assert(std::size(list) == kProtocolCount, "kProtocolCount (protocol.hpp) counts this list");
  return list;
}

const Protocol* find_protocol(std::string_view name) {
  for (const Protocol* p : all_protocols())
    if (iequals(p->filter_name, name) || iequals(p->short_name, name)) return p;
  return nullptr;
}

}  // namespace quartet
