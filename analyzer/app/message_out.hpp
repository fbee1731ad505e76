// Turns a core MessageRecord into the analyzer's owned MessageOut: field values
// that point into the PDU (strings, byte fields, IPv6 addresses) are copied or
// rendered now, because the PDU bytes are gone when the session is written.
#pragma once

#include "common/protocol.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

// Byte fields longer than this are rendered as the hex of their first bytes + "...".
inline constexpr size_t kMaxHexBytes = 1024;
// Text values (e.g. an SP body shown as text) are cut like byte fields, so one
// 200 KiB message does not make a 200 KiB JSON line.
inline constexpr size_t kMaxTextBytes = 2048;

// `keep_fields`: copy the field values (only the JSONL writer shows them).
MessageOut make_message(const Protocol& p, const MessageRecord& rec, Bytes pdu, Side from, TimeNs ts,
                        uint64_t index, bool keep_fields = true);

}  // namespace quartet::analyzer
