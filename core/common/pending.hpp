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
#include <memory>
#include <utility>
#include <vector>

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
// The two tables are allocated at the first put: a connection that never has a
// request outstanding (a COPS keep-alive-only one) holds one pointer.
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
    if (!t_) t_ = std::make_unique<Tables>();
    auto& by_key = t_->by_key;
    auto& by_index = t_->by_index;
    if (auto it = by_key.find(key); it != by_key.end()) erase(it);
    if (by_key.size() >= kMaxPending && !by_index.empty()) {
      if (auto oldest = by_key.find(by_index.begin()->second); oldest != by_key.end()) erase(oldest);
      ++dropped_;
    }
    // Both nodes come from the spares of earlier erases when there are some: a
    // session answering its requests one by one allocates nothing per request.
    if (auto nh = take_spare(t_->spare_index)) {
      nh.key() = index;
      nh.mapped() = key;
      by_index.insert(std::move(nh));
    } else {
      by_index.emplace(index, key);
    }
    if (auto nh = take_spare(t_->spare_key)) {
      nh.key() = std::move(key);
      nh.mapped() = Entry{index, std::move(value)};
      return by_key.insert(std::move(nh)).position;
    }
    return by_key.emplace(std::move(key), Entry{index, std::move(value)}).first;
  }
  iterator find(const Key& key) { return tables().by_key.find(key); }
  const_iterator find(const Key& key) const { return tables().by_key.find(key); }
  // `it` is an entry (put() was called).
  void erase(iterator it) {
    keep_spare(t_->spare_index, t_->by_index.extract(it->second.index));
    keep_spare(t_->spare_key, t_->by_key.extract(it));
  }
  // Erases every entry for which pred(key, value) holds.
  template <class Pred>
  void erase_if(Pred pred) {
    if (!t_) return;
    for (auto it = t_->by_key.begin(); it != t_->by_key.end();)
      it = pred(it->first, it->second.value) ? (t_->by_index.erase(it->second.index), t_->by_key.erase(it))
                                             : std::next(it);
  }
  // Visits entries oldest first: f(key, entry).
  template <class F>
  void for_each_oldest_first(F f) const {
    if (!t_) return;
    for (const auto& [index, key] : t_->by_index)
      if (auto it = t_->by_key.find(key); it != t_->by_key.end()) f(it->first, it->second);
  }

  iterator begin() { return tables().by_key.begin(); }
  iterator end() { return tables().by_key.end(); }
  const_iterator begin() const { return tables().by_key.begin(); }
  const_iterator end() const { return tables().by_key.end(); }
  bool empty() const { return !t_ || t_->by_key.empty(); }
  size_t size() const { return t_ ? t_->by_key.size() : 0; }
  void clear() {
    if (!t_) return;
    t_->by_key.clear();
    t_->by_index.clear();
  }
  uint64_t dropped() const { return dropped_; }

 private:
  struct Tables {
    std::map<Key, Entry> by_key;
    std::map<uint64_t, Key> by_index;
    // Nodes of erased entries, reused by put() (a few: enough for request/answer
    // traffic, little memory for a connection that stops asking).
    std::vector<typename std::map<Key, Entry>::node_type> spare_key;
    std::vector<typename std::map<uint64_t, Key>::node_type> spare_index;
  };
  static constexpr size_t kMaxSpare = 4;
  template <class Node>
  static void keep_spare(std::vector<Node>& spare, Node nh) {
    if (!nh || spare.size() >= kMaxSpare) return;  // dropping the handle frees the node
    if (spare.capacity() == 0) spare.reserve(kMaxSpare);
    spare.push_back(std::move(nh));
  }
  template <class Node>
  static Node take_spare(std::vector<Node>& spare) {
    if (spare.empty()) return Node();
    Node nh = std::move(spare.back());
    spare.pop_back();
    return nh;
  }
  // Before the first put, lookups go to one shared empty table that is never written
  // (so find() and end() agree, and reading it from several threads is safe).
  static Tables& none() {
    static Tables empty;
    return empty;
  }
  Tables& tables() { return t_ ? *t_ : none(); }
  const Tables& tables() const { return t_ ? *t_ : none(); }

  std::unique_ptr<Tables> t_;
  uint64_t dropped_ = 0;
};

}  // namespace quartet
