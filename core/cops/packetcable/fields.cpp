#include "fields.hpp"

#include "names.hpp"

namespace quartet::cops::packetcable {

std::span<const FieldDef> fields() {
  using T = FieldType;
  using B = Base;
#define QUARTET_PKTC_DEF(id, abbrev, label, type, base, names, mask, width) \
  {abbrev, label, T::type, B::base, names, mask, nullptr, false, width},
  static const FieldDef table[] = {QUARTET_PKTC_FIELDS(QUARTET_PKTC_DEF)};
#undef QUARTET_PKTC_DEF
  static_assert(std::size(table) == kEndField - kFirstField - 1);
  return table;
}

}  // namespace quartet::cops::packetcable
