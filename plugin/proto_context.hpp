// Everything Wireshark hands back to us for one of the four protocols: the ids
// registered from the core's descriptor, its preferences and its handle. The
// plugin keeps one ProtoContext per entry of quartet::all_protocols().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/problem.hpp"
#include "common/protocol.hpp"
#include "wireshark.hpp"

namespace quartet::plugin {

inline constexpr size_t kProblemKinds = 6;  // ProblemKind::Malformed .. ErrorReply

// A PDU begun in a frame and waiting for more bytes (unfinished_pdu.hpp).
struct OpenPdu {
  uint64_t declared = 0;  // its length as the framer read it; 0 while it could not tell
  int offset = -1;        // where it begins in the frame's bytes; -1: not the frame's (TLS)
};

struct ProtoContext {
  const Protocol* desc = nullptr;
  int proto = -1;
  const char* column_name = "";  // the core's short name, for the Protocol column

  // Registered from desc->fields, index for index.
  std::vector<int> hf;
  std::vector<const header_field_info*> hfinfo;  // of hf, for the per-field "is it shown" check
  // hfinfo[i]->ref_type is at ref_flags + i * ref_stride (Wireshark uses our
  // registration array in place), for FieldNeeds::some; nullptr if it is not.
  const std::byte* ref_flags = nullptr;
  size_t ref_stride = 0;
  std::vector<int> ett_of_field;  // -1 unless the field is a Group
  int ett_proto = -1;

  // Fields the plugin adds itself (session results, framing failures).
  int hf_response_in = -1;
  int hf_response_to = -1;
  int hf_time = -1;
  int hf_event = -1;
  int hf_state = -1;
  int hf_index = -1;
  int hf_undecoded = -1;
  // Per Protocol::link_groups entry: <p>.<group>.response_in / response_to / time.
  struct LinkFields {
    const char* group = nullptr;
    int hf_response_in = -1, hf_response_to = -1, hf_time = -1;
  };
  std::vector<LinkFields> links;
  const LinkFields* link_fields(const char* group) const {
    if (!group) return nullptr;
    for (const auto& l : links)
      if (std::string_view(l.group) == group) return &l;
    return nullptr;
  }

  std::array<expert_field, kProblemKinds> ei{};                // by ProblemKind: framing, problems without id
  std::vector<expert_field> ei_of_problem;                     // one per desc->problems entry, same order
  std::unordered_map<std::string_view, size_t> problem_index;  // ProblemDef::id -> its entry
  expert_field ei_tls_handoff{};
  expert_field ei_snaplen_cut{};  // a message cut by the capture's snapshot length
  expert_field ei_unfinished{};   // a message begun and never completed (unfinished_pdu.hpp)
  // First pass: the frames where a PDU began that no frame has completed yet.
  std::unordered_map<uint32_t, OpenPdu> open_pdus;

  dissector_handle_t handle = nullptr;

  // The record each PDU is decoded into, reused (dissection is single-threaded and
  // never re-enters a protocol's dissect_message).
  MessageRecord scratch;

  // The tap every decoded message is queued on (named like the filter): the
  // Flow Graph, Service Response Time and Statistics tree all listen to it.
  int tap = -1;
  const char* srt_table_name = "";  // the Service Response Time table's title

  // Preferences.
  bool has_sensitive_fields = false;
  ws_bool_pref show_sensitive = false;
  ws_bool_pref yield_ports = false;

  // Default TCP ports another dissector held before we registered ours, with its
  // handle, so that the "yield ports" preference can give them back.
  std::vector<std::pair<uint16_t, dissector_handle_t>> taken_ports;
  bool ports_yielded = false;

  expert_field* ei_for(ProblemKind k) { return &ei[static_cast<size_t>(k) % kProblemKinds]; }
  // The expert info registered for this problem's id, else its kind's.
  expert_field* ei_for(const Problem& p) {
    if (!p.id.empty())
      if (auto it = problem_index.find(p.id); it != problem_index.end()) return &ei_of_problem[it->second];
    return ei_for(p.kind);
  }
};

// One context per quartet::all_protocols() entry, same order; created on first use
// and alive for the whole process (Wireshark keeps pointers into it).
std::span<ProtoContext> contexts();

}  // namespace quartet::plugin
