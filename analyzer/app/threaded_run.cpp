#include "threaded_run.hpp"

#include <pthread.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/functional/function_ref.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "event_batch.hpp"
#include "flow_spread.hpp"
#include "output_gather.hpp"
#include "session_order.hpp"
#include "text_relay.hpp"
#include "work_queue.hpp"

namespace quartet::analyzer {
namespace {

// A batch goes to its worker at this many events or arena bytes (beyond two threads,
// each thread's share of them: Router's batch_events_ and arena_bytes_): a lock per
// few hundred events, and a few MiB in flight per worker at most.
constexpr size_t kBatchEvents = 512;
constexpr size_t kBatchBytes = 256u << 10;
// A decoding thread's share of what two threads have each (`bytes` each up to two
// threads), as the threads share one thread's memory budgets: with kBatchBytes of
// copies per batch (up to kWorkerQueueBatches + 2 batches per worker) and a 256 KiB
// spill write buffer each, every thread added 1.2-1.6 MiB of peak memory
// (--threads 16: 45 MiB on a capture one thread reads in 11).
size_t two_threads_share(size_t bytes, size_t threads) { return bytes * 2 / std::max<size_t>(threads, 2); }
// Copied bytes a batch holds before it is sent: the threads' share, at least this.
// Pinned bytes take no memory of the batch's: they still count up to kBatchBytes.
constexpr size_t kMinArenaBytes = 32u << 10;
// Events a batch holds before it is sent: the threads' share of kBatchEvents, at least
// this. On small PDUs a batch is sent at its events before its bytes reach the share:
// at 512 each, six batches per worker held about 0.5 MiB (about 85 KiB each). With
// two threads, batches of 128 events (forced) took 0.94-1.03 of the time of 512-event
// ones (paired medians of 15, the three bench captures): a batch's hand-off is cheap.
constexpr size_t kMinBatchEvents = 128;
constexpr size_t kWorkerQueueBatches = 4;
// The reader, once it found a worker's queue full, goes on only when one batch is
// left in it. Woken at the first free place, it took turns with that worker at
// every batch, on the worker's core (the worker wakes it there, and it preempts the
// worker at once), while the other worker ran dry on the other core: 256 MB of
// small PDUs with two threads on two cores took 0.94-0.98 of the time this way
// (three series of 31-41 pairs), short connections and the mixed capture the same.
constexpr size_t kWorkerQueueLowWater = 1;
// The output stage's list of openings and closings, in the reader's order.
constexpr size_t kControlBatch = 1024;
constexpr size_t kControlQueueBatches = 16;
// The HTML report is written whole by the output stage, so each session the reader is
// ahead by reaches it with its timeline (not as text in a worker's relay): a shorter
// lead. 16 batches held about 17,000 short sessions' timelines, 30 MB.
constexpr size_t kHtmlControlQueueBatches = 2;
// How often the reader looks at the CPU spent, to steer its share of the decoding.
constexpr uint64_t kSteerEvery = 2'000'000;  // ns

using Batch = std::unique_ptr<EventBatch>;

struct Control {
  uint64_t flow = 0;
  bool close = false;
  int8_t ts_decimals = 6;  // close: the output's timestamp decimals at that moment
};
using ControlBatch = std::vector<Control>;

class Worker;

// What a worker says about one closing. A formatted session (text, JSONL) is
// handed on without its timeline: its text is in the worker's output file, what
// the summary needs of the timeline is in `account`, and the timeline itself is
// kept (in the worker's spill file when long) only when the session might have
// to be formatted again. So a session waiting for its turn costs a few hundred
// bytes, as one thread's waiting sessions do with their timelines spilled, plus
// 2-3 bytes per distinct latency of a long one (ResponseTimes::Kind).
struct Notice {
  uint64_t flow = 0;
  Worker* owner = nullptr;  // who made it, and frees it (Worker::give_back)
  bool found = false;       // the worker had the connection open
  Analyzer::Finished done;
  SessionAccount account;
  bool formatted = false;
  // Not a closing: a part of a long session's text, handed on while the worker formats
  // the rest (RelayWriter::format). The parts come first, in order; the closing's
  // notice then holds the rest of the text.
  bool part = false;
  int ts_decimals = 6;
  Worker* from = nullptr;   // whose relay holds `text`
  TextRelay::Span text;     // in from->output's relay
  size_t entries_held = 0;  // timeline entries kept in memory in done.out (from->held_entries)
};
// Held by pointer: a session's record is large and passes through several containers.
using NoticePtr = std::unique_ptr<Notice>;
using Notices = std::vector<NoticePtr>;

NoticePtr unanswered(uint64_t flow, Worker* owner) {
  auto n = std::make_unique<Notice>();
  n->flow = flow;
  n->owner = owner;
  return n;
}

// A worker's writer: each session it formats goes to its TextRelay, from which the
// output stage copies it in its turn (formatting stays on the workers).
//
// A long session's text is handed on in parts as it is formatted (`on_part`), so
// that the output stage, when that session is the next to be written, copies it
// while the rest is formatted (whole, a session longer than the relay's memory went
// through its file, written into the page cache and read back), and knows whose it
// is: the other workers' relays then wait for it rather than move what they hold to
// their files (TextRelay::Patience). The parts alone saved nothing measurable: the
// other worker ran ahead and filled its relay instead.
class RelayWriter final : public ByteSink {
 public:
  using OnPart = absl::FunctionRef<void(TextRelay::Span)>;

  RelayWriter(const AppOptions& opt, size_t memory_limit)
      : relay(memory_limit), part_bytes_(std::max(relay.memory_limit() / 8, TextRelay::kChunk)) {
    writer_ = opt.format == OutputFormat::Jsonl ? make_jsonl_writer(static_cast<ByteSink&>(*this), opt)
                                                : make_text_writer(static_cast<ByteSink&>(*this), opt);
  }

  void write(const char* data, size_t n) override {
    relay.append(data, n);
    if (relay.end() >= part_at_) part();
  }

  Writer& writer() { return *writer_; }
  // The session's text, but for the parts handed to `on_part` (published) on the way.
  TextRelay::Span format(const SessionOut& s, SessionAccounting& account, OnPart on_part) {
    part_from_ = relay.end();
    part_at_ = part_from_ + (part_bytes_ >> kFirstPartShift);
    on_part_ = &on_part;
    struct Done {  // (also when the writer throws)
      RelayWriter& w;
      ~Done() {
        w.part_at_ = UINT64_MAX;
        w.on_part_ = nullptr;
      }
    } done{*this};
    writer_->session(s, [&account](const Entry& e) { account.add(e); });
    const TextRelay::Span span{part_from_, relay.end() - part_from_};
    relay.hold(span);
    return span;
  }
  // Makes what was formatted readable by the output stage.
  void sync() {
    if (!relay.publish()) throw std::runtime_error("--threads: temporary file: write error");
  }

  TextRelay relay;

 private:
  void part() {
    const TextRelay::Span span{part_from_, relay.end() - part_from_};
    relay.hold(span);
    sync();
    part_from_ = relay.end();
    part_at_ = part_from_ + part_bytes_;
    (*on_part_)(span);
  }

  std::unique_ptr<Writer> writer_;
  // Beyond an eighth of the relay's memory: the relay keeps to its memory while the
  // output stage copies the parts of the session it waits for.
  const uint64_t part_bytes_;
  // The first part is smaller: until it comes, the output stage does not know whose
  // session it waits for, and every worker's relay at its limit may wait a little
  // (TextRelay::Patience), this one's too.
  static constexpr unsigned kFirstPartShift = 3;
  const OnPart* on_part_ = nullptr;  // while a session is formatted
  uint64_t part_from_ = 0;           // where its text not handed on yet starts
  uint64_t part_at_ = UINT64_MAX;    // where its next part ends (none while no session is formatted)
};

// One decoding worker: an Analyzer over the connections the reader gives it, on a
// thread of its own (run) or, the reader's own worker, on the reader's (FlowSpread).
class Worker {
 public:
  Worker(const AppOptions& opt, const tls::KeyLog& keys, WorkQueue<Notices>& notices, size_t workers,
         PduBudget& pdu_budget)
      : keys_(keys), opt_(opt), notices_(notices), may_reformat_(opt.ts_auto) {
    opt_.ts_auto = false;  // the reader knows when the whole capture turns to nanoseconds
    opt_.keylog = &keys_;
    formats_ = opt_.format != OutputFormat::Html;  // the HTML report is one document: written by the output stage
    output = std::make_unique<RelayWriter>(opt_, std::max(TextRelay::kMemoryBudget / workers, TextRelay::kMinMemory));
    analyzer_ = std::make_unique<Analyzer>(opt_, output->writer());
    analyzer_->set_detached();
    // The workers share one thread's budget of timeline entries held in memory, and
    // beyond two threads, two threads' spill write buffers and pools.
    spill_budget_ = std::max(Analyzer::kSpillBudget / workers, Analyzer::kSpillMinEntries);
    analyzer_->set_spill_limits(spill_budget_, Analyzer::kSpillMinEntries,
                                two_threads_share(TimelineSpill::kWriteChunk, workers));
    analyzer_->set_spill_pools(two_threads_share(TimelineSpill::kPooledTexts, workers),
                               two_threads_share(TimelineSpill::kPooledTimelines, workers));
    analyzer_->set_on_not_ours([this](uint64_t id) { not_ours_found_.push_back(id); });
    analyzer_->share_pdu_budget(pdu_budget);  // one thread's, for all (PduBudget)
  }

  WorkQueue<Batch> in{kWorkerQueueBatches, kWorkerQueueLowWater};
  WorkQueue<Batch> spare{SIZE_MAX};  // emptied batches back to the reader
  std::thread thread;
  std::exception_ptr error;
  // What this worker formatted, copied out by the output stage, which releases each
  // session there once written; `written` counts those sessions. (Timelines handed
  // on stay in its Analyzer's spill file.)
  std::unique_ptr<RelayWriter> output;
  std::atomic<uint64_t> written{0};
  std::atomic<size_t> held_entries{0};  // timeline entries of handed-on sessions in memory
  // Bumped by the output stage at each session written and when it is done, so that
  // the worker, its input over, can wait (atomic wait) until its relay is all copied.
  std::atomic<uint32_t> output_moves{0};
  std::atomic<bool> output_done{false};
  // Notices the output stage is done with come back here to be freed by the thread
  // that made them: freed by the output stage, their blocks would go back to this
  // worker's malloc arena under its lock, against this worker's own allocations.
  WorkQueue<Notices> returned{SIZE_MAX};
  Notices returning;  // the output stage's: on their way back, sent a batch at a time
  static constexpr size_t kReturnBatch = 256;

  // Connections this worker found not to be ours, for the reader (Router::learn),
  // which then stops handing on their bytes: the worker would drop them anyway.
  std::mutex not_ours_mu;
  std::vector<uint64_t> not_ours;  // under not_ours_mu
  std::atomic<bool> has_not_ours{false};

  // The output stage is done with a session this worker handed on, without taking
  // its text from the relay (a text it took is released as the gather writes it).
  void release(const Notice& n) {
    if (n.formatted) output->relay.release(n.text);
    copied(n.entries_held);
  }
  // A session's text was written out (by an OutputGather's flush: until then its
  // relay, which the worker clears once every session was copied, still holds it).
  void copied(uint64_t entries_held) {
    held_entries.fetch_sub(entries_held, std::memory_order_relaxed);
    written.fetch_add(1, std::memory_order_release);
    moved();
  }
  // The output stage writes nothing more (its end, or its failure).
  void output_finished() {
    output_done.store(true, std::memory_order_release);
    moved();
  }

  // No timestamp of the run can need nanoseconds (the inputs are microsecond pcaps):
  // a formatted session never is formatted again, so its timeline is not kept.
  void never_reformat() { may_reformat_.store(false, std::memory_order_relaxed); }

  // A decoding thread's life.
  void run() {
    while (std::optional<Batch> b = in.pop()) {
      replay(**b);
      (*b)->clear();
      spare.push(std::move(*b));
    }
    give_back_files();
  }
  // The reader's own worker (FlowSpread) is not a thread: the reader replays its
  // batches itself, and calls this once its input is over.
  void finish_on_reader() { give_back_files(); }

  void replay(const EventBatch& b) {
    // Their timelines' storage serves the sessions to come (as one thread's written sessions' does).
    while (std::optional<Notices> back = returned.try_pop())
      for (NoticePtr& n : *back) {
        if (n->done.out) analyzer_->recycle(n->done.out->entries);
        to_free_.push_back(std::move(n));
      }
    // More came back than were made since (a burst): the surplus goes now.
    while (to_free_.size() > kToFreeMax) to_free_.pop_back();
    Notices done;
    for (const StreamEvent& e : b.events) {
      if (error) {  // after a failure only closings are answered, so that the output stage is not kept waiting
        if (e.kind == StreamEvent::Kind::Close) done.push_back(unanswered(e.flow, this));
        continue;
      }
      try {
        replay(b, e, done);
      } catch (...) {
        error = std::current_exception();
        if (e.kind == StreamEvent::Kind::Close) done.push_back(unanswered(e.flow, this));
      }
      // Long sessions are handed on as they come, not a batch at a time: the
      // output stage copies them meanwhile, and the relay keeps to its memory. One
      // handed on in parts at once: the output stage may be writing it, and waits
      // for its end to write the next.
      if (!done.empty() && (parted_ || output->relay.end() - answered_at_ >= output->relay.memory_limit() / 4))
        answer(done);
    }
    if (!not_ours_found_.empty()) {
      std::lock_guard lock(not_ours_mu);
      not_ours.insert(not_ours.end(), not_ours_found_.begin(), not_ours_found_.end());
      has_not_ours.store(true, std::memory_order_release);
      not_ours_found_.clear();
    }
    if (!done.empty()) answer(done);
  }

 private:
  void replay(const EventBatch& b, const StreamEvent& e, Notices& done) {
    Analyzer& a = *analyzer_;
    switch (e.kind) {
      case StreamEvent::Kind::Open: a.on_open(b.opens[e.aux]); break;
      case StreamEvent::Kind::Data: a.on_data(e.flow, e.side, b.bytes(e), e.ts); break;
      case StreamEvent::Kind::Gap: a.on_gap(e.flow, e.side, e.aux, e.ts); break;
      case StreamEvent::Kind::FlowWarning: a.on_flow_warning(e.flow, e.side, b.text(e), e.ts); break;
      case StreamEvent::Kind::Fin: a.on_fin(e.flow, e.side, e.ts); break;
      case StreamEvent::Kind::ConnState: a.on_conn_state(e.flow, b.states[e.aux]); break;
      case StreamEvent::Kind::Secrets: keys_.add_text(b.text(e)); break;
      case StreamEvent::Kind::Close: {
        // One notice back from the output stage is freed per notice made, just before
        // (see to_free_): the closing's record and notice reuse its blocks.
        if (!to_free_.empty()) to_free_.pop_back();
        opt_.ts_decimals = e.ts_decimals;
        a.on_close(e.flow, e.why, e.side, e.ts);
        NoticePtr n = unanswered(e.flow, this);
        if (a.take_finished(e.flow, n->done)) {
          n->found = true;
          if (n->done.shown) hand_on(*n, e.ts_decimals);
        }
        done.push_back(std::move(n));
        break;
      }
    }
  }

  // The closings replayed so far, to the output stage, with their sessions' text.
  void answer(Notices& done) {
    // Also after a failure: sessions handed on before it are written as usual.
    try {
      output->sync();
    } catch (...) {
      if (!error) error = std::current_exception();
    }
    notices_.push(std::move(done));
    done = Notices();
    answered_at_ = output->relay.end();
    parted_ = false;
  }

  // The output stage has copied out every session this worker handed on.
  bool all_copied() const { return written.load(std::memory_order_acquire) == handed_; }
  void moved() {
    output_moves.fetch_add(1, std::memory_order_release);
    output_moves.notify_all();
  }

  // The input is over: every session this worker will hand on has been. The space
  // of its spill file and relay is given back here, beside the other threads' work,
  // rather than by the main thread when the files are closed at exit: on a capture
  // whose sessions all end with it, that was a tenth of a --threads 2 run, on one core.
  void give_back_files() {
    // Formatted here, their timelines are never read again, unless a nanosecond
    // timestamp may still make the output stage format one again (HTML: it formats them all).
    if (formats_ && !may_reformat_.load(std::memory_order_relaxed)) analyzer_->discard_spill();
    if (!formats_) return;
    // The relay, once the output stage has copied every session from it.
    for (;;) {
      const uint32_t seen = output_moves.load(std::memory_order_acquire);
      if (all_copied()) {
        output->relay.clear();
        return;
      }
      if (output_done.load(std::memory_order_acquire)) return;  // some are left for the end (finish)
      output_moves.wait(seen, std::memory_order_acquire);
    }
  }

  // A shown session: formatted to the relay, its timeline kept only if needed.
  void hand_on(Notice& n, int ts_decimals) {
    SessionOut& out = *n.done.out;
    if (!formats_) {  // HTML: the output stage writes the whole session
      n.account = account_of(out);
      return;
    }
    ++handed_;
    n.from = this;
    SessionAccounting account;  // in the formatting pass over the timeline
    n.text = output->format(out, account, [this, &n, ts_decimals](TextRelay::Span part) {
      NoticePtr p = unanswered(n.flow, this);
      p->part = p->formatted = true;
      p->from = this;
      p->text = part;
      p->ts_decimals = ts_decimals;
      Notices one;
      one.push_back(std::move(p));
      notices_.push(std::move(one));
      parted_ = true;
    });
    n.account = account.take(out);
    n.formatted = true;
    n.ts_decimals = ts_decimals;
    // Written after the capture turns to nanoseconds, it is formatted again (rare);
    // until then its timeline waits: in memory when short and within the worker's
    // budget (as one thread's spill budget), else in the spill file.
    if (!may_reformat_.load(std::memory_order_relaxed) || ts_decimals == 9) {
      analyzer_->recycle(out.entries);
      out.spilled = {};
      return;
    }
    const size_t entries = out.entries.size();
    const bool in_memory =
        entries < Analyzer::kSpillMinEntries && held_entries.load(std::memory_order_relaxed) + entries <= spill_budget_;
    if (!in_memory && analyzer_->spill_rest(out)) return;
    held_entries.fetch_add(entries, std::memory_order_relaxed);
    n.entries_held = entries;
  }

  tls::KeyLog keys_;
  AppOptions opt_;
  WorkQueue<Notices>& notices_;
  std::unique_ptr<Analyzer> analyzer_;
  bool formats_ = true;
  // A session may have to be formatted again (its timeline kept until it is written):
  // while a nanosecond timestamp can still turn the output to 9 decimals. Set by the
  // reader before its first batch (the queue orders it before every batch's handling).
  std::atomic<bool> may_reformat_;
  uint64_t handed_ = 0;                   // sessions handed on with file offsets
  uint64_t answered_at_ = 0;              // the relay's end at the last answer()
  bool parted_ = false;                   // a session was handed on in parts since
  std::vector<uint64_t> not_ours_found_;  // in the batch being replayed
  size_t spill_budget_ = Analyzer::kSpillBudget;
  // Notices back from the output stage (`returned`), freed one at each closing, as a
  // new one is made. Freed as they came, 256 at once, they overflowed malloc's
  // per-thread cache (7 blocks of a size), and the notices and session records made
  // after them took the arena's slow path: with two threads on short connections,
  // 1.2 % of the instructions (callgrind).
  static constexpr size_t kToFreeMax = kReturnBatch;  // at most one batch held
  Notices to_free_;
};

// The reader's sink: records each connection's events for its worker (and replays
// those of its own worker's connections), and the openings and closings for the
// output stage.
class Router final : public StreamSink {
 public:
  // `workers`: the decoding threads' and, last, the reader's own (FlowSpread).
  Router(const AppOptions& opt, std::vector<std::unique_ptr<Worker>>& workers, WorkQueue<ControlBatch>& control)
      : opt_(opt),
        workers_(workers),
        control_(control),
        batches_(workers.size()),
        spread_(workers.size() - 1, std::thread::hardware_concurrency()),
        arena_bytes_(std::max(two_threads_share(kBatchBytes, workers.size() - 1), kMinArenaBytes)),
        batch_events_(std::max(two_threads_share(kBatchEvents, workers.size() - 1), kMinBatchEvents)),
        ts_decimals_(opt.ts_decimals) {
    for (Batch& b : batches_) b = std::make_unique<EventBatch>();
  }

  FlowSpread& spread() { return spread_; }
  // A thread that does its part of the work beside the reader (FlowSpread).
  void watch(std::thread& t) {
    clockid_t c;
    if (pthread_getcpuclockid(t.native_handle(), &c) == 0) others_.push_back(c);
  }

  void on_open(const FlowInfo& flow) override {
    saw(flow.first_ts);
    if (spread_.starts_epoch(flow.id)) steer();
    spread_.open(flow.id);
    if (!in_shard(flow, opt_.shard)) {  // another shard's: never decoded
      other_shard_.insert(flow.id);
      return;
    }
    const size_t w = worker_of(flow.id);
    EventBatch& b = *batches_[w];
    b.add(StreamEvent::Kind::Open, flow.id, flow.first_ts).aux = b.opens.size();
    b.opens.push_back(flow);
    control({flow.id, false, 0});
    filled(w);
  }
  bool on_data(uint64_t flow, Side from, Bytes data, TimeNs ts) override {
    saw(ts);
    // Bytes its worker would drop are not copied, nor handed over to this sink any
    // more (a timestamp that may matter still comes: saw, above).
    if (skipped(flow)) return false;
    if (!not_ours_.empty() && not_ours_.contains(flow)) return false;
    if (data.empty()) return true;
    // A large segment read ahead stays where it was read (its chunk pinned by the
    // batch): on captures of large messages, copying every byte into the batches
    // was a tenth of this thread's time.
    net::ReadAhead* ahead = net::ReadAhead::worth_keeping(data.data(), data.size());
    record(event(StreamEvent::Kind::Data, flow, from, ts), data.data(), data.size(), ahead);
    return true;
  }
  void on_gap(uint64_t flow, Side from, uint64_t missing, TimeNs ts) override {
    StreamEvent e = event(StreamEvent::Kind::Gap, flow, from, ts);
    e.aux = missing;
    record(e);
  }
  void on_flow_warning(uint64_t flow, Side from, std::string_view text, TimeNs ts) override {
    record(event(StreamEvent::Kind::FlowWarning, flow, from, ts), text.data(), text.size());
  }
  void on_fin(uint64_t flow, Side from, TimeNs ts) override { record(event(StreamEvent::Kind::Fin, flow, from, ts)); }
  void on_conn_state(uint64_t flow, const ConnSummary& state) override {
    if (skipped(flow)) return;
    const size_t w = worker_of(flow);
    EventBatch& b = *batches_[w];
    b.add(StreamEvent::Kind::ConnState, flow, 0).aux = b.states.size();
    b.states.push_back(state);
    filled(w);
  }
  void on_close(uint64_t flow, CloseReason why, Side by, TimeNs ts) override {
    if (!not_ours_.empty()) not_ours_.erase(flow);
    if (skipped(flow)) {
      other_shard_.erase(flow);
      return;
    }
    const size_t w = worker_of(flow);
    StreamEvent& e = batches_[w]->add(StreamEvent::Kind::Close, flow, ts);
    e.why = why;
    e.side = by;
    e.ts_decimals = static_cast<int8_t>(ts_decimals_);
    control({flow, true, static_cast<int8_t>(ts_decimals_)});
    filled(w);
  }
  void on_capture_warning(std::string_view text) override { warnings_.emplace_back(text); }

  // Secrets of a pcapng Decryption Secrets Block: every worker learns them at this
  // point of its event stream, as the single Analyzer does at this point of the capture.
  void secrets(std::string_view text) {
    for (size_t w = 0; w < batches_.size(); ++w) {
      EventBatch& b = *batches_[w];
      b.copy(b.add(StreamEvent::Kind::Secrets, 0, 0), text.data(), text.size());
      filled(w);
    }
  }

  // End of input: everything recorded goes out, then the queues close.
  void end() {
    flush_control();
    for (auto& w : workers_) w->in.close();
    control_.close();
    workers_[spread_.reader()]->finish_on_reader();
  }

  // A live input waits for data (net::LiveInput::on_idle): what the reader holds goes
  // to the workers now, and an empty batch of openings and closings tells the output
  // stage to write out what it has once it is through the ones before.
  void idle() {
    flush_control();
    control_.push(ControlBatch{});
  }

  int ts_decimals() const { return ts_decimals_; }
  std::vector<std::string>& warnings() { return warnings_; }

 private:
  size_t worker_of(uint64_t flow) const { return spread_.worker_of(flow); }
  static StreamEvent event(StreamEvent::Kind kind, uint64_t flow, Side side, TimeNs ts) {
    StreamEvent e;
    e.kind = kind;
    e.flow = flow;
    e.side = side;
    e.ts = ts;
    return e;
  }
  // One event for the connection's worker, with a copy of `n` bytes (or, when they
  // lie in the chunk `ahead` reads now and it can be pinned, with the chunk pinned).
  void record(const StreamEvent& e, const void* bytes = nullptr, size_t n = 0, net::ReadAhead* ahead = nullptr) {
    if (skipped(e.flow)) return;
    const size_t w = worker_of(e.flow);
    EventBatch& b = *batches_[w];
    StreamEvent& added = b.events.emplace_back(e);
    if (n && !(ahead && b.keep(added, *ahead, static_cast<const std::byte*>(bytes), n))) b.copy(added, bytes, n);
    filled(w);
  }
  // Every few milliseconds, as connections open: is the reader's side (this thread
  // and the read-ahead's) doing its part of the CPU? (FlowSpread)
  void steer() {
    const uint64_t now = clock_ns(CLOCK_MONOTONIC);
    if (steered_at_ && now - steered_at_ < kSteerEvery) return;
    uint64_t others = 0;  // read before the process's clock, which counts them too
    for (clockid_t c : others_) others += clock_ns(c);
    const uint64_t process = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    const uint64_t reader_side = process - std::min(process, others);
    if (steered_at_) spread_.steer(reader_side - std::min(reader_side, reader_side_), process - process_);
    steered_at_ = now;
    reader_side_ = reader_side;
    process_ = process;
  }
  static uint64_t clock_ns(clockid_t c) {
    timespec t{};
    if (clock_gettime(c, &t) != 0) return 0;  // a thread that has ended
    return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(t.tv_nsec);
  }
  bool skipped(uint64_t flow) const { return !other_shard_.empty() && other_shard_.contains(flow); }
  void saw(TimeNs ts) {
    if (opt_.ts_auto && ts % 1000 != 0) ts_decimals_ = 9;
  }

  void filled(size_t w) {
    const EventBatch& b = *batches_[w];
    if (b.events.size() >= batch_events_ || b.arena.size() >= arena_bytes_ || b.bytes_held() >= kBatchBytes) send(w);
  }
  void send(size_t w) {
    if (batches_[w]->events.empty()) return;
    Worker& worker = *workers_[w];
    if (w == spread_.reader()) {  // the reader's own connections: decoded here, now
      worker.replay(*batches_[w]);
      batches_[w]->clear();
      learn(worker);
      return;
    }
    Batch next = worker.spare.try_pop().value_or(nullptr);
    if (!next) next = std::make_unique<EventBatch>();
    worker.in.push(std::exchange(batches_[w], std::move(next)));
    learn(worker);
  }
  // The connections a worker has found not to be ours since the last time.
  void learn(Worker& w) {
    if (!w.has_not_ours.load(std::memory_order_acquire)) return;
    std::vector<uint64_t> ids;
    {
      std::lock_guard lock(w.not_ours_mu);
      ids.swap(w.not_ours);
      w.has_not_ours.store(false, std::memory_order_relaxed);
    }
    not_ours_.insert(ids.begin(), ids.end());
  }
  void control(Control c) {
    pending_.push_back(c);
    if (pending_.size() >= kControlBatch) flush_control();
  }
  // The events behind the openings and closings go to the workers first, so that
  // the output stage never waits for a closing a worker cannot see yet.
  void flush_control() {
    for (size_t w = 0; w < batches_.size(); ++w) send(w);
    if (pending_.empty()) return;
    control_.push(std::move(pending_));
    pending_ = {};
    pending_.reserve(kControlBatch);
  }

  const AppOptions& opt_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  WorkQueue<ControlBatch>& control_;
  std::vector<Batch> batches_;
  FlowSpread spread_;
  const size_t arena_bytes_;       // copied bytes a batch holds before it is sent
  const size_t batch_events_;      // events a batch holds before it is sent
  std::vector<clockid_t> others_;  // the decoding threads' and the output stage's CPU clocks
  uint64_t steered_at_ = 0, reader_side_ = 0, process_ = 0;
  ControlBatch pending_;
  absl::flat_hash_set<uint64_t> other_shard_;
  absl::flat_hash_set<uint64_t> not_ours_;  // open connections a worker found not to be ours
  std::vector<std::string> warnings_;
  int ts_decimals_;
};

}  // namespace

struct ThreadedAnalyzer::Impl {
  Impl(AppOptions& o, Writer& w, std::FILE* f) : opt(o), writer(w), out(f) {
    for (const Protocol* p : all_protocols()) summary.protocols.push_back({p});
  }

  AppOptions& opt;
  Writer& writer;
  std::FILE* out;
  PduBudget pdu_budget;          // before the workers, whose connections give it back
  TextRelay::Patience patience;  // the decoding threads' relays'
  std::vector<std::unique_ptr<Worker>> workers;
  WorkQueue<ControlBatch> control{opt.format == OutputFormat::Html ? kHtmlControlQueueBatches : kControlQueueBatches};
  // Not bounded by count, on purpose. Bounding it (or `arrived`, into which the output
  // stage drains it while it waits for one closing) could deadlock: the output stage,
  // waiting for session A's answer from worker 1, would stop taking answers; worker 2
  // then blocks on the full queue, worker 1 blocks too once it has answered anything
  // else, and A's answer never comes. No bound is needed: a worker answers only
  // closings the reader has recorded, and the reader stops kControlQueueBatches
  // batches of openings and closings ahead of the output stage; each answer is small
  // (Notice: no timeline, its text in the worker's file), so at most ~17,000 small
  // records wait here, besides those SessionOrder holds for first-packet order
  // (bounded by waiting entries, as in one thread). The only blocking queues are the
  // reader's, which the workers and the output stage always drain.
  WorkQueue<Notices> notices{SIZE_MAX};
  absl::flat_hash_map<uint64_t, NoticePtr> arrived;  // closings the output stage has not reached yet
  // Parts of long sessions' texts (Notice::part), until their sessions are written.
  struct Parts {
    Worker* from = nullptr;
    int ts_decimals = 6;
    std::vector<TextRelay::Span> spans;
    size_t taken = 0;  // written from the front while the rest was formatted
  };
  absl::flat_hash_map<uint64_t, Parts> parts;
  SessionOrder<NoticePtr> order{Analyzer::kMaxWaitingEntries};
  RunSummary summary;
  ResponseTimes response_times;
  FanoutTable fanout;
  int final_ts_decimals = 6;
  std::optional<std::pair<unsigned, size_t>> reader_share;  // for tests (FlowSpread::fix_share)
  OutputGather gather{out};                                 // sessions' texts written from the relays
  std::vector<std::pair<Worker*, uint64_t>> gathered;       // their workers, told once written (Worker::copied)

  void flush_gather() {
    gather.flush();
    for (const auto& [w, held] : gathered) w->copied(held);
    gathered.clear();
  }

  // The output stage: the reader's openings and closings, in its order.
  void merge() {
    while (std::optional<ControlBatch> batch = control.pop()) {
      if (batch->empty()) {  // the reader waits for a live input (Router::idle)
        flush_gather();
        std::fflush(out);
        continue;
      }
      for (const Control& c : *batch) {
        if (!c.close) {
          order.open(c.flow);
          ++summary.tcp_flows;
          continue;
        }
        NoticePtr n = wait_for(c);
        NoticePtr* slot = n->found ? order.find_open(c.flow) : nullptr;
        if (!slot) {  // as Analyzer::on_close for a connection it does not have open
          release_parts(c.flow);
          if (n->from) n->from->release(*n);
          give_back(std::move(n));
          continue;
        }
        const size_t waiting = n->done.waiting;
        *slot = std::move(n);
        order.close(c.flow, waiting);
        opt.ts_decimals = c.ts_decimals;
        flush();
      }
    }
  }

  // The answer to closing `c`. A session that is written as soon as it closes (the
  // first open one) is written meanwhile as its parts come, as one thread writes it
  // while it formats it.
  NoticePtr wait_for(const Control& c) {
    const bool now = order.first_open(c.flow);
    if (now)
      patience.streamed.store(TextRelay::Patience::kNotKnown, std::memory_order_relaxed);  // (until a part comes)
    for (;;) {
      // (With the decimals of its closing, as it will be written: the check is for form's sake.)
      if (Parts* p = now ? parts_of(c.flow) : nullptr; p && p->ts_decimals == c.ts_decimals) {
        patience.streaming(&p->from->output->relay);
        take_parts(*p);
      }
      if (auto it = arrived.find(c.flow); it != arrived.end()) {
        NoticePtr n = std::move(it->second);
        arrived.erase(it);
        patience.streaming(nullptr);
        return n;
      }
      std::optional<Notices> more = notices.pop();
      if (!more) {
        patience.streaming(nullptr);
        throw std::logic_error("--threads: a decoding worker did not answer a closing");
      }
      for (NoticePtr& n : *more) {
        if (!n->part) {
          arrived.insert_or_assign(n->flow, std::move(n));
          continue;
        }
        Parts& p = parts[n->flow];
        p.from = n->from;
        p.ts_decimals = n->ts_decimals;
        p.spans.push_back(n->text);
        give_back(std::move(n));
      }
    }
  }

  // `flow`'s parts, if any came (most sessions have none: then no look-up).
  Parts* parts_of(uint64_t flow) {
    if (parts.empty()) return nullptr;
    auto it = parts.find(flow);
    return it == parts.end() ? nullptr : &it->second;
  }
  // Copies `s` from `from`'s relay into the gather (which the caller flushes when full).
  void take_text(Worker& from, TextRelay::Span s) {
    if (!from.output->relay.take(s, gather)) throw std::runtime_error("--threads: temporary file: read error");
  }
  // Writes the parts of a session's text not written yet.
  void take_parts(Parts& p) {
    for (; p.taken < p.spans.size(); ++p.taken) {
      take_text(*p.from, p.spans[p.taken]);
      if (gather.full()) flush_gather();
    }
  }
  // `flow`'s parts are not written (its session is not, or is formatted again). None
  // was: only the session written at once takes them early, with its own decimals.
  void release_parts(uint64_t flow) {
    Parts* p = parts_of(flow);
    if (!p) return;
    if (p->taken) throw std::logic_error("--threads: a session's text written in part");
    for (const TextRelay::Span& s : p->spans) p->from->output->relay.release(s);
    parts.erase(flow);
  }

  void flush() {
    summary.written_early += order.flush([this](NoticePtr& n) {
      const bool written = write(*n);
      give_back(std::move(n));
      return written;
    });
  }

  // A notice the output stage is done with, back to the worker that made it.
  static void give_back(NoticePtr n) {
    Worker* w = n->owner;
    w->returning.push_back(std::move(n));
    if (w->returning.size() < Worker::kReturnBatch) return;
    w->returned.push(std::move(w->returning));
    w->returning = Notices();
    w->returning.reserve(Worker::kReturnBatch);
  }

  bool write(Notice& n) {
    if (!n.done.shown) {
      ++summary.other_flows;
      return false;
    }
    account_session(*n.done.out, n.account, summary, response_times, fanout);
    // Counted: the latency lists go now, not with the notice (notices go back to their
    // worker 256 at a time, and a long session's list is tens of kilobytes). Only a long
    // session's list is a block of the worker's arena freed here; a short one's is held in place.
    for (ResponseTimes::Kind& k : n.account.requests) decltype(k.latencies)().swap(k.latencies);
    // Formatted with the decimals of the session's closing; a nanosecond timestamp
    // seen while it waited for an earlier session changes them (rare): write it again.
    if (n.formatted && n.ts_decimals == opt.ts_decimals) {
      if (Parts* p = parts_of(n.flow)) {
        take_parts(*p);  // (formatted with the same decimals as the rest)
        parts.erase(n.flow);
      }
      take_text(*n.from, n.text);
      gathered.emplace_back(n.from, n.entries_held);
      if (gather.full()) flush_gather();
      return true;
    }
    release_parts(n.flow);
    flush_gather();               // (the writer writes through stdio)
    writer.session(*n.done.out);  // streams the spilled part from the worker's file
    if (n.from) n.from->release(n);
    return true;
  }
};

ThreadedAnalyzer::ThreadedAnalyzer(AppOptions& opt, Writer& writer, std::FILE* out, unsigned workers,
                                   const tls::KeyLog& keys)
    : impl_(std::make_unique<Impl>(opt, writer, out)) {
  // The decoding threads, and the reader's own worker (FlowSpread). The threads share
  // the memory budgets one thread has; the reader's worker has a thread's share too
  // (with a third of the budgets each, the two threads' sessions spilled more: 1,000,000
  // connections open at the end of the capture took 1.35x the time).
  const unsigned threads = std::max(1u, workers);
  for (unsigned i = 0; i <= threads; ++i)
    impl_->workers.push_back(std::make_unique<Worker>(opt, keys, impl_->notices, threads, impl_->pdu_budget));
  // The decoding threads' relays (not the reader's own worker's: the reader never waits).
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores && threads + 2 > cores)
    impl_->patience.max_waiters = threads + 2 - cores;  // with the reader and the output stage
  for (unsigned i = 0; i < threads; ++i) impl_->workers[i]->output->relay.set_patience(&impl_->patience);
}

ThreadedAnalyzer::~ThreadedAnalyzer() = default;

RunSummary& ThreadedAnalyzer::summary() { return impl_->summary; }

void ThreadedAnalyzer::set_max_waiting_entries(size_t n) { impl_->order.set_max_waiting(n); }

void ThreadedAnalyzer::fix_reader_share(unsigned share, size_t narrow) { impl_->reader_share = {share, narrow}; }

net::CaptureStats ThreadedAnalyzer::run(net::Options options) {
  Impl& m = *impl_;
  Router router(m.opt, m.workers, m.control);
  if (m.reader_share) router.spread().fix_share(m.reader_share->first, m.reader_share->second);
  options.on_secrets = [&router](std::string_view text) { router.secrets(text); };
  // This thread (records, IP, TCP, the batches) is the bound where messages are
  // large: the file's reads go to a thread of their own.
  options.read_ahead = true;
  options.live.on_idle = [&router] { router.idle(); };
  options.on_microseconds_only = [&m] {
    for (auto& w : m.workers) w->never_reformat();
  };
  // Named for top -H, perf and gdb. The last worker is the reader's own.
  for (size_t i = 0; i + 1 < m.workers.size(); ++i) {
    m.workers[i]->thread = std::thread([w = m.workers[i].get()] {
      pthread_setname_np(pthread_self(), "quartet-decode");
      w->run();
    });
    router.watch(m.workers[i]->thread);
  }
  net::CaptureStats stats;
  std::exception_ptr reader_error, merge_error;
  // The reader runs on the calling thread, the output stage on a new one: the
  // reader makes and frees most of the run's blocks (connections, reassembly), and
  // the main thread's heap grows in large steps where a new thread's grows a page
  // at a time, a system call each.
  std::thread output([&] {
    pthread_setname_np(pthread_self(), "quartet-output");
    try {
      m.merge();
    } catch (...) {
      merge_error = std::current_exception();
      while (m.control.pop()) {  // let the reader finish
      }
    }
    m.flush_gather();
    for (auto& w : m.workers) w->output_finished();
  });
  router.watch(output);
  try {
    stats = net::run(options, router);
  } catch (...) {
    reader_error = std::current_exception();
  }
  router.end();
  output.join();
  for (auto& w : m.workers)
    if (w->thread.joinable()) w->thread.join();
  m.final_ts_decimals = router.ts_decimals();
  if (reader_error) std::rethrow_exception(reader_error);
  for (auto& w : m.workers)  // before the output stage's: a worker's failure may be why it failed
    if (w->error) std::rethrow_exception(w->error);
  if (merge_error) std::rethrow_exception(merge_error);
  for (const std::string& text : router.warnings()) Analyzer::add_capture_warning(m.summary, text);
  return stats;
}

void ThreadedAnalyzer::finish() {
  Impl& m = *impl_;
  m.opt.ts_decimals = m.final_ts_decimals;
  m.flush();
  m.flush_gather();
  finish_accounts(m.summary, m.response_times, m.fanout);
  m.writer.finish(m.summary);
}

}  // namespace quartet::analyzer
