// A protocol as the wrappers see it: names, field table, framer, decoder,
// heuristic and session factory. The plugin and the analyzer loop over
// all_protocols() and know nothing protocol-specific.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "decoded.hpp"
#include "field.hpp"
#include "frame.hpp"
#include "problem.hpp"
#include "session.hpp"

namespace quartet {

// One branch of the statistics the wrappers keep besides message counts and
// request/response pairs (Wireshark's Statistics tree): it counts the values of
// `field` (by value name when the field has names), or, when `event_prefix` is
// set, the session events whose text starts with it (labelled by the rest).
struct StatisticDef {
  std::string_view branch;  // e.g. "Client types"
  FieldRef field = FieldId{0};
  std::string_view event_prefix = {};
};

struct Protocol {
  std::string_view filter_name;  // Wireshark filter name: "copsx", "rrp", "iapx", "sp"
  std::string_view short_name;   // column name: "COPS", "RRP", "IAP", "SP"
  std::string_view long_name;    // "Common Open Policy Service (quartet)"
  std::span<const FieldDef> fields;
  std::span<const ProblemDef> problems = {};  // every problem decode and the session can report
  std::span<const uint16_t> default_tcp_ports = {};
  std::span<const uint16_t> default_tls_ports = {};  // ports where the whole connection is TLS
  FrameResult (*frame)(Bytes prefix);
  Decoded (*decode)(Bytes pdu, Direction dir);
  Probe (*probe)(Bytes first_bytes);  // heuristic on the first bytes of either direction
  std::unique_ptr<Session> (*new_session)();
  // Stream behaviour, which both wrappers follow. Line-oriented: PDUs start at line
  // starts (RRP, IAP). resync: after a gap or an invalid frame, the first offset >=
  // `from` of `stream` where a PDU plausibly starts again, nullopt when none does in
  // these bytes (core/common/resync.hpp has the two shapes); nullptr when the protocol
  // cannot be resynchronised at all (SP: length-prefixed messages with no marker), so
  // the wrappers stop decoding that direction.
  bool line_oriented = false;
  std::optional<size_t> (*resync)(Bytes stream, size_t from) = nullptr;
  std::span<const StatisticDef> statistics = {};
  // Sub-protocol request/answer pairings with their own filter names: the plugin
  // registers <filter>.<group>.response_in / response_to / time for each.
  std::span<const char* const> link_groups = {};
};

// The protocols, in a fixed order (COPS, RRP, IAP, SP): the only list of them.
// Everything else (plugin, analyzer, docs, goldens, bench, e2e, fuzz seeds)
// derives from it, the scripts through `quartet --list-protocols -F json`.
std::span<const Protocol* const> all_protocols();
// Its length, for the plugin's compile-time heuristic entry points (registry.cpp
// static_asserts that it matches the list).
inline constexpr size_t kProtocolCount = 4;
const Protocol* find_protocol(std::string_view filter_or_short_name);

}  // namespace quartet

// Each protocol folder defines its descriptor.
namespace quartet::cops {
const Protocol& protocol();
}
namespace quartet::rrp {
const Protocol& protocol();
}
namespace quartet::iap {
const Protocol& protocol();
}
namespace quartet::sp {
const Protocol& protocol();
}
