#include "analyzer_sink.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "decryptor.hpp"
#include "detect.hpp"
#include "fanout.hpp"
#include "message_out.hpp"
#include "pdu_stream.hpp"
#include "tls_peek.hpp"

namespace quartet::analyzer {

namespace {

Direction direction_of(Side s) { return s == Side::Client ? Direction::ToServer : Direction::ToClient; }

// What ended a connection, for "... cut short by <it>".
std::string_view ended_by(CloseReason why) {
  switch (why) {
    case CloseReason::Fin: return "the connection's close";
    case CloseReason::Reset: return "the connection's reset";
    case CloseReason::EndOfCapture: return "the end of the capture";
    case CloseReason::Idle: return "the connection's expiry";
    case CloseReason::MemoryLimit: break;
  }
  return "the connection's drop";
}

}  // namespace

struct Analyzer::Flow {
  // Connects one direction's PduStream to the session machine (built per call: nothing to keep per flow).
  struct DirHandler final : PduHandler {
    DirHandler(Analyzer& an, Flow& fl, Side s) : a(an), f(fl), side(s) {}
    Analyzer& a;
    Flow& f;
    Side side;
    bool on_pdu(Bytes pdu, TimeNs ts) override { return f.message(a, side, pdu, ts); }
    void on_stream_warning(std::string text, TimeNs ts) override { f.warn(a, ts, side, std::move(text)); }
  };
  // Connects one direction's TLS follower to the timeline and, for decrypted
  // application data, to the same PduStream → session path as clear text.
  struct TlsHandler final : TlsListener {
    TlsHandler(Analyzer& an, Flow& fl, Side s, TimeNs t) : a(an), f(fl), side(s), ts(t) {}
    Analyzer& a;
    Flow& f;
    Side side;
    TimeNs ts;
    void tls_event(EntryKind kind, std::string text) override {
      if (kind == EntryKind::Warning) f.warn(a, ts, side, std::move(text));
      else f.event(ts, kind, side, std::move(text));
    }
    void tls_plaintext(Bytes data) override { f.plaintext(a, side, data, ts); }
  };
  struct Held {
    Side side;
    TimeNs ts;
    std::vector<std::byte> bytes;
  };
  enum class Stage : uint8_t { Detecting, Plain, Tls, Ignored };

  // What detection looks at, held only until it decides.
  struct Detecting {
    std::vector<Held> held;                 // in arrival order
    std::vector<std::byte> first_bytes[2];  // per side, at most kDetectBytes
  };
  // Only a connection that is (or is about to be) TLS has these.
  struct TlsPart {
    TlsInfo info;
    TlsPeeker peeker[2];
    std::unique_ptr<tls::Decryptor> decryptor;  // from the moment the connection is TLS
    std::string handoff_text;                   // the session machine's words for a TLS hand-off
    // TLS on a port of no protocol of ours: decrypted bytes held until a heuristic decides.
    std::vector<std::byte> inner_first[2];
    std::vector<Held> inner_held;
    bool inner_unknown = false;
  };

  // An open connection holds only what changes while it runs; its SessionOut (with
  // the strings and TLS details the writers show) is built when it ends. A million
  // idle connections open at once cost what these few fields do.
  FlowInfo info;
  const Protocol* protocol = nullptr;
  const char* detected_by = "";  // detection_by_name() or "heuristic"
  TimeNs end = 0;                // (it starts at info.first_ts)
  uint64_t messages[2] = {0, 0}, bytes[2] = {0, 0};
  // What a troubled connection has: made at its first warning or gap.
  struct Trouble {
    std::vector<std::string> warnings;
    uint64_t warnings_dropped = 0;
    uint64_t missing_bytes = 0;
  };
  std::unique_ptr<Trouble> trouble;
  const char* conn_state = "";  // ConnSummary::zeek_state (a literal)
  Stage stage = Stage::Detecting;
  bool handshake = false;
  bool closed = false;
  bool handoff_pending = false;
  bool listing_cut = false;  // the timeline reached kMaxSessionEntries (room_for_entry)
  // The output lists the timeline's events (not --summary's text and JSONL, which
  // show only counts): else they are counted, not kept.
  bool events_listed = true;
  std::optional<Side> first_fin;
  std::unique_ptr<Session> session;
  // A direction's framing state, held only once it holds something (a partial PDU,
  // a resync, a stop): between whole PDUs, where an idle connection sits, it is a
  // new PduStream, made on the stack for each chunk.
  std::unique_ptr<PduStream> stream[2];
  std::unique_ptr<Detecting> detecting;  // made when detection needs more than the first bytes
  std::unique_ptr<TlsPart> tls;
  std::unique_ptr<SessionOut> out;  // built by finish_session; the timeline joins it when written
  uint64_t next_index = 0;
  // The timeline in memory (earlier parts may be in the spill file).
  std::vector<Entry> entries;
  size_t entry_count = 0;  // entries the timeline has (kept, spilled or not)
  Spill* spill = nullptr;
  SpillChain spilled;  // the timeline's first part, before `entries`
  // Entries packed as they came since the last segment (TimelineSpill::pack), after
  // `spilled` and before `entries`; only while the timeline has segments in the file.
  // Freed once written: buffers kept from segment to segment (a pool) made every
  // long session hold one sized for its largest segment (+9 MB on a 300-session
  // capture), for no measurable speed.
  struct Packed {
    OutBuf body;
    size_t count = 0;
  };
  std::unique_ptr<Packed> packed;

  ~Flow() { drop_entries(); }
  void drop_entries() {
    if (spill) spill->held -= std::min(spill->held, entries.size() + (packed ? packed->count : 0));
    std::vector<Entry>().swap(entries);
    packed.reset();
  }
  Trouble& troubles() {
    if (!trouble) trouble = std::make_unique<Trouble>();
    return *trouble;
  }
  TlsPart& tls_part() {
    if (!tls) tls = std::make_unique<TlsPart>();
    return *tls;
  }

  // A MessageOut or EventOut, moved into the timeline once (not into an Entry first).
  template <typename Item>
  void add_entry(Item&& item) {
    ++entry_count;
    if (spill && spill->min_entries && !spilled.empty()) {
      pack(std::move(item));
      return;
    }
    if (packed) unpack();  // (the file failed since: the rest is held in memory)
    // A short connection's whole timeline (open, a few messages, FIN, close) in one
    // allocation, not a 1-2-4-8 series; mostly one an earlier session left.
    if (entries.capacity() == 0) {
      if (spill) entries = spill->file.take_entries();
      else entries.reserve(TimelineSpill::kNewTimelineEntries);
    }
    entries.emplace_back(std::in_place_type<std::decay_t<Item>>, std::forward<Item>(item));
    if (!spill) return;
    ++spill->held;
    if (!spill->moves(entries.size())) return;
    const size_t n = entries.size();
    if (spill->file.write(entries, spilled)) {
      spill->held -= std::min(spill->held, n);
    } else {
      spill->min_entries = 0;  // no room on disk: hold the rest in memory
    }
  }
  template <typename Item>
  void pack(Item&& item) {
    if (!packed) packed = std::make_unique<Packed>();
    TimelineSpill::pack(packed->body, item);
    ++packed->count;
    if constexpr (std::is_same_v<std::decay_t<Item>, MessageOut>) spill->file.recycle_text(item.release_text());
    ++spill->held;
    if (spill->moves(packed->count)) write_packed();
  }
  // The packed entries as one more segment; if the file cannot take them, they are
  // held in memory as entries from then on (as every timeline's are).
  void write_packed() {
    const size_t n = packed->count;
    if (!spill->file.write_packed(packed->body, spilled)) {
      spill->min_entries = 0;
      unpack();
      return;
    }
    spill->held -= std::min(spill->held, n);
    packed.reset();
  }
  // The packed entries back in memory, before `entries` (still counted as held).
  void unpack() {
    std::vector<Entry> before;
    TimelineSpill::unpack(packed->body.view(), before);
    std::move(entries.begin(), entries.end(), std::back_inserter(before));
    entries = std::move(before);
    packed.reset();
  }

  // The ended session with its timeline, for the writer: its spilled part stays
  // in the file (the writers stream it back), the rest leaves the spill budget's count.
  SessionOut& whole() {
    if (packed) write_packed();
    if (spill) {
      spill->held -= std::min(spill->held, entries.size());
      if (!spilled.empty()) {
        spill->file.sync();
        out->spill = &spill->file;
      }
    }
    out->spilled = std::exchange(spilled, {});
    out->entries = std::move(entries);
    entries.clear();
    return *out;
  }

  // Whether one more timeline entry may be kept; the first refusal leaves a warning
  // entry (the one kept beyond the maximum) saying the listing stops there.
  bool room_for_entry(TimeNs ts) {
    if (entry_count < kMaxSessionEntries) return true;
    if (!std::exchange(listing_cut, true)) {
      std::string text = "timeline cut after " + std::to_string(kMaxSessionEntries) +
                         " entries: later messages and events are counted, not listed";
      if (troubles().warnings.size() < kMaxSessionWarnings) trouble->warnings.push_back(text);
      add_event(EventOut{ts, EntryKind::Warning, std::nullopt, std::move(text)});
    }
    return false;
  }
  void event(TimeNs ts, EntryKind kind, std::optional<Side> from, EventText text) {
    end = std::max(end, ts);
    if (room_for_entry(ts)) add_event(EventOut{ts, kind, from, std::move(text)});
  }
  // Counted either way: the timeline's cut and the session order's bound (which
  // count entries) stay those of a listed timeline.
  void add_event(EventOut&& e) {
    if (events_listed) add_entry(std::move(e));
    else ++entry_count;
  }
  void note_warning(Analyzer& a, std::string text) {
    a.had_warnings_ = true;
    Trouble& t = troubles();
    if (t.warnings.size() < kMaxSessionWarnings) t.warnings.push_back(std::move(text));
    else ++t.warnings_dropped;
  }
  void warn(Analyzer& a, TimeNs ts, std::optional<Side> from, std::string text) {
    std::string w = from ? std::string(side_name(*from)) + ": " + text : text;
    note_warning(a, std::move(w));
    event(ts, EntryKind::Warning, from, std::move(text));
  }

  // Clear text (or decrypted application data) of one direction, framed into PDUs.
  // Returns the bytes of `data` left unframed because the stream stopped at a TLS hand-off.
  Bytes frame(Analyzer& a, Side side, Bytes data, TimeNs ts) {
    DirHandler h(a, *this, side);
    std::unique_ptr<PduStream>& held = stream[side_index(side)];
    if (held) return held->feed(data, ts, h);  // kept once made: its buffer is reused
    PduStream st(*protocol, a.pdu_budget_);
    const Bytes rest = st.feed(data, ts, h);
    if (!st.at_rest()) held = std::make_unique<PduStream>(std::move(st));
    return rest;
  }

  // Decrypted application data: framed and decoded exactly as clear text is.
  void plaintext(Analyzer& a, Side side, Bytes data, TimeNs ts) {
    if (!protocol && !recognise(a, side, data, ts)) return;
    if (!session) session = protocol->new_session();
    frame(a, side, data, ts);
    handoff_pending = false;  // TLS inside TLS is not followed
  }

  // TLS on a port of no protocol of ours: the protocol is read from the first
  // decrypted bytes with the heuristics. False while undecided (the bytes are
  // held) and once given up; true when decided, after feeding what was held.
  bool recognise(Analyzer& a, Side side, Bytes data, TimeNs ts) {
    TlsPart& t = tls_part();
    if (t.inner_unknown) return false;
    auto& first = t.inner_first[side_index(side)];
    const size_t room = kDetectBytes - std::min(kDetectBytes, first.size());
    first.insert(first.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(std::min(data.size(), room)));
    t.inner_held.push_back({side, ts, {data.begin(), data.end()}});
    bool need_more = false;
    for (const Protocol* p : all_protocols()) {
      const Probe pa = t.inner_first[0].empty() ? Probe::NeedMore : p->probe(t.inner_first[0]);
      const Probe pb = t.inner_first[1].empty() ? Probe::NeedMore : p->probe(t.inner_first[1]);
      if (pa == Probe::Yes || pb == Probe::Yes) {
        protocol = p;
        detected_by = "heuristic";
        event(ts, EntryKind::Info, std::nullopt, std::string(p->short_name) + " by heuristic on the decrypted bytes");
        std::vector<Held> waiting = std::move(t.inner_held);
        for (auto& f : t.inner_first) std::vector<std::byte>().swap(f);
        for (const Held& h : waiting) plaintext(a, h.side, h.bytes, h.ts);
        return false;  // the current chunk was the last one held
      }
      need_more = need_more || pa == Probe::NeedMore || pb == Probe::NeedMore;
    }
    if (!need_more || first.size() >= kDetectBytes) {
      t.inner_unknown = true;  // none of ours inside: the connection is not shown
      t.inner_held.clear();
    }
    return false;
  }

  bool message(Analyzer& a, Side side, Bytes pdu, TimeNs ts) {
    const uint64_t index = next_index++;
    MessageRecord& rec = a.record_;  // reused: decoding allocates nothing once it has grown
    try {
      session->on_pdu(direction_of(side), pdu, ts, index, rec);
    } catch (const std::exception& e) {
      // The core promises not to throw; if it does, the session is not trusted further.
      warn(a, ts, side, std::string("decoder failure: ") + e.what() + "; decoding stopped");
      return false;
    }
    MessageOut m = make_message(*protocol, rec, pdu, side, ts, index, a.fields_json(),
                                spill ? spill->file.take_text() : std::string());
    ++messages[side_index(side)];
    for (const Problem& p : m.problems)
      note_warning(a, std::string(side_name(side)) + " message " + std::to_string(index) + ": " +
                          std::string(kind_name(p.kind)) + ": " + p.text);
    end = std::max(end, ts);
    if (room_for_entry(ts)) add_entry(std::move(m));
    for (Event& e : rec.transition.events) {
      // A hand-off is shown as the tls_start event that handoff() writes.
      if (e.kind == quartet::EventKind::TlsHandoff) {
        tls_part().handoff_text = std::move(e.text);
        continue;
      }
      if (e.kind == quartet::EventKind::Publisher) continue;  // make_message noted it
      event(ts, e.kind == quartet::EventKind::Phase ? EntryKind::Phase : EntryKind::Info, side, std::move(e.text));
    }
    if (rec.transition.tls_follows) {
      handoff_pending = true;
      return false;
    }
    return true;
  }
};

Analyzer::Analyzer(AppOptions& opt, Writer& out) : opt_(opt), out_(out), order_(kMaxWaitingEntries) {
  for (const Protocol* p : all_protocols()) summary_.protocols.push_back({p});
}
Analyzer::~Analyzer() = default;

Analyzer::Flow* Analyzer::find(uint64_t id) {
  std::unique_ptr<Flow>* f = order_.find_open(id);
  return f ? f->get() : nullptr;
}

void Analyzer::on_open(const FlowInfo& info) {
  saw(info.first_ts);
  if (!in_shard(info, opt_.shard)) return;  // another shard's: never found, never counted
  auto f = std::make_unique<Flow>();
  f->info = info;
  // The summary's response-time table reads every session's timeline, so even
  // --summary keeps it (the spill file bounds the memory).
  f->spill = &spill_;
  f->events_listed = opt_.format == OutputFormat::Html || !opt_.summary_only;  // the report ignores --summary
  f->handshake = info.handshake_seen;
  f->end = info.first_ts;
  f->event(info.first_ts, EntryKind::TcpOpen, std::nullopt,
           info.handshake_seen ? EventText("connection opened (SYN seen)")
                               : EventText("connection picked up mid-stream (no SYN seen)"));
  ++summary_.tcp_flows;
  order_.open(info.id) = std::move(f);
}

bool Analyzer::on_data(uint64_t id, Side from, Bytes data, TimeNs ts) {
  saw(ts);
  Flow* f = find(id);
  // Nothing of a connection that is not ours (or of another shard) is shown: its
  // bytes are not needed (a timestamp that may matter still comes: saw, above).
  if (!f || f->stage == Flow::Stage::Ignored) return false;
  if (data.empty()) return true;
  f->bytes[side_index(from)] += data.size();
  f->end = std::max(f->end, ts);
  if (f->stage == Flow::Stage::Detecting) {
    const bool first_chunk = !f->detecting;
    if (first_chunk) {
      // The connection's first bytes: most connections are decided on them, with
      // nothing copied; only an undecided one holds them (below).
      const Bytes first = data.first(std::min(data.size(), kDetectBytes));
      const Bytes none;
      const Detection d = detect(f->info, opt_, from == Side::Client ? first : none,
                                 from == Side::Server ? first : none, first.size() >= kDetectBytes);
      if (d.verdict != Detection::Verdict::NeedMore) {
        settle(*f, d, ts);
        dispatch(*f, from, data, ts);
        return f->stage != Flow::Stage::Ignored;
      }
      f->detecting = std::make_unique<Flow::Detecting>();
    }
    Flow::Detecting& d = *f->detecting;
    d.held.push_back({from, ts, {data.begin(), data.end()}});
    auto& first = d.first_bytes[side_index(from)];
    const size_t room = kDetectBytes - std::min(kDetectBytes, first.size());
    first.insert(first.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(std::min(data.size(), room)));
    if (!first_chunk) decide(*f, first.size() >= kDetectBytes);  // the first was asked about above
    return f->stage != Flow::Stage::Ignored;
  }
  dispatch(*f, from, data, ts);
  return true;
}

void Analyzer::dispatch(Flow& f, Side from, Bytes data, TimeNs ts) {
  switch (f.stage) {
    case Flow::Stage::Plain: {
      Bytes rest = f.frame(*this, from, data, ts);
      if (f.handoff_pending) handoff(f, from, rest, ts);
      break;
    }
    case Flow::Stage::Tls: feed_tls(f, from, data, ts); break;
    default: break;
  }
}

void Analyzer::decide(Flow& f, bool final) {
  std::vector<Flow::Held> held;
  Detection d;
  if (Flow::Detecting* dt = f.detecting.get()) {
    d = detect(f.info, opt_, dt->first_bytes[0], dt->first_bytes[1], final);
    if (d.verdict == Detection::Verdict::NeedMore) return;
    held = std::move(dt->held);
  } else {  // no bytes yet
    d = detect(f.info, opt_, {}, {}, final);
    if (d.verdict == Detection::Verdict::NeedMore) return;
  }
  f.detecting.reset();
  settle(f, d, held.empty() ? f.end : held.front().ts);
  for (const Flow::Held& h : held) dispatch(f, h.side, h.bytes, h.ts);
}

void Analyzer::settle(Flow& f, const Detection& d, TimeNs ts) {
  if (d.verdict == Detection::Verdict::NotOurs) {
    f.stage = Flow::Stage::Ignored;
    f.drop_entries();
    f.entry_count = 0;
    f.spilled = {};
    if (on_not_ours_) on_not_ours_(f.info.id);
    return;
  }
  f.protocol = d.protocol;
  f.detected_by = detection_by_name(d.by);
  if (d.protocol)
    f.event(ts, EntryKind::Info, std::nullopt, std::string(d.protocol->short_name) + " by " + detection_by_name(d.by));
  if (d.tls) {
    f.stage = Flow::Stage::Tls;
    Flow::TlsPart& t = f.tls_part();
    t.info.seen = true;
    t.decryptor = std::make_unique<tls::Decryptor>(opt_.keylog);
    f.event(ts, EntryKind::TlsStart, std::nullopt,
            d.protocol ? EventText("TLS from the first byte")
                       : EventText("TLS from the first byte (protocol to be read inside)"));
  } else {
    f.stage = Flow::Stage::Plain;
    f.session = d.protocol->new_session();
  }
}

void Analyzer::feed_tls(Flow& f, Side from, Bytes data, TimeNs ts) {
  Flow::TlsPart& t = f.tls_part();
  TlsPeeker& peeker = t.peeker[side_index(from)];
  if (peeker.stopped()) return;
  Flow::TlsHandler h(*this, f, from, ts);
  TlsContext ctx{t.info, t.decryptor.get(), h};
  peeker.feed(data, from, ctx);
}

void Analyzer::handoff(Flow& f, Side from, Bytes rest, TimeNs ts) {
  f.handoff_pending = false;
  f.stage = Flow::Stage::Tls;
  Flow::TlsPart& t = f.tls_part();
  t.info.seen = t.info.handoff = true;
  t.decryptor = std::make_unique<tls::Decryptor>(opt_.keylog);
  const std::string after = "after message " + std::to_string(f.next_index - 1);
  f.event(ts, EntryKind::TlsStart, from,
          t.handoff_text.empty() ? "TLS follows (hand-off " + after + ")" : t.handoff_text + " (" + after + ")");
  // Bytes already received after the hand-off point, in both directions, are
  // TLS. The clear-text streams end here; decrypted bytes start new ones.
  std::vector<std::byte> buffered[2];
  for (Side s : {Side::Client, Side::Server}) {
    std::unique_ptr<PduStream>& st = f.stream[side_index(s)];
    if (st) buffered[side_index(s)] = st->take_buffered();
    st.reset();
  }
  for (Side s : {Side::Client, Side::Server}) {
    if (!buffered[side_index(s)].empty()) feed_tls(f, s, buffered[side_index(s)], ts);
    if (s == from && !rest.empty()) feed_tls(f, s, rest, ts);
  }
}

void Analyzer::on_gap(uint64_t id, Side from, uint64_t missing, TimeNs ts) {
  Flow* f = find(id);
  if (!f) return;
  if (f->stage == Flow::Stage::Detecting) decide(*f, true);
  if (f->stage == Flow::Stage::Ignored) return;
  f->troubles().missing_bytes += missing;
  f->note_warning(*this, std::string(side_name(from)) + ": gap of " + std::to_string(missing) + " bytes");
  f->event(ts, EntryKind::Gap, from, std::to_string(missing) + " bytes missing");
  if (f->stage == Flow::Stage::Plain) {
    Flow::DirHandler h(*this, *f, from);
    std::unique_ptr<PduStream>& st = f->stream[side_index(from)];
    if (!st) st = std::make_unique<PduStream>(*f->protocol, pdu_budget_);
    st->gap(ts, h);
  } else if (f->stage == Flow::Stage::Tls && !f->tls_part().peeker[side_index(from)].stopped()) {
    f->tls->peeker[side_index(from)].gap();
    if (f->tls->decryptor) f->tls->decryptor->set_reason("gap in the TLS stream");
    f->event(ts, EntryKind::Tls, from, "TLS record boundaries lost at the gap; not followed further");
  }
}

void Analyzer::on_flow_warning(uint64_t id, Side from, std::string_view text, TimeNs ts) {
  Flow* f = find(id);
  if (!f || f->stage == Flow::Stage::Ignored) return;
  f->warn(*this, ts, from, std::string(text));
}

void Analyzer::on_fin(uint64_t id, Side from, TimeNs ts) {
  Flow* f = find(id);
  if (!f || f->stage == Flow::Stage::Ignored) return;
  if (!f->first_fin) f->first_fin = from;
  f->event(ts, EntryKind::TcpFin, from,
           from == Side::Client ? EventText("FIN from client") : EventText("FIN from server"));
}

void Analyzer::on_conn_state(uint64_t id, const ConnSummary& state) {
  Flow* f = find(id);
  if (!f) return;
  f->conn_state = state.zeek_state.empty() ? "" : state.zeek_state.data();
  f->handshake = state.handshake_seen;
}

void Analyzer::on_close(uint64_t id, CloseReason why, Side by, TimeNs ts) {
  Flow* f = find(id);
  if (!f) return;
  close(*f, why, by, ts);
  if (!detached_) flush();
}

bool Analyzer::take_finished(uint64_t id, Finished& into) {
  std::unique_ptr<Flow>* held = order_.find(id);
  if (!held || !(*held)->closed) return false;
  Flow& f = **held;
  into.shown = shown(f);
  into.waiting = f.stage == Flow::Stage::Ignored ? 0 : f.entry_count + 1;
  if (into.shown) {
    f.whole();
    into.out = std::move(f.out);
  }
  order_.take_closed(id);
  return true;
}

bool Analyzer::spill_rest(SessionOut& s) {
  if (s.entries.empty()) return true;
  if (!spill_.file.write(s.entries, s.spilled)) return false;
  spill_.file.sync();
  s.spill = &spill_.file;
  return true;
}

void Analyzer::close(Flow& f, CloseReason why, Side by, TimeNs ts) {
  if (f.stage == Flow::Stage::Detecting) decide(f, true);
  f.closed = true;
  f.detecting.reset();
  if (f.stage == Flow::Stage::Ignored) {
    order_.close(f.info.id, 0);
    return;
  }
  finish_session(f, why, by, ts);
  order_.close(f.info.id, f.entry_count + 1);
}

void Analyzer::finish_session(Flow& f, CloseReason why, Side by, TimeNs ts) {
  f.out = std::make_unique<SessionOut>();
  SessionOut& o = *f.out;
  // A message begun and not finished: the capture, the connection or a length field
  // ended it (as a TLS record cut short, below).
  for (Side s : {Side::Client, Side::Server})
    if (const std::unique_ptr<PduStream>& st = f.stream[side_index(s)])
      if (std::string cut = st->unfinished_pdu(ended_by(why)); !cut.empty()) f.warn(*this, ts, s, std::move(cut));
  if (f.session) {
    for (Problem& p : f.session->on_close()) {
      const std::string text = std::string(kind_name(p.kind)) + ": " + p.text;
      f.warn(*this, ts, std::nullopt, text);
    }
    for (std::string& note : f.session->closing_notes()) f.event(ts, EntryKind::Info, std::nullopt, std::move(note));
    o.protocol_state = std::string(f.session->state());
  } else if (f.tls && f.tls->info.seen) {
    o.protocol_state = "tls";
  }
  if (f.stage == Flow::Stage::Tls) {
    for (Side s : {Side::Client, Side::Server}) {
      std::string cut = f.tls_part().peeker[side_index(s)].unfinished_record(s);
      if (cut.empty()) continue;
      f.warn(*this, ts, s, std::move(cut));
      if (f.tls->decryptor) f.tls->decryptor->set_reason("TLS record cut short");
    }
  }
  if (f.tls && f.tls->decryptor) {
    f.tls->info.decrypted = f.tls->decryptor->decrypted_any();
    f.tls->info.not_decrypted = f.tls->decryptor->reason();
  }
  switch (why) {
    case CloseReason::Fin:
      o.state = "closed";
      o.closed_by = f.first_fin.value_or(by);
      f.event(ts, EntryKind::TcpClose, o.closed_by,
              o.closed_by == Side::Client ? EventText("closed, first FIN from client")
                                          : EventText("closed, first FIN from server"));
      break;
    case CloseReason::Reset:
      o.state = "reset";
      o.closed_by = by;
      f.event(ts, EntryKind::TcpReset, by,
              by == Side::Client ? EventText("reset by client") : EventText("reset by server"));
      break;
    case CloseReason::Idle:
      o.state = "expired";
      f.event(ts, EntryKind::TcpClose, std::nullopt, "expired after being idle");
      break;
    case CloseReason::MemoryLimit:
      o.state = "dropped";
      f.warn(*this, ts, std::nullopt, "connection dropped at the reassembly memory limit");
      break;
    case CloseReason::EndOfCapture:
      o.state = f.first_fin ? "half-closed" : "open";
      if (f.first_fin) o.closed_by = f.first_fin;
      break;
  }
  // The rest of the record, now that nothing more is added to it but the timeline.
  o.flow = f.info;
  o.protocol = f.protocol;
  o.detected_by = f.detected_by;
  o.start = f.info.first_ts;
  o.end = f.end;
  o.conn_state = f.conn_state;
  o.handshake = f.handshake;
  for (size_t i = 0; i < 2; ++i) {
    o.messages[i] = f.messages[i];
    o.bytes[i] = f.bytes[i];
  }
  if (f.trouble) {
    o.missing_bytes = f.trouble->missing_bytes;
    o.warnings = std::move(f.trouble->warnings);
    o.warnings_dropped = f.trouble->warnings_dropped;
    f.trouble.reset();
  }
  if (f.tls) o.tls = std::move(f.tls->info);
  f.tls.reset();
  for (auto& s : f.stream) s.reset();
  f.session.reset();
}

void Analyzer::on_capture_warning(std::string_view text) {
  had_warnings_ = true;
  add_capture_warning(summary_, text);
}

void Analyzer::add_capture_warning(RunSummary& summary, std::string_view text) {
  if (summary.capture_warnings.size() < kMaxCaptureWarnings) summary.capture_warnings.emplace_back(text);
  else ++summary.capture_warnings_dropped;
}

bool Analyzer::shown(const Flow& f) const {
  const bool ours = f.stage != Flow::Stage::Ignored && f.protocol;
  return ours && (!opt_.only || opt_.only == f.protocol);
}

bool Analyzer::write(Flow& f) {
  if (!shown(f)) {
    ++summary_.other_flows;
    return false;
  }
  SessionOut& o = f.whole();
  SessionAccounting account;  // in the writer's pass over the timeline
  out_.session(o, [&account](const Entry& e) { account.add(e); });
  account_session(o, account.take(o), summary_, response_times_, fanout_);
  spill_.file.recycle(o.entries);  // for the sessions to come
  return true;
}

void Analyzer::flush() {
  summary_.written_early += order_.flush([this](std::unique_ptr<Flow>& f) { return write(*f); });
}

void Analyzer::finish() {
  order_.for_each_open([this](std::unique_ptr<Flow>& f) {
    if (!f->closed) close(*f, CloseReason::EndOfCapture, Side::Client, f->end);
  });
  flush();
  finish_accounts(summary_, response_times_, fanout_);
  out_.finish(summary_);
}

}  // namespace quartet::analyzer
