#include "stream_gap.hpp"

#include "conversation_state.hpp"

namespace quartet::plugin {
namespace {

// File-scope per-frame data: 2 + the hook's starting offset; absent (0) when the
// segment needs no resync, the common case, which so costs no per-frame data.
constexpr guint32 kGapKey = 3;

// a at or after b, modulo 2^32
bool seq_after(uint32_t a, uint32_t b) { return a != b && static_cast<uint32_t>(a - b) < 0x80000000u; }

StreamProgress& progress(packet_info* pinfo, StateLookup& state) {
  ConversationState& st = state.get();
  return st.stream_progress[st.direction_of(pinfo) == Direction::ToServer ? 0 : 1];
}

// Whether TLS, not TCP, hands us these bytes: walking the frame's layers back from
// ours, TLS comes before TCP. (From the tail: two steps in the usual case, and a
// TCP connection inside a TLS tunnel is still told to be TCP's.)
bool over_tls(const packet_info* pinfo) {
  static const int tls = proto_get_id_by_filter_name("tls");
  static const int tcp = proto_get_id_by_filter_name("tcp");
  for (wmem_list_frame_t* f = wmem_list_tail(pinfo->layers); f; f = wmem_list_frame_prev(f)) {
    const int p = GPOINTER_TO_INT(wmem_list_frame_data(f));
    if (p == tls) return true;
    if (p == tcp) return false;
  }
  return false;
}

}  // namespace

std::optional<size_t> resync_at_segment_start(const ProtoContext& c, packet_info* pinfo, const void* data,
                                              StateLookup& state) {
  if (!c.desc->resync || !data || over_tls(pinfo)) return std::nullopt;
  const auto* tcp = static_cast<const tcpinfo*>(data);
  if (PINFO_FD_VISITED(pinfo)) {
    if (tcp->is_reassembled) return std::nullopt;  // decided for the segments it was made of
    const guint v = GPOINTER_TO_UINT(p_get_proto_data(wmem_file_scope(), pinfo, c.proto, kGapKey));
    return v >= 2 ? std::optional<size_t>(v - 2) : std::nullopt;
  }
  StreamProgress& s = progress(pinfo, state);
  std::optional<size_t> from;
  if (!tcp->is_reassembled) {  // a reassembled PDU only moves the progress below
    if (s.next_seq && seq_after(tcp->seq, *s.next_seq))
      from = 0;  // the segment starts past the next expected byte: what lies between was lost
    else if (s.resyncing) from = (c.desc->line_oriented && s.ended_mid_line) ? 1 : 0;
    if (from) p_set_proto_data(wmem_file_scope(), pinfo, c.proto, kGapKey, GUINT_TO_POINTER(2u + *from));
  }
  // Segments inside a PDU being reassembled never reach us; the call that
  // completes it carries the last one's end.
  if (!s.next_seq || seq_after(tcp->nxtseq, *s.next_seq)) s.next_seq = tcp->nxtseq;
  return from;
}

uint32_t bytes_before_resync_point(const ProtoContext& c, packet_info* pinfo, Bytes segment, size_t from,
                                   StateLookup& state) {
  const auto at = c.desc->resync(segment, from);
  // A start the bytes run out on (the probe cannot tell yet) is taken: TCP
  // reassembly then brings the rest.
  const bool found = at.has_value() && *at < segment.size();
  if (!PINFO_FD_VISITED(pinfo)) {
    StreamProgress& s = progress(pinfo, state);
    s.resyncing = !found;
    s.ended_mid_line = !segment.empty() && segment.back() != std::byte{'\n'};
  }
  return static_cast<uint32_t>(found ? *at : segment.size());
}

}  // namespace quartet::plugin
