// Where the plugin resynchronises after a gap, as the analyzer does (issue 8):
// Wireshark's TCP layer hands a segment that follows a lost one to the dissector
// as if it started a PDU, so the bytes after the hole (the rest of a message
// whose start was lost) would be framed as a message. Instead, such a segment is
// given to the protocol's resync hook from its first byte (PduStream::gap in the
// analyzer does the same), and the bytes before the first plausible start are one
// undecodable piece.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "proto_context.hpp"

namespace quartet::plugin {

// One direction of a TCP connection, as seen on the first pass.
struct StreamProgress {
  std::optional<uint32_t> next_seq;  // TCP sequence number of the first byte not yet seen
  bool resyncing = false;            // no message start found since the last gap
  bool ended_mid_line = false;       // and the last segment's last byte was no '\n'
};

class StateLookup;

// Where the resync hook starts looking in this call's bytes, when they need it: the
// first byte, or (text protocols, still looking since an earlier segment that ended
// mid-line) the second, since the first then continues a line. nullopt when this
// call's bytes (the start of a TCP segment, `data` being TCP's
// tcpinfo) come after bytes of this direction that were never captured, or after
// a gap whose resync found no message start yet, do not. Decided on the first pass and
// remembered per frame, so every pass frames the segment alike. Never true for a
// protocol without a resync hook (SP: Wireshark's own handling stays) or over TLS.
std::optional<size_t> resync_at_segment_start(const ProtoContext& c, packet_info* pinfo, const void* data,
                                              StateLookup& state);

// After a gap: how many bytes at the start of `segment` cannot start a message
// (0: a message starts right there); remembers, for the next segment, when no
// start was found at all.
uint32_t bytes_before_resync_point(const ProtoContext& c, packet_info* pinfo, Bytes segment, size_t from,
                                   StateLookup& state);

}  // namespace quartet::plugin
