// Requests a session machine is waiting to see answered. Every table is bounded
// by one number, kMaxPending: a peer that never answers (or a capture that lost
// the answers) cannot make a connection's memory grow without bound. When the
// table is full the oldest request is forgotten; its answer, should it still come,
// is then reported as unsolicited, and dropped() says how many were forgotten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>

namespace quartet {

// Per connection. 65,536 covers the largest legitimate case we know (a COPS
// PacketCable CMTS holding a request state per gate) at some tens of bytes each.
inline constexpr size_t kMaxPending = 65536;

// Requests answered in order (RRP) or by the first one of a direction (IAP).
template <class T>
class PendingQueue {
 public:
  using iterator = typename std::deque<T>::iterator;
  using const_iterator = typename std::deque<T>::const_iterator;

  void push(T v) {
    if (items_.size() >= kMaxPending) {
      items_.pop_front();
      ++dropped_;
    }
    items_.push_back(std::move(v));
  }
  T take(iterator it) {
    T v = std::move(*it);
    items_.erase(it);
    return v;
  }
  T take_front() { return take(items_.begin()); }

  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  T& front() { return items_.front(); }
  const T& front() const { return items_.front(); }
  const T& back() const { return items_.back(); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  void clear() { items_.clear(); }
  uint64_t dropped() const { return dropped_; }

 private:
  std::deque<T> items_;
  uint64_t dropped_ = 0;
};

// Requests answered by key (SP backtrace, COPS handle); `index` orders them so the
// oldest is found in O(log n). Putting a key again replaces the earlier entry.
template <class Key, class T>
class PendingMap {
 public:
  struct Entry {
    uint64_t index;  // PDU index of the request: its age
    T value;
  };
  using iterator = typename std::map<Key, Entry>::iterator;
  using const_iterator = typename std::map<Key, Entry>::const_iterator;

  // Returns the stored entry.
  iterator put(Key key, uint64_t index, T value) {
    if (auto it = by_key_.find(key); it != by_key_.end()) erase(it);
    if (by_key_.size() >= kMaxPending && !by_index_.empty()) {
      if (auto oldest = by_key_.find(by_index_.begin()->second); oldest != by_key_.end()) erase(oldest);
      ++dropped_;
    }
    by_index_.emplace(index, key);
    return by_key_.emplace(std::move(key), Entry{index, std::move(value)}).first;
  }
  iterator find(const Key& key) { return by_key_.find(key); }
  const_iterator find(const Key& key) const { return by_key_.find(key); }
  void erase(iterator it) {
    by_index_.erase(it->second.index);
    by_key_.erase(it);
  }
  // Erases every entry for which pred(key, value) holds.
  template <class Pred>
  void erase_if(Pred pred) {
    for (auto it = by_key_.begin(); it != by_key_.end();)
      it = pred(it->first, it->second.value) ? (by_index_.erase(it->second.index), by_key_.erase(it)) : std::next(it);
  }
  // Visits entries oldest first: f(key, entry).
  template <class F>
  void for_each_oldest_first(F f) const {
    for (const auto& [index, key] : by_index_)
      if (auto it = by_key_.find(key); it != by_key_.end()) f(it->first, it->second);
  }

  iterator begin() { return by_key_.begin(); }
  iterator end() { return by_key_.end(); }
  const_iterator begin() const { return by_key_.begin(); }
  const_iterator end() const { return by_key_.end(); }
  bool empty() const { return by_key_.empty(); }
  size_t size() const { return by_key_.size(); }
  void clear() {
    by_key_.clear();
    by_index_.clear();
  }
  uint64_t dropped() const { return dropped_; }

 private:
  std::map<Key, Entry> by_key_;
  std::map<uint64_t, Key> by_index_;
  uint64_t dropped_ = 0;
};

}  // namespace quartet
