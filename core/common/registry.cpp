#include "protocol.hpp"

#include "lines.hpp"

#include <array>

namespace quartet {

std::span<const Protocol* const> all_protocols() {
  static const std::array<const Protocol*, 4> list = {&cops::protocol(), &rrp::protocol(),
                                                      &iap::protocol(), &sp::protocol()};
  return list;
}

const Protocol* find_protocol(std::string_view name) {
  for (const Protocol* p : all_protocols())
    if (iequals(p->filter_name, name) || iequals(p->short_name, name)) return p;
  return nullptr;
}

}  // namespace quartet
