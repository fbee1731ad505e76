#include "fields.hpp"

#include "types.hpp"

namespace quartet::sp {

using enum Field;

namespace {

// Built on first use: the value tables live in types.cpp.
const FieldDef* build() {
  static const FieldDef table[] = {
      {"header", "SP connection header", FieldType::Group},
      {"header.magic", "Magic", FieldType::Octets, Base::None, {}, 0, "00 53 50 ('\\0SP'): marks an SP connection"},
      {"header.version", "Version", FieldType::UInt8, Base::Dec, {}, 0, "SP mapping version; only 0 exists"},
      {"header.type", "Endpoint type", FieldType::UInt16, Base::Hex, endpoint_type_names(), 0,
       "Socket type of the sender: protocol id << 4 | role"},
      {"header.protocol", "Protocol id", FieldType::UInt16, Base::Dec, protocol_id_names(), 0xfff0,
       "sp-protocol-ids-01"},
      {"header.role", "Role", FieldType::UInt16, Base::Dec, {}, 0x000f, "Endpoint role within the protocol"},
      {"header.reserved", "Reserved", FieldType::UInt16, Base::Hex, {}, 0, "Must be zero"},
      {"length", "Message length", FieldType::UInt64, Base::Dec, {}, 0, "Bytes after this 64-bit length field"},
      {"payload",
       "Payload",
       FieldType::Octets,
       Base::None,
       {},
       0,
       "Protocol header + body (sender's socket type unknown)"},
      {"backtrace",
       "Backtrace",
       FieldType::Group,
       Base::None,
       {},
       0,
       "Stack of 32-bit words: one per device hop, the last with the top bit set"},
      {"backtrace.hop",
       "Device hop (pipe id)",
       FieldType::UInt32,
       Base::Hex,
       {},
       0,
       "Pushed by each device the message passed (top bit clear)"},
      {"request_id",
       "Request id",
       FieldType::UInt32,
       Base::Hex,
       {},
       0,
       "Final backtrace word (top bit set): the REQ socket's request id"},
      {"survey_id",
       "Survey id",
       FieldType::UInt32,
       Base::Hex,
       {},
       0,
       "Final backtrace word (top bit set): the SURVEYOR socket's survey id"},
      {"hops",
       "Hop count",
       FieldType::UInt32,
       Base::Dec,
       {},
       0x000000ff,
       "PAIR v1: devices passed + 1 (1 on a direct link)"},
      {"hops.reserved", "Hop header reserved", FieldType::UInt32, Base::Hex, {}, 0xffffff00, "PAIR v1: must be zero"},
      {"body", "Body", FieldType::Octets, Base::None, {}, 0, "Application data"},
      {"body.text",
       "Body text",
       FieldType::String,
       Base::None,
       {},
       0,
       "The body as text (when its first 4 KiB are printable)"},
  };
  static_assert(sizeof(table) / sizeof(table[0]) == kFieldCount, "one FieldDef per Field");
  return table;
}

}  // namespace

std::span<const FieldDef> fields() {
  static const FieldDef* table = build();
  return {table, kFieldCount};
}

}  // namespace quartet::sp
