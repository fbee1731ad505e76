#include "analyzer_sink.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <optional>

#include "decryptor.hpp"
#include "detect.hpp"
#include "fanout.hpp"
#include "message_out.hpp"
#include "pdu_stream.hpp"
#include "tls_peek.hpp"

namespace quartet::analyzer {

namespace {

Direction direction_of(Side s) { return s == Side::Client ? Direction::ToServer : Direction::ToClient; }

}  // namespace

struct Analyzer::Flow {
  // Connects one direction's PduStream to the session machine.
  struct DirHandler final : PduHandler {
    Analyzer* a = nullptr;
    Flow* f = nullptr;
    Side side = Side::Client;
    bool on_pdu(Bytes pdu, TimeNs ts) override { return f->message(*a, side, pdu, ts); }
    void on_stream_warning(std::string text, TimeNs ts) override { f->warn(*a, ts, side, std::move(text)); }
  };
  // Connects one direction's TLS follower to the timeline and, for decrypted
  // application data, to the same PduStream → session path as clear text.
  struct TlsHandler final : TlsListener {
    Analyzer* a = nullptr;
    Flow* f = nullptr;
    Side side = Side::Client;
    TimeNs ts = 0;
    void tls_event(EntryKind kind, std::string text) override {
      if (kind == EntryKind::Warning) f->warn(*a, ts, side, std::move(text));
      else f->event(ts, kind, side, std::move(text));
    }
    void tls_plaintext(Bytes data) override { f->plaintext(side, data, ts); }
  };
  struct Held {
    Side side;
    TimeNs ts;
    std::vector<std::byte> bytes;
  };
  enum class Stage : uint8_t { Detecting, Plain, Tls, Ignored };

  SessionOut out;
  Stage stage = Stage::Detecting;
  bool closed = false;
  bool handoff_pending = false;
  std::optional<Side> first_fin;
  std::unique_ptr<Session> session;
  std::optional<PduStream> stream[2];
  DirHandler handler[2];
  TlsPeeker tls[2];
  TlsHandler tls_handler[2];
  std::unique_ptr<tls::Decryptor> decryptor;  // from the moment the connection is TLS
  std::vector<Held> held;                     // while detecting, in arrival order
  std::vector<std::byte> first_bytes[2];      // what detection looks at, per side
  uint64_t next_index = 0;
  std::string handoff_text;  // the session machine's words for a TLS hand-off
  // TLS on a port of no protocol of ours: decrypted bytes held until a heuristic decides.
  std::vector<std::byte> inner_first[2];
  std::vector<Held> inner_held;
  bool inner_unknown = false;
  // With --summary no timeline is shown, so none is kept (memory stays flat on
  // long sessions); what the summary needs of it is counted instead.
  bool keep_entries = true;
  size_t entry_count = 0;  // entries the timeline has (kept, spilled or not)
  Spill* spill = nullptr;
  std::vector<TimelineSpill::Segment> spilled;  // in timeline order, before out.entries

  ~Flow() { drop_entries(); }
  void drop_entries() {
    if (spill) spill->held -= std::min(spill->held, out.entries.size());
    out.entries.clear();
  }
  std::optional<Side> publisher;    // side of the first message announcing a publisher
  uint64_t announcing[2] = {0, 0};  // such messages per side

  void add_entry(Entry e) {
    ++entry_count;
    if (!keep_entries) return;
    // A short connection's whole timeline (open, a few messages, FIN, close) in one
    // allocation, not a 1-2-4-8 series.
    if (out.entries.capacity() == 0) out.entries.reserve(8);
    out.entries.push_back(std::move(e));
    if (!spill) return;
    ++spill->held;
    if (spill->min_entries && spill->held > spill->budget && out.entries.size() >= spill->min_entries) {
      const size_t n = out.entries.size();
      TimelineSpill::Segment seg;
      if (spill->file.write(out.entries, seg)) {
        spilled.push_back(seg);
        spill->held -= std::min(spill->held, n);
      } else {
        spill->min_entries = 0;  // no room on disk: hold the rest in memory
      }
    }
  }
  // The whole timeline in memory again, for the writer.
  void unspill() {
    if (spilled.empty()) return;
    std::vector<Entry> all;
    size_t n = out.entries.size();
    for (const TimelineSpill::Segment& seg : spilled) n += seg.entries;
    all.reserve(n);  // one allocation, not a doubling series of moves
    for (const TimelineSpill::Segment& seg : spilled) spill->file.read(seg, all);
    spill->held += all.size();
    std::move(out.entries.begin(), out.entries.end(), std::back_inserter(all));
    out.entries.swap(all);
    spilled.clear();
  }

  uint64_t entries_dropped = 0;  // beyond kMaxSessionEntries

  // Whether one more timeline entry may be kept; the first refusal leaves a warning
  // entry (the one kept beyond the maximum) saying the listing stops there.
  bool room_for_entry(TimeNs ts) {
    if (entry_count < kMaxSessionEntries) return true;
    if (entries_dropped++ == 0) {
      std::string text = "timeline cut after " + std::to_string(kMaxSessionEntries) +
                         " entries: later messages and events are counted, not listed";
      if (out.warnings.size() < kMaxSessionWarnings) out.warnings.push_back(text);
      add_entry(EventOut{ts, EntryKind::Warning, std::nullopt, std::move(text)});
    }
    return false;
  }
  void event(TimeNs ts, EntryKind kind, std::optional<Side> from, std::string text) {
    out.end = std::max(out.end, ts);
    if (room_for_entry(ts)) add_entry(EventOut{ts, kind, from, std::move(text)});
  }
  void note_warning(Analyzer& a, std::string text) {
    a.had_warnings_ = true;
    if (out.warnings.size() < kMaxSessionWarnings) out.warnings.push_back(std::move(text));
    else ++out.warnings_dropped;
  }
  void warn(Analyzer& a, TimeNs ts, std::optional<Side> from, std::string text) {
    std::string w = from ? std::string(side_name(*from)) + ": " + text : text;
    note_warning(a, std::move(w));
    event(ts, EntryKind::Warning, from, std::move(text));
  }

  // Decrypted application data: framed and decoded exactly as clear text is.
  void plaintext(Side side, Bytes data, TimeNs ts) {
    if (!out.protocol && !recognise(side, data, ts)) return;
    if (!session) session = out.protocol->new_session();
    std::optional<PduStream>& st = stream[side_index(side)];
    if (!st) st.emplace(*out.protocol);
    st->feed(data, ts, handler[side_index(side)]);
    handoff_pending = false;  // TLS inside TLS is not followed
  }

  // TLS on a port of no protocol of ours: the protocol is read from the first
  // decrypted bytes with the heuristics. False while undecided (the bytes are
  // held) and once given up; true when decided, after feeding what was held.
  bool recognise(Side side, Bytes data, TimeNs ts) {
    if (inner_unknown) return false;
    auto& first = inner_first[side_index(side)];
    const size_t room = kDetectBytes - std::min(kDetectBytes, first.size());
    first.insert(first.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(std::min(data.size(), room)));
    inner_held.push_back({side, ts, {data.begin(), data.end()}});
    bool need_more = false;
    for (const Protocol* p : all_protocols()) {
      const Probe a = inner_first[0].empty() ? Probe::NeedMore : p->probe(inner_first[0]);
      const Probe b = inner_first[1].empty() ? Probe::NeedMore : p->probe(inner_first[1]);
      if (a == Probe::Yes || b == Probe::Yes) {
        out.protocol = p;
        out.detected_by = "heuristic";
        event(ts, EntryKind::Info, std::nullopt, std::string(p->short_name) + " by heuristic on the decrypted bytes");
        std::vector<Held> waiting = std::move(inner_held);
        for (auto& f : inner_first) std::vector<std::byte>().swap(f);
        for (const Held& h : waiting) plaintext(h.side, h.bytes, h.ts);
        return false;  // the current chunk was the last one held
      }
      need_more = need_more || a == Probe::NeedMore || b == Probe::NeedMore;
    }
    if (!need_more || first.size() >= kDetectBytes) {
      inner_unknown = true;  // none of ours inside: the connection is not shown
      inner_held.clear();
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
    MessageOut m = make_message(*out.protocol, rec, pdu, side, ts, index, a.fields_json());
    ++out.messages[side_index(side)];
    for (const Problem& p : m.problems)
      note_warning(a, std::string(side_name(side)) + " message " + std::to_string(index) + ": " +
                          std::string(kind_name(p.kind)) + ": " + p.text);
    out.end = std::max(out.end, ts);
    if (m.announces_publisher) {
      if (!publisher) publisher = side;
      ++announcing[side_index(side)];
    }
    if (room_for_entry(ts)) add_entry(std::move(m));
    for (Event& e : rec.transition.events) {
      // A hand-off is shown as the tls_start event that handoff() writes.
      if (e.kind == quartet::EventKind::TlsHandoff) {
        handoff_text = std::move(e.text);
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
  f->out.flow = info;
  // The summary's response-time table reads every session's timeline, so even
  // --summary keeps it (the spill file bounds the memory); keep_entries stays for
  // a caller that needs no timeline at all.
  f->keep_entries = true;
  f->spill = &spill_;
  f->out.handshake = info.handshake_seen;
  f->out.start = f->out.end = info.first_ts;
  for (Side s : {Side::Client, Side::Server}) {
    Flow::DirHandler& h = f->handler[side_index(s)];
    h.a = this;
    h.f = f.get();
    h.side = s;
    Flow::TlsHandler& t = f->tls_handler[side_index(s)];
    t.a = this;
    t.f = f.get();
    t.side = s;
  }
  f->event(info.first_ts, EntryKind::TcpOpen, std::nullopt,
           info.handshake_seen ? "connection opened (SYN seen)" : "connection picked up mid-stream (no SYN seen)");
  ++summary_.tcp_flows;
  order_.open(info.id) = std::move(f);
}

void Analyzer::on_data(uint64_t id, Side from, Bytes data, TimeNs ts) {
  saw(ts);
  Flow* f = find(id);
  if (!f || data.empty()) return;
  f->out.bytes[side_index(from)] += data.size();
  f->out.end = std::max(f->out.end, ts);
  if (f->stage == Flow::Stage::Detecting) {
    f->held.push_back({from, ts, {data.begin(), data.end()}});
    auto& first = f->first_bytes[side_index(from)];
    const size_t room = kDetectBytes - std::min(kDetectBytes, first.size());
    first.insert(first.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(std::min(data.size(), room)));
    decide(*f, first.size() >= kDetectBytes);
    return;
  }
  dispatch(*f, from, data, ts);
}

void Analyzer::dispatch(Flow& f, Side from, Bytes data, TimeNs ts) {
  switch (f.stage) {
    case Flow::Stage::Plain: {
      PduStream& st = *f.stream[side_index(from)];
      Bytes rest = st.feed(data, ts, f.handler[side_index(from)]);
      if (f.handoff_pending) handoff(f, from, rest, ts);
      break;
    }
    case Flow::Stage::Tls: feed_tls(f, from, data, ts); break;
    default: break;
  }
}

void Analyzer::decide(Flow& f, bool final) {
  const Detection d = detect(f.out.flow, opt_, f.first_bytes[0], f.first_bytes[1], final);
  if (d.verdict == Detection::Verdict::NeedMore) return;
  std::vector<Flow::Held> held = std::move(f.held);
  f.held.clear();
  for (auto& b : f.first_bytes) std::vector<std::byte>().swap(b);
  if (d.verdict == Detection::Verdict::NotOurs) {
    f.stage = Flow::Stage::Ignored;
    f.drop_entries();
    f.entry_count = 0;
    f.spilled.clear();
    return;
  }
  f.out.protocol = d.protocol;
  f.out.detected_by = detection_by_name(d.by);
  const TimeNs ts = held.empty() ? f.out.end : held.front().ts;
  if (d.protocol)
    f.event(ts, EntryKind::Info, std::nullopt, std::string(d.protocol->short_name) + " by " + detection_by_name(d.by));
  if (d.tls) {
    f.stage = Flow::Stage::Tls;
    f.out.tls.seen = true;
    f.decryptor = std::make_unique<tls::Decryptor>(opt_.keylog);
    f.event(ts, EntryKind::TlsStart, std::nullopt,
            d.protocol ? "TLS from the first byte" : "TLS from the first byte (protocol to be read inside)");
  } else {
    f.stage = Flow::Stage::Plain;
    f.session = d.protocol->new_session();
    for (auto& s : f.stream) s.emplace(*d.protocol);
  }
  for (const Flow::Held& h : held) dispatch(f, h.side, h.bytes, h.ts);
}

void Analyzer::feed_tls(Flow& f, Side from, Bytes data, TimeNs ts) {
  TlsPeeker& peeker = f.tls[side_index(from)];
  if (peeker.stopped()) return;
  Flow::TlsHandler& h = f.tls_handler[side_index(from)];
  h.ts = ts;
  TlsContext ctx{f.out.tls, f.decryptor.get(), h};
  peeker.feed(data, from, ctx);
}

void Analyzer::handoff(Flow& f, Side from, Bytes rest, TimeNs ts) {
  f.handoff_pending = false;
  f.stage = Flow::Stage::Tls;
  f.out.tls.seen = f.out.tls.handoff = true;
  f.decryptor = std::make_unique<tls::Decryptor>(opt_.keylog);
  const std::string after = "after message " + std::to_string(f.next_index - 1);
  f.event(ts, EntryKind::TlsStart, from,
          f.handoff_text.empty() ? "TLS follows (hand-off " + after + ")" : f.handoff_text + " (" + after + ")");
  // Bytes already received after the hand-off point, in both directions, are
  // TLS. The clear-text streams end here; decrypted bytes start new ones.
  std::vector<std::byte> buffered[2];
  for (Side s : {Side::Client, Side::Server}) {
    std::optional<PduStream>& st = f.stream[side_index(s)];
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
  f->out.missing_bytes += missing;
  f->note_warning(*this, std::string(side_name(from)) + ": gap of " + std::to_string(missing) + " bytes");
  f->event(ts, EntryKind::Gap, from, std::to_string(missing) + " bytes missing");
  if (f->stage == Flow::Stage::Plain) {
    f->stream[side_index(from)]->gap(ts, f->handler[side_index(from)]);
  } else if (f->stage == Flow::Stage::Tls && !f->tls[side_index(from)].stopped()) {
    f->tls[side_index(from)].gap();
    if (f->decryptor) f->decryptor->set_reason("gap in the TLS stream");
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
  f->event(ts, EntryKind::TcpFin, from, std::string("FIN from ") + side_name(from));
}

void Analyzer::on_conn_state(uint64_t id, const ConnSummary& state) {
  Flow* f = find(id);
  if (!f) return;
  f->out.conn_state = std::string(state.zeek_state);
  f->out.handshake = state.handshake_seen;
}

void Analyzer::on_close(uint64_t id, CloseReason why, Side by, TimeNs ts) {
  Flow* f = find(id);
  if (!f) return;
  close(*f, why, by, ts);
  if (!detached_) flush();
}

std::optional<Analyzer::Finished> Analyzer::take_finished(uint64_t id) {
  std::unique_ptr<Flow>* held = order_.find(id);
  if (!held || !(*held)->closed) return std::nullopt;
  Flow& f = **held;
  Finished done;
  done.shown = shown(f);
  done.waiting = f.stage == Flow::Stage::Ignored ? 0 : f.entry_count + 1;
  if (done.shown) {
    f.unspill();
    if (f.spill) f.spill->held -= std::min(f.spill->held, f.out.entries.size());
    done.out = std::move(f.out);
    f.out.entries.clear();
  }
  order_.take_closed(id);
  return done;
}

void Analyzer::close(Flow& f, CloseReason why, Side by, TimeNs ts) {
  if (f.stage == Flow::Stage::Detecting) decide(f, true);
  f.closed = true;
  f.held.clear();
  if (f.stage == Flow::Stage::Ignored) {
    order_.close(f.out.flow.id, 0);
    return;
  }
  finish_session(f, why, by, ts);
  order_.close(f.out.flow.id, f.entry_count + 1);
}

void Analyzer::finish_session(Flow& f, CloseReason why, Side by, TimeNs ts) {
  SessionOut& o = f.out;
  if (f.session) {
    for (Problem& p : f.session->on_close()) {
      const std::string text = std::string(kind_name(p.kind)) + ": " + p.text;
      f.warn(*this, ts, std::nullopt, text);
    }
    for (std::string& note : f.session->closing_notes()) f.event(ts, EntryKind::Info, std::nullopt, std::move(note));
    o.protocol_state = std::string(f.session->state());
  } else if (o.tls.seen) {
    o.protocol_state = "tls";
  }
  if (f.stage == Flow::Stage::Tls) {
    for (Side s : {Side::Client, Side::Server}) {
      std::string cut = f.tls[side_index(s)].unfinished_record(s);
      if (cut.empty()) continue;
      f.warn(*this, ts, s, std::move(cut));
      if (f.decryptor) f.decryptor->set_reason("TLS record cut short");
    }
  }
  if (f.decryptor) {
    o.tls.decrypted = f.decryptor->decrypted_any();
    o.tls.not_decrypted = f.decryptor->reason();
  }
  switch (why) {
    case CloseReason::Fin:
      o.state = "closed";
      o.closed_by = f.first_fin.value_or(by);
      f.event(ts, EntryKind::TcpClose, o.closed_by, std::string("closed, first FIN from ") + side_name(*o.closed_by));
      break;
    case CloseReason::Reset:
      o.state = "reset";
      o.closed_by = by;
      f.event(ts, EntryKind::TcpReset, by, std::string("reset by ") + side_name(by));
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
  const bool ours = f.stage != Flow::Stage::Ignored && f.out.protocol;
  return ours && (!opt_.only || opt_.only == f.out.protocol);
}

bool Analyzer::write(Flow& f) {
  if (!shown(f)) {
    ++summary_.other_flows;
    return false;
  }
  f.unspill();
  account_session(f.out, summary_, response_times_);
  out_.session(f.out);
  return true;
}

void Analyzer::flush() {
  summary_.written_early += order_.flush([this](std::unique_ptr<Flow>& f) { return write(*f); });
}

void Analyzer::finish() {
  order_.for_each_open([this](std::unique_ptr<Flow>& f) {
    if (!f->closed) close(*f, CloseReason::EndOfCapture, Side::Client, f->out.end);
  });
  flush();
  summary_.response_times = response_times_.rows();
  out_.finish(summary_);
}

}  // namespace quartet::analyzer
