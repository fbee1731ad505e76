// A blocking FIFO between threads of `quartet --threads`: producers wait while it
// holds `capacity` items (so a fast reader cannot run away from slow decoders:
// memory stays bounded), consumers wait while it is empty. Items are batches, so
// the lock is taken once per few hundred stream events, not per event.
//
// A producer that found it full may wait until it is down to a low-water mark
// rather than for the first free place: then it fills several places each time it
// is woken, instead of taking turns with the consumer at every item (see
// kWorkerQueueLowWater in threaded_run.cpp for what that is worth).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace quartet::analyzer {

template <typename T>
class WorkQueue {
 public:
  // `low_water`: a producer that found it full goes on once it holds at most this
  // many items (by default, as soon as there is room).
  explicit WorkQueue(size_t capacity, size_t low_water = SIZE_MAX)
      : capacity_(capacity), low_water_(std::min(low_water, capacity - 1)) {}

  void push(T item) {
    std::unique_lock lock(mutex_);
    if (items_.size() >= capacity_ && !closed_) {
      ++producers_waiting_;
      not_full_.wait(lock, [&] { return items_.size() <= low_water_ || closed_; });
      --producers_waiting_;
    }
    items_.push_back(std::move(item));
    lock.unlock();
    not_empty_.notify_one();
  }
  // The next item; nullopt once the queue is closed and empty.
  std::optional<T> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    return take(lock);
  }
  // The next item if there is one now.
  std::optional<T> try_pop() {
    std::unique_lock lock(mutex_);
    return take(lock);
  }
  // No more items will come; pop() returns what is left, then nullopt.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  std::optional<T> take(std::unique_lock<std::mutex>& lock) {
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    const bool wake = producers_waiting_ > 0 && items_.size() <= low_water_;
    lock.unlock();
    if (wake) not_full_.notify_one();
    return item;
  }

  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  size_t capacity_, low_water_;
  size_t producers_waiting_ = 0;
  bool closed_ = false;
};

}  // namespace quartet::analyzer
