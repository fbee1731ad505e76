#include "dissector.hpp"

#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "conversation_state.hpp"
#include "frame_scratch.hpp"
#include "packet_text.hpp"
#include "stream_gap.hpp"
#include "tap_message.hpp"
#include "time_conversion.hpp"
#include "tree_builder.hpp"
#include "unfinished_pdu.hpp"

namespace quartet::plugin {
namespace {

dissector_handle_t g_tls_handle = nullptr;

Bytes captured_bytes(tvbuff_t* tvb, int offset) {
  const gint avail = tvb_captured_length_remaining(tvb, offset);
  if (avail <= 0) return {};
  return {reinterpret_cast<const std::byte*>(tvb_get_ptr(tvb, offset, avail)), static_cast<size_t>(avail)};
}

// What one call of our dissector hands, through tcp_dissect_pdus, to pdu_length and
// dissect_pdu (called within it, for this call's bytes only).
struct CallContext {
  ProtoContext& c;
  FrameScratch& frame;
  StateLookup state;
};

// The Info column lists the frame's PDUs of this protocol, " | "-separated. It is
// rewritten whole each time (the text so far lives in pinfo->pool) so that what a
// carrier appends between two PDUs (TLS: ", Application Data") does not split it.
// `text` is packet-scoped already (packet_text).
void set_info(packet_info* pinfo, FrameScratch& frame, uint32_t ordinal, const ColumnText& text) {
  ColumnText all = text;
  if (ordinal > 0 && frame.info) {
    const char* joined = wmem_strdup_printf(pinfo->pool, "%s | %s", frame.info, text.text);
    const std::string_view v(joined);
    all = {joined, v.size(), shown_as_is(v)};
  }
  frame.info = all.text;
  // col_set_str and col_add_str replace what follows the column's fence: no col_clear.
  // The column may point at the text (it lives in pinfo->pool, beyond the column's
  // use) instead of copying it when no Wireshark version would change a copy: no
  // control characters (later versions escape them) and within the column's limit.
  if (all.size < COL_MAX_INFO_LEN && all.as_is) col_set_str(pinfo->cinfo, COL_INFO, all.text);
  else col_add_str(pinfo->cinfo, COL_INFO, all.text);
}

// Whether the bytes from `offset` on were cut by the capture's snapshot length.
bool frame_is_cut(tvbuff_t* tvb, int offset) {
  return tvb_captured_length_remaining(tvb, offset) < tvb_reported_length_remaining(tvb, offset);
}

// A PDU the snapshot length cut: what is missing cannot be checked, so the
// message is reported as cut, its captured bytes shown undecoded, and it is not
// given to the decoder or the session (whose grammar checks would only find the
// cut). A response to it is then one without a request, as in the analyzer.
void report_snaplen_cut(ProtoContext& c, FrameScratch& frame, tvbuff_t* tvb, packet_info* pinfo, proto_tree* root,
                        proto_item* root_item, uint32_t ordinal) {
  const guint captured = tvb_captured_length(tvb);
  const guint reported = tvb_reported_length(tvb);
  proto_tree_add_item(root, c.hf_undecoded, tvb, 0, static_cast<gint>(captured), ENC_NA);
  expert_add_info_format(pinfo, root_item, &c.ei_snaplen_cut,
                         "%s message cut by the snapshot length: %u of %u bytes captured, not decoded", c.column_name,
                         captured, reported);
  const std::string text = "Message cut by the snapshot length (" + std::to_string(captured) + " of " +
                           std::to_string(reported) + " bytes captured)";
  set_info(pinfo, frame, ordinal, column_text(pinfo, text));
  proto_item_append_text(root_item, ", %s", text.c_str());
}

// Bytes that cannot start a PDU: up to where the protocol's resync hook finds the
// next plausible start in this segment (the analyzer resumes at the same byte), or
// the rest of the segment when it finds none or the protocol has no hook (SP).
// pdu_length tells dissect_pdu, through the frame's scratch data, that the piece it
// hands over is undecodable, and why: framing the piece again could not tell (cut
// short by the resync point, a COPS header may well look incomplete rather than wrong).

guint undecodable_length(const Protocol& p, Bytes rest) {
  if (p.resync) {
    if (const auto at = p.resync(rest, 1); at && *at < rest.size()) return static_cast<guint>(*at);
  }
  return static_cast<guint>(rest.size());
}

// A PDU from `offset` on waits for more bytes (unfinished_pdu.hpp).
void note_open(CallContext& call, packet_info* pinfo, tvbuff_t* tvb, int offset, uint64_t declared) {
  if (!PINFO_FD_VISITED(pinfo))
    note_open_pdu(call.c, pinfo, tvb, offset, declared, call.state.get().open_pdu_frame_of(pinfo));
}

// get_pdu_len for tcp_dissect_pdus, from the core's framer. Never returns a length
// the framer did not vouch for: an invalid prefix becomes one undecodable PDU
// (reported by dissect_pdu) reaching to where decoding can resume, instead of
// waiting for a bogus total.
guint pdu_length(packet_info* pinfo, tvbuff_t* tvb, int offset, void* data) {
  auto& call = *static_cast<CallContext*>(data);
  const ProtoContext* c = &call.c;
  const Bytes prefix = captured_bytes(tvb, offset);
  const auto avail = static_cast<guint>(prefix.size());
  if (const guint from = call.frame.resync_from; from) {
    call.frame.resync_from = 0;
    if (const guint skip = bytes_before_resync_point(*c, pinfo, prefix, from - 1, call.state); skip > 0) {
      call.frame.undecodable = "the rest of a message whose start was not captured (a gap before it)";
      return skip;
    }
  }
  const FrameResult r = c->desc->frame(prefix);
  switch (r.status) {
    case FrameResult::Status::Complete:
      if (r.length > 0 && r.length <= kMaxPduBytes) {
        if (r.length > avail && pinfo->can_desegment) note_open(call, pinfo, tvb, offset, r.length);
        return static_cast<guint>(r.length);
      }
      break;
    case FrameResult::Status::NeedMore:
      // A frame cut by the snapshot length: the PDU runs on past the captured
      // bytes (to its declared end, or to the end of the segment when the
      // protocol has no length field), so dissect_pdu sees it as cut.
      if (!pinfo->can_desegment && frame_is_cut(tvb, offset)) {
        const auto reported = static_cast<guint>(tvb_reported_length_remaining(tvb, offset));
        if (r.length > avail && r.length < reported) return static_cast<guint>(r.length);
        return reported;
      }
      // Without reassembly (disabled) decode what there is; the decoder reports
      // the truncation.
      if (!pinfo->can_desegment) return avail;
      if (r.length > avail && r.length <= kMaxPduBytes) {
        note_open(call, pinfo, tvb, offset, r.length);
        return static_cast<guint>(r.length);
      }
      note_open(call, pinfo, tvb, offset, 0);
      return 0;  // tcp_dissect_pdus: one more segment, please
    case FrameResult::Status::Invalid: {
      const std::string_view why = r.reason.empty() ? std::string_view("invalid framing") : r.reason;
      call.frame.undecodable = wmem_strndup(pinfo->pool, why.data(), why.size());
      return undecodable_length(*c->desc, prefix);
    }
  }
  return avail;
}

void add_session_items(ProtoContext& c, ConversationState& st, std::optional<uint64_t> index, const Transition* tr,
                       const std::optional<Pairing>& pairing, tvbuff_t* tvb, packet_info* pinfo, proto_tree* root,
                       proto_item* root_item) {
  if (index) {
    if (wanted(root, c.hf_index))
      PROTO_ITEM_SET_GENERATED(proto_tree_add_uint(root, c.hf_index, tvb, 0, 0, static_cast<guint32>(*index)));
    const PduRecord& rec = st.record(*index);
    if (rec.response_in) {
      if (wanted(root, c.hf_response_in))
        PROTO_ITEM_SET_GENERATED(proto_tree_add_uint(root, c.hf_response_in, tvb, 0, 0, rec.response_in));
      if (const auto* l = c.link_fields(rec.response_in_group); l && wanted(root, l->hf_response_in))
        PROTO_ITEM_SET_GENERATED(proto_tree_add_uint(root, l->hf_response_in, tvb, 0, 0, rec.response_in));
    }
    if (!rec.state.empty() && wanted(root, c.hf_state))
      PROTO_ITEM_SET_GENERATED(proto_tree_add_string(root, c.hf_state, tvb, 0, 0, packet_text(pinfo, rec.state)));
  }
  if (!tr) return;
  if (pairing) {
    const PduRecord& req = st.record(*tr->response_to);
    if (wanted(root, c.hf_response_to))
      PROTO_ITEM_SET_GENERATED(proto_tree_add_uint(root, c.hf_response_to, tvb, 0, 0, req.frame));
    const nstime_t t = to_nstime(pairing->latency);
    if (wanted(root, c.hf_time)) PROTO_ITEM_SET_GENERATED(proto_tree_add_time(root, c.hf_time, tvb, 0, 0, &t));
    if (const auto* l = c.link_fields(tr->link_group)) {
      if (wanted(root, l->hf_response_to))
        PROTO_ITEM_SET_GENERATED(proto_tree_add_uint(root, l->hf_response_to, tvb, 0, 0, req.frame));
      if (wanted(root, l->hf_time)) PROTO_ITEM_SET_GENERATED(proto_tree_add_time(root, l->hf_time, tvb, 0, 0, &t));
    }
  }
  bool handoff_reported = false;
  for (const Event& e : tr->events) {
    if (e.kind == EventKind::Publisher) continue;  // for the analyzer's fan-out view only
    if (wanted(root, c.hf_event))
      PROTO_ITEM_SET_GENERATED(proto_tree_add_string(root, c.hf_event, tvb, 0, 0, packet_text(pinfo, e.text)));
    if (e.kind == EventKind::TlsHandoff) {
      expert_add_info_format(pinfo, root_item, &c.ei_tls_handoff, "%s", packet_text(pinfo, e.text));
      handoff_reported = true;
    }
  }
  if (tr->tls_follows && !handoff_reported) expert_add_info(pinfo, root_item, &c.ei_tls_handoff);
  add_problems(c, tr->problems, tvb, pinfo, root, root_item);
}

void dissect_message(CallContext& call, tvbuff_t* tvb, packet_info* pinfo, proto_tree* root, proto_item* root_item,
                     uint32_t ordinal, Bytes pdu) {
  ProtoContext& c = call.c;
  ConversationState& st = call.state.get();
  const Direction dir = st.direction_of(pinfo);
  // Reused from PDU to PDU: decoding allocates nothing once its buffers have grown.
  MessageRecord& mr = c.scratch;
  // Only what add_fields and the tap will read (the rest of the decode is the same).
  mr.decoded.set_needs(field_needs(c, root));
  std::optional<uint64_t> index;
  if (!PINFO_FD_VISITED(pinfo)) {
    note_pdu_whole(c, st.open_pdu_frame_of(dir));
    index = st.add(pinfo->num, ordinal, timestamp(pinfo), mr, dir, pdu);
    if (st.record(*index).transition.tls_follows && g_tls_handle) ssl_starttls_ack(g_tls_handle, pinfo, c.handle);
  } else {
    index = st.find(pinfo->num, ordinal);
    st.session().decode(dir, pdu, mr.decoded);
  }
  const Decoded& decoded = mr.decoded;
  const Transition* tr = index ? &st.record(*index).transition : nullptr;

  // The Info text, built once: "<request summary> → <this one>" for a response.
  const std::string_view own = decoded.summary.empty() ? std::string_view(decoded.name) : decoded.summary;
  ColumnText text{};
  std::optional<Pairing> pairing;
  if (tr && tr->response_to && st.has_record(*tr->response_to)) {
    const PduRecord& req = st.record(*tr->response_to);
    text = column_text(pinfo, req.summary, " \u2192 ", own);
    pairing = Pairing{req.kind, tr->latency ? *tr->latency : timestamp(pinfo) - req.ts,
                      !req.first_answer || req.first_answer == index};
  } else {
    text = column_text(pinfo, own);
  }
  const char* info = text.text;
  set_info(pinfo, call.frame, ordinal, text);
  proto_item_append_text(root_item, ", %s", info);

  add_fields(c, decoded, tvb, pinfo, root);
  add_problems(c, decoded.problems, tvb, pinfo, root, root_item);
  add_session_items(c, st, index, tr, pairing, tvb, pinfo, root, root_item);
  tap_message(c, pinfo, decoded, tr, pairing, info);
}

// dissect_pdu for tcp_dissect_pdus: `tvb` is exactly one PDU (or, when framing
// failed, the undecodable bytes up to the resync point or the end of the segment).
int dissect_pdu(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
  auto& call = *static_cast<CallContext*>(data);
  ProtoContext& c = call.c;
  const Bytes pdu = captured_bytes(tvb, 0);
  col_set_str(pinfo->cinfo, COL_PROTOCOL, c.column_name);
  const uint32_t ordinal = call.frame.pdus++;
  proto_item* root_item = proto_tree_add_item(tree, c.proto, tvb, 0, -1, ENC_NA);
  proto_tree* root = proto_item_add_subtree(root_item, c.ett_proto);

  // C++ exceptions must not unwind through Wireshark's C frames.
  try {
    const char* undecodable = call.frame.undecodable;
    call.frame.undecodable = nullptr;
    const FrameResult fr = undecodable ? FrameResult::invalid(undecodable) : c.desc->frame(pdu);
    const bool invalid = fr.status == FrameResult::Status::Invalid;
    const bool cut = !invalid && frame_is_cut(tvb, 0);
    // A piece that is no message (cut or undecodable) still ends this direction's wait.
    if ((invalid || cut) && !PINFO_FD_VISITED(pinfo)) note_pdu_whole(c, call.state.get().open_pdu_frame_of(pinfo));
    if (cut) {
      report_snaplen_cut(c, call.frame, tvb, pinfo, root, root_item, ordinal);
    } else if (invalid) {
      const std::string why(fr.reason.empty() ? "invalid framing" : fr.reason);
      proto_tree_add_item(root, c.hf_undecoded, tvb, 0, -1, ENC_NA);
      expert_add_info_format(pinfo, root_item, c.ei_for(ProblemKind::Malformed), "Cannot find a %s message here: %s",
                             c.desc->long_name.data(), why.c_str());
      set_info(pinfo, call.frame, ordinal, column_text(pinfo, "Undecodable data: " + why));
      proto_item_append_text(root_item, ", undecodable data: %s", why.c_str());
    } else {
      dissect_message(call, tvb, pinfo, root, root_item, ordinal, pdu);
    }
  } catch (const std::exception& e) {
    expert_add_info_format(pinfo, root_item, c.ei_for(ProblemKind::Malformed), "Internal error in the quartet core: %s",
                           e.what());
  } catch (...) {
    expert_add_info_format(pinfo, root_item, c.ei_for(ProblemKind::Malformed), "Internal error in the quartet core");
  }
  return static_cast<int>(tvb_captured_length(tvb));
}

// `data` is TCP's tcpinfo when TCP calls (directly or through our heuristic);
// `known`, the connection's state when the caller has it already.
int dissect(ProtoContext& c, tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data,
            ConversationState* known = nullptr) {
  CallContext call{c, frame_scratch(pinfo, c.proto), StateLookup(c, pinfo, known)};
  if (const auto from = resync_at_segment_start(c, pinfo, data, call.state))
    call.frame.resync_from = static_cast<guint>(*from) + 1;
  tcp_dissect_pdus(tvb, pinfo, tree, true, 1, pdu_length, dissect_pdu, &call);
  return static_cast<int>(tvb_captured_length(tvb));
}

// Whether this TCP payload starts its direction of the connection (relative
// sequence number 1), where the core's probes apply.
bool starts_direction(const void* data) {
  const auto* info = static_cast<const tcpinfo*>(data);
  return info && info->seq == 1;
}

bool try_heuristic(ProtoContext& c, tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data, bool over_tls) {
  ConversationState* st = find_conversation_state(c, pinfo);
  if (!(st && st->claimed)) {
    Probe p = Probe::No;
    try {
      p = c.desc->probe(captured_bytes(tvb, 0));
    } catch (...) {
    }
    // Too few bytes to tell (a stack writing its header alone, a capture cut into
    // tiny segments): at the start of a TCP direction, ask TCP for the next
    // segment too; the probe then runs again on both together.
    if (p == Probe::NeedMore && !over_tls && pinfo->can_desegment && starts_direction(data)) {
      pinfo->desegment_offset = 0;
      pinfo->desegment_len = DESEGMENT_ONE_MORE_SEGMENT;
      return true;
    }
    if (p != Probe::Yes) return false;
  }
  // Over TCP the whole connection is ours from now on. Over TLS the TCP
  // conversation belongs to the TLS dissector, so the claim is remembered in our
  // own state and later records come back through this heuristic.
  // Only on the first pass: later passes must not undo a TLS hand-off made after
  // this frame (TLS gives the frames before the hand-off back to TCP, whose
  // heuristics then come here again).
  if (!over_tls && !PINFO_FD_VISITED(pinfo)) conversation_set_dissector(find_or_create_conversation(pinfo), c.handle);
  ConversationState& state = st ? *st : conversation_state(c, pinfo);
  state.claimed = true;
  dissect(c, tvb, pinfo, tree, over_tls ? nullptr : data, &state);
  return true;
}

template <size_t I, bool OverTls>
ws_heur_result heuristic_entry(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data) {
  return try_heuristic(contexts()[I], tvb, pinfo, tree, data, OverTls);
}

template <size_t... I>
heur_dissector_t pick(size_t index, bool over_tls, std::index_sequence<I...>) {
  static constexpr heur_dissector_t tcp[] = {heuristic_entry<I, false>...};
  static constexpr heur_dissector_t tls[] = {heuristic_entry<I, true>...};
  return over_tls ? tls[index] : tcp[index];
}

}  // namespace

int dissect_stream(tvbuff_t* tvb, packet_info* pinfo, proto_tree* tree, void* data, void* cb_data) {
  return dissect(*static_cast<ProtoContext*>(cb_data), tvb, pinfo, tree, data);
}

heur_dissector_t heuristic(size_t index, bool over_tls) {
  if (index >= kProtocolCount) return nullptr;  // cannot happen: contexts() has kProtocolCount entries
  return pick(index, over_tls, std::make_index_sequence<kProtocolCount>{});
}

void set_tls_handle(dissector_handle_t tls) { g_tls_handle = tls; }

}  // namespace quartet::plugin
