// The application half of the analyzer: a StreamSink that detects the protocol
// of each TCP connection, cuts each direction into PDUs, runs the core session
// machine, follows TLS, and hands finished sessions to a Writer in order of first
// packet. Only the sessions still open (or waiting behind an earlier open one)
// are held in memory.
#pragma once

#include <cstdint>
#include <map>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "fields_json.hpp"
#include "options.hpp"
#include "output.hpp"
#include "pdu_stream.hpp"
#include "session_order.hpp"
#include "stream_events.hpp"
#include "timeline_spill.hpp"

namespace quartet::analyzer {

struct Detection;

class Analyzer final : public StreamSink {
 public:
  // Bytes held per direction while the protocol is not yet decided.
  static constexpr size_t kDetectBytes = 4096;
  // Warnings kept per session (the rest are counted).
  static constexpr size_t kMaxSessionWarnings = 1000;
  // Timeline entries (messages and events) kept per session: a connection of
  // millions of messages must not hold them all until it ends. Beyond this, its
  // messages are still decoded, paired and counted, only not listed (one warning).
  static constexpr size_t kMaxSessionEntries = 100000;
  static constexpr size_t kMaxCaptureWarnings = 1000;
  // Timeline entries of finished sessions held back for first-packet order;
  // beyond this they are written early (RunSummary::written_early).
  static constexpr size_t kMaxWaitingEntries = 500000;
  // Timeline entries held in memory over all sessions before the spill file is
  // used, and the fewest a session moves there at once.
  static constexpr size_t kSpillBudget = 8192;
  static constexpr size_t kSpillMinEntries = 32;
  // Beyond this many times the budget, any session's entries go to the file, however
  // few: a million idle connections with a few entries each hold none in memory.
  static constexpr size_t kSpillAnyFactor = 4;

  // `opt.ts_decimals` is raised to 9 (when opt.ts_auto) once a nanosecond timestamp is seen.
  Analyzer(AppOptions& opt, Writer& out);
  ~Analyzer() override;

  void on_open(const FlowInfo& flow) override;
  bool on_data(uint64_t flow, Side from, Bytes data, TimeNs ts) override;
  void on_gap(uint64_t flow, Side from, uint64_t missing_bytes, TimeNs ts) override;
  void on_flow_warning(uint64_t flow, Side from, std::string_view text, TimeNs ts) override;
  void on_fin(uint64_t flow, Side from, TimeNs ts) override;
  void on_close(uint64_t flow, CloseReason why, Side by, TimeNs ts) override;
  void on_conn_state(uint64_t flow, const ConnSummary& state) override;
  void on_capture_warning(std::string_view text) override;
  // Keeps the first kMaxCaptureWarnings, counts the rest.
  static void add_capture_warning(RunSummary& summary, std::string_view text);

  // After the network half is done: ends what is still open, writes the rest and the summary.
  void finish();
  const RunSummary& summary() const { return summary_; }
  RunSummary& summary() { return summary_; }                             // main adds what the network half counted
  void set_max_waiting_entries(size_t n) { order_.set_max_waiting(n); }  // for tests
  // For tests: (0, 1) spills every entry, min_entries 0 never spills. `write_chunk`: the
  // spill file's write buffer (a --threads worker's share of it).
  void set_spill_limits(size_t budget, size_t min_entries, size_t write_chunk = TimelineSpill::kWriteChunk) {
    spill_.budget = budget;
    spill_.min_entries = min_entries;
    spill_.file.set_write_chunk(write_chunk);
  }
  // A --threads worker's share of the spill file's pools (TimelineSpill::set_pool_bounds).
  void set_spill_pools(size_t texts, size_t timelines) { spill_.file.set_pool_bounds(texts, timelines); }
  uint64_t spilled_bytes() const { return spill_.file.bytes(); }
  // The bytes the connections may hold of messages split across segments (PduBudget):
  // this Analyzer's own (tests set a small limit), or, before any connection opens,
  // one shared with others (the --threads workers share one run's).
  void set_pdu_budget(size_t limit) { own_pdu_budget_.limit = limit; }
  void share_pdu_budget(PduBudget& b) { pdu_budget_ = &b; }
  size_t pdu_bytes_held() const { return pdu_budget_->held.load(std::memory_order_relaxed); }

  // Long timelines go to a temporary file once the sessions hold `budget` entries in memory.
  struct Spill {
    TimelineSpill file;
    size_t held = 0;  // entries in memory over all sessions
    size_t budget = kSpillBudget;
    size_t min_entries = kSpillMinEntries;  // 0: never
    // Whether a timeline holding `mine` of the held entries moves them to the file
    // now: over the budget a long one does; beyond kSpillAnyFactor times the budget
    // (very many connections open at once, each with a few entries) any one does,
    // so that an idle connection holds no entries in memory.
    bool moves(size_t mine) const {
      if (!min_entries || held <= budget) return false;
      return mine >= min_entries || held > budget * kSpillAnyFactor;
    }
  };
  // Anything the user should know about: capture or session warnings.
  bool had_warnings() const { return had_warnings_; }

  // Fields are rendered only for the output that shows them (the HTML report always does); nullptr otherwise.
  FieldsJson* fields_json() {
    if (opt_.format == OutputFormat::Html) return &fields_html_;
    if (opt_.format == OutputFormat::Jsonl && !opt_.summary_only) return &fields_jsonl_;
    return nullptr;
  }

  struct Flow;  // defined in the .cpp

  // A session as a decoding worker of --threads hands it on when it ends (the
  // output stage orders, counts and writes it).
  struct Finished {
    bool shown = false;  // a session of ours that passes --protocol (else counted as "other")
    size_t waiting = 0;  // what it counts toward the bound on waiting sessions
    // Its timeline's spilled part stays in this Analyzer's spill file. Null when not
    // shown. The record made at the closing is handed over, not moved member by member
    // (its strings moved into a notice were 1 % of a --threads run on short connections).
    std::unique_ptr<SessionOut> out;
  };
  // Detached (a --threads worker): sessions are not written when they end but
  // left for take_finished(); the caller writes them in the reader's order.
  void set_detached() { detached_ = true; }
  // Moves a closed session into `into` (straight into the caller's record: a
  // session's strings moved twice were 2 % of a short connection's work); false
  // when there is none.
  bool take_finished(uint64_t id, Finished& into);
  // Moves the timeline entries `s` (a session handed on) holds in memory to the end of
  // its spilled part, readable from other threads. False when the file cannot be written.
  bool spill_rest(SessionOut& s);
  // The timeline of a session handed on and formatted, no longer needed: its storage
  // is kept for the sessions to come (as a written session's is).
  void recycle(std::vector<Entry>& entries) { spill_.file.recycle(entries); }
  // Every session is handed on and none of their spilled timelines will be read
  // again: the spill file's space is given back now (TimelineSpill::discard).
  void discard_spill() { spill_.file.discard(); }
  // Told the id of each connection found not to be ours, when it is: nothing of it
  // is shown from then on, so a --threads worker tells the reader to stop handing
  // on its bytes.
  void set_on_not_ours(std::function<void(uint64_t)> fn) { on_not_ours_ = std::move(fn); }

 private:
  Flow* find(uint64_t id);
  // Detection on the bytes held so far; once it decides, they are fed on.
  void decide(Flow& f, bool final);
  // The connection's stage, protocol and session from a decided detection (at `ts`).
  void settle(Flow& f, const Detection& d, TimeNs ts);
  void dispatch(Flow& f, Side from, Bytes data, TimeNs ts);
  void feed_tls(Flow& f, Side from, Bytes data, TimeNs ts);
  void handoff(Flow& f, Side from, Bytes rest, TimeNs ts);
  void close(Flow& f, CloseReason why, Side by, TimeNs ts);
  void finish_session(Flow& f, CloseReason why, Side by, TimeNs ts);
  void flush();
  bool write(Flow& f);
  bool shown(const Flow& f) const;

  void saw(TimeNs ts) {
    if (opt_.ts_auto && ts % 1000 != 0) opt_.ts_decimals = 9;
  }

  AppOptions& opt_;
  Writer& out_;
  // Before order_: the connections give their held entries back to it when they
  // are destroyed, so it is destroyed after them.
  Spill spill_;
  // Before order_ too: the connections' PduStreams give their share of it back.
  PduBudget own_pdu_budget_;
  PduBudget* pdu_budget_ = &own_pdu_budget_;   // or the run's, shared by the --threads workers
  SessionOrder<std::unique_ptr<Flow>> order_;  // by id = order of first packet
  RunSummary summary_;
  ResponseTimes response_times_;
  FanoutTable fanout_;  // RunSummary::fanout at the end
  FieldsJson fields_jsonl_{opt_.show_secrets, false}, fields_html_{opt_.show_secrets, true};
  MessageRecord record_;  // the PDU being decoded, reused from PDU to PDU
  bool had_warnings_ = false;
  bool detached_ = false;
  std::function<void(uint64_t)> on_not_ours_;
};

}  // namespace quartet::analyzer
