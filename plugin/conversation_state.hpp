// Per-TCP-connection state: the core's session machine plus what it concluded
// about each PDU on the first pass. Wireshark dissects every frame once in order
// (first pass) and then again, in any order, whenever a tree is needed; the machine
// must only advance on the first pass, so later passes read the stored Transition
// and ask Session::decode for a context-aware decode without changing state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/session.hpp"
#include "proto_context.hpp"
#include "stream_gap.hpp"

namespace quartet::plugin {

// The texts are copies that live as long as the capture file, like the states
// themselves (a bump allocator: cheaper per PDU than a heap string each).
struct PduRecord {
  uint32_t frame = 0;
  uint32_t ordinal = 0;  // among the frame's PDUs of this protocol
  TimeNs ts = 0;
  Transition transition;
  std::string_view summary;                 // shown in the Info column of the response to it
  std::string_view kind;                    // the request's kind, for response-time statistics
  std::string_view state;                   // session state after this PDU
  uint32_t response_in = 0;                 // frame of the response once it has been seen
  std::optional<uint64_t> first_answer;     // that response's record index
  const char* response_in_group = nullptr;  // that response's Transition::link_group
};

class ConversationState {
 public:
  ConversationState(const ProtoContext& c, packet_info* pinfo, conversation_t* conv);

  Direction direction_of(const packet_info* pinfo) const;

  // The PDU's record index for a (frame, ordinal-in-frame) position, if the first
  // pass stored one.
  std::optional<uint64_t> find(uint32_t frame, uint32_t ordinal) const;
  // First pass: feeds the session machine and stores the result (its Transition moves
  // into the record; `out` keeps the decode).
  uint64_t add(uint32_t frame, uint32_t ordinal, TimeNs ts, MessageRecord& out, Direction dir, Bytes pdu);

  Session& session() { return *session_; }
  PduRecord& record(uint64_t index) { return *records_[index]; }
  bool has_record(uint64_t index) const { return index < records_.size(); }

  // Set when our heuristic accepted this connection, so that later TLS records
  // (which do not start like the first one) are accepted too.
  bool claimed = false;
  // Each direction's TCP progress on the first pass ([0] to the server), for
  // resynchronising after a gap (stream_gap.hpp).
  StreamProgress stream_progress[2];
  // Each direction's PDU begun and not completed yet on the first pass: the frame
  // where it began, 0 for none ([0] to the server; unfinished_pdu.hpp).
  uint32_t open_pdu_frame[2] = {0, 0};
  uint32_t& open_pdu_frame_of(Direction d) { return open_pdu_frame[d == Direction::ToServer ? 0 : 1]; }
  uint32_t& open_pdu_frame_of(const packet_info* pinfo) { return open_pdu_frame_of(direction_of(pinfo)); }

 private:
  std::string_view keep(std::string_view s);

  std::unique_ptr<Session> session_;
  // In the order the first pass added them, which is (frame, ordinal) order: a
  // record is found by a binary search on its position. The records themselves are
  // in one store for the whole file (they never move; a vector of records would move
  // them, and allocate large blocks, as a connection grows).
  std::vector<PduRecord*> records_;
  // Only if a record ever came out of that order (no first pass does that): every
  // (frame << 32 | ordinal, record index), sorted.
  std::vector<std::pair<uint64_t, uint64_t>> by_position_;
  address server_addr_{};
  uint32_t server_port_ = 0;
};

// The connection's state for protocol `c`, created on first use. Owned by the
// plugin and freed when Wireshark closes the capture file.
ConversationState& conversation_state(const ProtoContext& c, packet_info* pinfo);

// The state for one call of our dissector: looked up (a conversation search, about
// as costly as decoding a small PDU) at most once, however many PDUs the call holds,
// and not at all when none needs it.
class StateLookup {
 public:
  StateLookup(const ProtoContext& c, packet_info* pinfo, ConversationState* known = nullptr)
      : c_(c), pinfo_(pinfo), st_(known) {}
  ConversationState& get() {
    if (!st_) st_ = &conversation_state(c_, pinfo_);
    return *st_;
  }

 private:
  const ProtoContext& c_;
  packet_info* pinfo_;
  ConversationState* st_;
};
// Existing state only (heuristics use it to recognise a connection already ours).
ConversationState* find_conversation_state(const ProtoContext& c, packet_info* pinfo);

// Registers the clean-up that frees all states at the end of a capture file.
void register_conversation_cleanup();

}  // namespace quartet::plugin
