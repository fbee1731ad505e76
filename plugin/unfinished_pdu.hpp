// PDUs begun and never completed: the capture ends inside one, or the connection
// closes, or a length field lies. tcp_dissect_pdus leaves such a PDU waiting for
// bytes that never come, so no frame shows it (Wireshark's own dissectors show
// nothing there either); the analyzer warns "message cut short".
//
// The first pass notes, per connection direction, the frame where a PDU begins to
// wait for more bytes, and forgets it when a PDU of that direction is dissected.
// What is left at the end of the first pass was never completed. On later passes a
// postdissector says so on the frame where it began: TCP does not call us again for
// that frame once it knows a reassembly starts there. The first pass cannot know yet:
// tshark shows it with -2, Wireshark in the packet details and Expert Information.
#pragma once

#include <cstdint>

#include "proto_context.hpp"

namespace quartet::plugin {

// First pass only (the caller checks): the PDU at `offset` of `tvb` (this frame's bytes
// of it) waits for more bytes; `declared` is its length as the framer read it (0 while
// it cannot tell).
// `open_frame` is the direction's note (ConversationState::open_pdu_frame_of): the
// frame where its PDU began is kept while more segments are asked for.
void note_open_pdu(ProtoContext& c, packet_info* pinfo, tvbuff_t* tvb, int offset, uint64_t declared,
                   uint32_t& open_frame);
// First pass: the direction's PDU is whole (one was dissected): no longer open.
inline void note_pdu_whole(ProtoContext& c, uint32_t& open_frame) {
  if (open_frame != 0) {
    c.open_pdus.erase(open_frame);
    open_frame = 0;
  }
}

// The postdissector that shows them, and the clean-up at the end of a file (once,
// at hand-off).
void register_unfinished_pdus();

}  // namespace quartet::plugin
