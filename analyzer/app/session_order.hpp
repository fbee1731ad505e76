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
#include <map>
#include <optional>
#include <utility>

#include "output.hpp"
#include "response_times.hpp"

namespace quartet::analyzer {

template <typename T>
class SessionOrder {
 public:
  explicit SessionOrder(size_t max_waiting) : max_waiting_(max_waiting) {}

  T& open(uint64_t id) { return slots_[id].item; }
  // The item of a session not closed yet; nullptr when there is none.
  T* find_open(uint64_t id) {
    auto it = slots_.find(id);
    return it == slots_.end() || it->second.closed ? nullptr : &it->second.item;
  }
  T* find(uint64_t id) {
    auto it = slots_.find(id);
    return it == slots_.end() ? nullptr : &it->second.item;
  }
  // The session ended; `waiting` is what it counts toward the bound while it waits
  // (its timeline entries + 1; 0 for a connection that is not shown).
  void close(uint64_t id, size_t waiting) {
    Slot& s = slots_[id];
    s.closed = true;
    s.waiting = waiting;
    waiting_ += waiting;
  }
  // Removes a closed session without writing it (a decoding worker hands it on).
  std::optional<T> take_closed(uint64_t id) {
    auto it = slots_.find(id);
    if (it == slots_.end() || !it->second.closed) return std::nullopt;
    waiting_ -= std::min(waiting_, it->second.waiting);
    std::optional<T> item(std::move(it->second.item));
    slots_.erase(it);
    return item;
  }

  // Writes what may be written now: `write(T&)` returns whether it wrote a
  // session (false for another connection). Returns how many sessions were
  // written early, out of first-packet order.
  template <typename Write>
  uint64_t flush(Write&& write) {
    while (!slots_.empty() && slots_.begin()->second.closed) {
      Slot& s = slots_.begin()->second;
      waiting_ -= std::min(waiting_, s.waiting);
      write(s.item);
      slots_.erase(slots_.begin());
    }
    if (waiting_ <= max_waiting_) return 0;
    uint64_t early = 0;
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (!it->second.closed) {
        ++it;
        continue;
      }
      early += write(it->second.item) ? 1 : 0;
      it = slots_.erase(it);
    }
    waiting_ = 0;
    return early;
  }

  // Every session not closed yet, in first-packet order.
  template <typename Fn>
  void for_each_open(Fn&& fn) {
    for (auto& [id, s] : slots_)
      if (!s.closed) fn(s.item);
  }
  void set_max_waiting(size_t n) { max_waiting_ = n; }

 private:
  struct Slot {
    T item{};
    bool closed = false;
    size_t waiting = 0;
  };
  std::map<uint64_t, Slot> slots_;
  size_t waiting_ = 0;
  size_t max_waiting_;
};

// What writing one session adds to the run summary: per-protocol totals, its
// publish/subscribe fan-out row and its requests' response times.
void account_session(const SessionOut& s, RunSummary& summary, ResponseTimes& response_times);

// What account_session takes from a session's timeline, taken when the session
// ends: a --threads worker hands the session on without its timeline, which the
// output stage then does not hold while the session waits for its turn.
struct SessionAccount {
  std::optional<std::pair<Side, uint64_t>> fanout;  // publishing side, messages
  ResponseTimes::SessionRequests requests;
};
SessionAccount account_of(const SessionOut& s);
// As account_session, with the timeline's part from `a` (s.entries is not read).
void account_session(const SessionOut& s, const SessionAccount& a, RunSummary& summary, ResponseTimes& response_times);

}  // namespace quartet::analyzer
