// What the calls of our dissector for one dissection of a frame share: several
// calls happen when TLS hands over several records of one frame, and each must
// know how many PDUs the calls before it dissected.
#pragma once

#include <cstdint>

#include "wireshark.hpp"

namespace quartet::plugin {

struct FrameScratch {
  // The number of PDUs of this protocol dissected so far in this frame: the next
  // one's ordinal, the same on every pass.
  uint32_t pdus = 0;
  // The Info column so far (see set_info), in pinfo->pool.
  const char* info = nullptr;
  // Set by pdu_length for dissect_pdu: the piece it hands over is undecodable, and why.
  const char* undecodable = nullptr;
  // Set by dissect for a segment that follows a gap (stream_gap.hpp): 1 + the offset
  // the resync hook starts at; pdu_length consumes it at the segment's first byte.
  guint resync_from = 0;
};

// Protocol `proto`'s scratch for the dissection under way, zeroed when the dissection
// begins: it lives as long as what the dissection put in pinfo->pool, and is reset
// when Wireshark empties that pool for the next one.
FrameScratch& frame_scratch(packet_info* pinfo, int proto);

}  // namespace quartet::plugin
