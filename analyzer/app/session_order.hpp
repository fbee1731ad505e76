// The order in which finished sessions are written: by first packet (flow id), each
// as soon as every session that started before it has finished, so memory follows
// the open sessions, not the file. Finished sessions waiting behind a long-lived
// earlier one are bounded: beyond `max_waiting` timeline entries they are all
// written at once, out of order (RunSummary::written_early).
//
// One piece of code for both runs: the single-threaded Analyzer keeps its flows in
// it, and with --threads the output stage replays the same open/close sequence
// (in the reader's order) over the sessions the decoding workers finished, so both
// write the same sessions at the same moments, in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

#include "fanout.hpp"
#include "output.hpp"
#include "response_times.hpp"

namespace quartet::analyzer {

template <typename T>
class SessionOrder {
 public:
  explicit SessionOrder(size_t max_waiting) : max_waiting_(max_waiting) {}

  // Sessions open in increasing id order (first-packet order), so the slots are a
  // deque sorted by id: 24 bytes per open session, no tree node each (a million idle
  // connections held 80 MB of std::map nodes per SessionOrder).
  T& open(uint64_t id) { return insert(id).item; }
  // The item of a session not closed yet; nullptr when there is none.
  T* find_open(uint64_t id) {
    Slot* s = slot(id);
    return s && !s->closed ? &s->item : nullptr;
  }
  T* find(uint64_t id) {
    Slot* s = slot(id);
    return s ? &s->item : nullptr;
  }
  // Whether `id` is the first session still open in first-packet order: closed now,
  // it is written at once (flush), before any other.
  bool first_open(uint64_t id) {
    if (!slots_.empty() && slots_.front().gone) drop_gone_front();
    return !slots_.empty() && slots_.front().id == id && !slots_.front().closed;
  }
  // The session ended; `waiting` is what it counts toward the bound while it waits
  // (its timeline entries + 1; 0 for a connection that is not shown).
  void close(uint64_t id, size_t waiting) {
    Slot* s = slot(id);
    if (!s) s = &insert(id);  // (not expected: a session closes after it opened)
    s->closed = true;
    s->waiting = static_cast<uint32_t>(std::min<size_t>(waiting, UINT32_MAX));
    waiting_ += s->waiting;
  }
  // Removes a closed session without writing it (a decoding worker hands it on).
  std::optional<T> take_closed(uint64_t id) {
    Slot* s = slot(id);
    if (!s || !s->closed) return std::nullopt;
    waiting_ -= std::min<size_t>(waiting_, s->waiting);
    std::optional<T> item(std::move(s->item));
    remove(*s);
    return item;
  }

  // Writes what may be written now: `write(T&)` returns whether it wrote a
  // session (false for another connection). Returns how many sessions were
  // written early, out of first-packet order.
  template <typename Write>
  uint64_t flush(Write&& write) {
    drop_gone_front();
    while (!slots_.empty() && slots_.front().closed) {
      Slot& s = slots_.front();
      waiting_ -= std::min<size_t>(waiting_, s.waiting);
      write(s.item);
      remove(s);
    }
    if (waiting_ <= max_waiting_) return 0;
    uint64_t early = 0;
    for (Slot& s : slots_) {
      if (s.gone || !s.closed) continue;
      early += write(s.item) ? 1 : 0;
      s.item = T{};
      s.gone = true;
      ++gone_;
    }
    compact();
    waiting_ = 0;
    return early;
  }

  // Every session not closed yet, in first-packet order.
  template <typename Fn>
  void for_each_open(Fn&& fn) {
    for (Slot& s : slots_)
      if (!s.gone && !s.closed) fn(s.item);
  }
  void set_max_waiting(size_t n) { max_waiting_ = n; }

 private:
  struct Slot {
    explicit Slot(uint64_t i) : id(i) {}
    uint64_t id;
    T item{};
    uint32_t waiting = 0;  // (a session's timeline entries + 1: at most kMaxSessionEntries + 2)
    bool closed = false;
    bool gone = false;  // removed from the middle; dropped when it reaches the front or at compaction
  };
  Slot& insert(uint64_t id) {
    if (slots_.empty() || slots_.back().id < id) return slots_.emplace_back(id);
    auto it = lower(id);
    if (it != slots_.end() && it->id == id) {  // (not expected: ids are unique)
      if (it->gone) {
        it->gone = false;
        --gone_;
      }
      return *it;
    }
    last_ = nullptr;                 // (an insertion in the middle moves slots)
    return *slots_.emplace(it, id);  // out of order (not expected): still correct
  }
  using Iter = typename std::deque<Slot>::iterator;
  Iter lower(uint64_t id) { return lower_in(id, slots_.begin(), slots_.end()); }
  // Called for every delivered segment. Ids are unique and sorted, so a session's
  // slot is near where its id falls between the front's and the back's: one
  // thread's ids are dense (every connection opens a slot, and removed ones stay as
  // marks until compacted), so there it is exactly that place; a decoding worker's
  // are a hash's share of them, so the place is close and a search outward from it
  // (steps of 1, 2, 4...) brackets the slot in a few probes.
  Slot* slot(uint64_t id) {
    // A connection's segments come in runs (bulk transfers, large messages): the
    // slot found last is asked again first.
    if (last_ && last_->id == id) return last_->gone ? nullptr : last_;
    if (slots_.empty() || id < slots_.front().id || id > slots_.back().id) return nullptr;
    const uint64_t span = slots_.back().id - slots_.front().id;
    const size_t last = slots_.size() - 1;
    const size_t guess = span == last ? static_cast<size_t>(id - slots_.front().id)
                                      : static_cast<size_t>(static_cast<double>(id - slots_.front().id) /
                                                            static_cast<double>(span) * static_cast<double>(last));
    Iter it = slots_.begin() + static_cast<std::ptrdiff_t>(std::min(guess, last));
    if (it->id < id) {
      size_t step = 1, from = static_cast<size_t>(it - slots_.begin()) + 1;
      while (from + step <= last && slots_[from + step - 1].id < id) {
        from += step;
        step *= 2;
      }
      it = lower_in(id, slots_.begin() + static_cast<std::ptrdiff_t>(from),
                    slots_.begin() + static_cast<std::ptrdiff_t>(std::min(from + step, last + 1)));
    } else if (it->id > id) {
      size_t step = 1, to = static_cast<size_t>(it - slots_.begin());
      while (to >= step && slots_[to - step].id > id) {
        to -= step;
        step *= 2;
      }
      it = lower_in(id, slots_.begin() + static_cast<std::ptrdiff_t>(to >= step ? to - step : 0),
                    slots_.begin() + static_cast<std::ptrdiff_t>(to));
    }
    if (it == slots_.end() || it->id != id || it->gone) return nullptr;
    last_ = &*it;
    return last_;
  }
  static Iter lower_in(uint64_t id, Iter from, Iter to) {
    return std::lower_bound(from, to, id, [](const Slot& s, uint64_t v) { return s.id < v; });
  }
  void remove(Slot& s) {
    s.item = T{};
    s.gone = true;
    ++gone_;
    drop_gone_front();
    // Sessions removed behind a long-lived one stay as marks until it ends; beyond
    // half the slots they are swept out (amortised: the marks outnumber the rest).
    if (gone_ > 64 && gone_ * 2 > slots_.size()) compact();
  }
  void drop_gone_front() {
    if (!slots_.empty() && (slots_.front().gone || slots_.back().gone)) last_ = nullptr;
    while (!slots_.empty() && slots_.front().gone) {
      slots_.pop_front();
      --gone_;
    }
    while (!slots_.empty() && slots_.back().gone) {
      slots_.pop_back();
      --gone_;
    }
  }
  void compact() {
    last_ = nullptr;
    std::erase_if(slots_, [](const Slot& s) { return s.gone; });
    gone_ = 0;
    if (slots_.empty()) slots_.shrink_to_fit();
  }

  std::deque<Slot> slots_;  // by id
  // slot()'s last answer. A deque's elements stay where they are when slots are
  // added at the back; it is forgotten whenever one leaves or is inserted inside.
  Slot* last_ = nullptr;
  size_t gone_ = 0;
  size_t waiting_ = 0;
  size_t max_waiting_;
};

// What account_session takes from a session's timeline, taken when the session
// ends: a --threads worker hands the session on without its timeline, which the
// output stage then does not hold while the session waits for its turn.
struct SessionAccount {
  std::optional<std::pair<Side, uint64_t>> fanout;  // publishing side, messages
  ResponseTimes::SessionRequests requests;
};
SessionAccount account_of(const SessionOut& s);
// The same, entry by entry: fed by the pass that writes the session (Writer::session's
// `also`), so that its timeline is read once.
class SessionAccounting {
 public:
  void add(const Entry& e) {
    if (const auto* m = std::get_if<MessageOut>(&e)) {
      fanout_.add(*m);
      requests_.add(*m);
    }
  }
  SessionAccount take(const SessionOut& s);

 private:
  FanoutCount fanout_;
  ResponseTimes::Collector requests_;
};
// What writing one session adds to the run summary: per-protocol totals, its
// publish/subscribe fan-out row and its requests' response times, the timeline's
// part from `a` (s.entries is not read).
void account_session(const SessionOut& s, const SessionAccount& a, RunSummary& summary, ResponseTimes& response_times,
                     FanoutTable& fanout);
// At the run's end, the tables account_session filled, into the summary the writer prints.
void finish_accounts(RunSummary& summary, const ResponseTimes& response_times, const FanoutTable& fanout);

}  // namespace quartet::analyzer
