// One field table per protocol, one flat list of decoded fields per PDU.
// The Wireshark plugin registers its hf_ entries from the table and the analyzer
// writes JSON from the list: one source of truth, two wrappers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

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

// Integers are stored as uint64_t (signed ones cast back by the consumer); text is
// a view into the PDU or into the Decoded's arena (computed text, e.g. an OID: see
// Decoded::keep), so a field is trivially copyable and a field list allocates nothing.
class FieldValue {
 public:
  enum class Kind : uint8_t { None, UInt, Text };
  constexpr FieldValue() = default;
  constexpr FieldValue(uint64_t v) : kind_(Kind::UInt), num_(v) {}  // NOLINT: implicit by design
  constexpr FieldValue(std::string_view s)                          // NOLINT: implicit by design
      : kind_(Kind::Text), len_(static_cast<uint32_t>(s.size())), text_(s.data()) {}

  Kind kind() const { return kind_; }
  const uint64_t* uint() const { return kind_ == Kind::UInt ? &num_ : nullptr; }
  bool has_text() const { return kind_ == Kind::Text; }
  std::string_view text() const { return kind_ == Kind::Text ? std::string_view(text_, len_) : std::string_view(); }

 private:
  Kind kind_ = Kind::None;
  uint32_t len_ = 0;
  union {
    uint64_t num_ = 0;
    const char* text_;
  };
};

struct Field {
  FieldId id = 0;
  uint8_t depth = 0;    // nesting: children follow their Group with depth + 1
  uint32_t offset = 0;  // from the start of the PDU
  uint32_t length = 0;
  FieldValue value;

  bool is(FieldRef f) const { return id == f.id; }
  const uint64_t* uint() const { return value.uint(); }
  bool has_text() const { return value.has_text(); }
  std::string_view text() const { return value.text(); }
};
static_assert(std::is_trivially_copyable_v<Field>);

// The table entry of a field, e.g. def_of(rrp::fields(), rrp::Field::kOptPeriod).
inline const FieldDef& def_of(std::span<const FieldDef> table, FieldRef f) { return table[f.id]; }

// Looks up the name of `v` in a value table; nullptr when absent.
inline const char* name_of(std::span<const ValueName> names, uint64_t v) {
  for (const auto& n : names)
    if (n.value == v) return n.name;
  return nullptr;
}

}  // namespace quartet
