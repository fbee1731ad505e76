// Minimal BER reading for COPS-PR (RFC 3084 uses BER for PRIDs and instance
// data): one TLV at a time, definite lengths only, and OBJECT IDENTIFIER values
// to dotted text. Bounded by the enclosing object; never allocates by a length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "../common/bytes.hpp"

namespace quartet::cops::ber {

struct Tlv {
  uint8_t ident = 0;  // first identifier octet (class, constructed bit, tag)
  uint32_t tag = 0;   // tag number (high-tag-number form decoded)
  size_t offset = 0;  // of the identifier octet
  size_t value_offset = 0;
  size_t value_length = 0;
  size_t end() const { return value_offset + value_length; }
};

enum class Status : uint8_t { Ok, Truncated, Indefinite, TooLong };

// Reads the TLV at `off`, which must lie inside [off, end) of `b`.
Status read(Bytes b, size_t off, size_t end, Tlv& out);
const char* status_text(Status s);

// Dotted OID text of a BER OID value ("1.3.6.1.2.1.2.2"); nullopt when the
// encoding is broken (empty, last sub-identifier unfinished, arc above 2^64).
// `last_arc` receives the final sub-identifier (a PRID's instance number).
std::optional<std::string> oid_text(Bytes value, uint64_t* last_arc = nullptr);

// Two's-complement INTEGER of 1..8 octets.
std::optional<int64_t> integer(Bytes value);
// Unsigned of 1..8 octets, allowing one leading 0x00 before a ninth.
std::optional<uint64_t> unsigned_value(Bytes value);

}  // namespace quartet::cops::ber
