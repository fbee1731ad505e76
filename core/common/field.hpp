// One field table per protocol, one flat list of decoded fields per PDU.
// The Wireshark plugin registers its hf_ entries from the table and the analyzer
// writes JSON from the list: one source of truth, two wrappers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace quartet {

// Wire types; the plugin maps them 1:1 onto FT_* types.
enum class FieldType : uint8_t {
  Group,  // a subtree (FT_NONE); its length covers its children
  Bool,   // one bit of a container integer (FT_BOOLEAN, needs bitmask + width)
  UInt8,
  UInt16,
  UInt24,
  UInt32,
  UInt64,
  Int32,
  String,  // text (FT_STRING)
  Octets,  // raw bytes (FT_BYTES), value taken from offset/length
  IPv4,    // 4 bytes at offset (FT_IPv4); value holds the address as uint64
  IPv6,    // 16 bytes at offset (FT_IPv6)
};

enum class Base : uint8_t { None, Dec, Hex, DecHex, HexDec };

struct ValueName {
  uint64_t value;
  const char* name;
};

struct FieldDef {
  const char* abbrev;  // relative filter name, e.g. "header.opcode"; plugin prefixes "copsx."
  const char* name;    // human label, e.g. "Op-Code"
  FieldType type;
  Base base = Base::None;
  std::span<const ValueName> names = {};  // value_string for integer fields
  uint64_t bitmask = 0;                   // for flag fields; value is stored already shifted
  const char* blurb = nullptr;
  bool sensitive = false;  // masked unless the user asks (e.g. RRP passwords)
  uint8_t width = 0;       // Bool: container width in bits (8/16/32)
};

using FieldId = uint16_t;

// A protocol's field enum: `enum class Field : FieldId` in every module, its
// values the indexes of the module's fields() table.
template <class E>
concept FieldEnum = std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, FieldId>;

// Names a field by a module's enum value or by a raw table index, so that the
// builders and lookups below take either without casts.
struct FieldRef {
  FieldId id;
  constexpr FieldRef(FieldId i) : id(i) {}  // NOLINT: implicit by design
  template <FieldEnum E>
  constexpr FieldRef(E e) : id(static_cast<FieldId>(e)) {}  // NOLINT: implicit by design
};

// Integers are stored as uint64_t (signed ones cast back by the consumer);
// text either points into the PDU (string_view) or was computed (string, e.g. an OID).
using FieldValue = std::variant<std::monostate, uint64_t, std::string_view, std::string>;

struct Field {
  FieldId id = 0;
  uint8_t depth = 0;    // nesting: children follow their Group with depth + 1
  uint32_t offset = 0;  // from the start of the PDU
  uint32_t length = 0;
  FieldValue value;

  bool is(FieldRef f) const { return id == f.id; }
  const uint64_t* uint() const { return std::get_if<uint64_t>(&value); }
  std::string_view text() const {
    if (auto s = std::get_if<std::string_view>(&value)) return *s;
    if (auto s = std::get_if<std::string>(&value)) return *s;
    return {};
  }
};

// The table entry of a field, e.g. def_of(rrp::fields(), rrp::Field::kOptPeriod).
inline const FieldDef& def_of(std::span<const FieldDef> table, FieldRef f) { return table[f.id]; }

// Looks up the name of `v` in a value table; nullptr when absent.
inline const char* name_of(std::span<const ValueName> names, uint64_t v) {
  for (const auto& n : names)
    if (n.value == v) return n.name;
  return nullptr;
}

}  // namespace quartet
