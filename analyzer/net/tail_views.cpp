#include "net/tail_views.hpp"

namespace quartet::analyzer::net {

bool TailViews::keep(TcpStream& d, Bytes b) {
  if (d.tail_cap == 0) return false;
  ReadAhead* ahead = ReadAhead::worth_keeping(b.data(), b.size());
  if (!ahead) return false;
  if (!pin_ || pin_.chunk() != ahead->current()) {
    settle_all();  // the reader left the chunk the views are in
    pin_ = ahead->pin_current();
    if (!pin_) return false;
  }
  if (!d.views) {
    entries_.push_back({&d, 0, {}, {}});
    d.views = static_cast<uint32_t>(entries_.size());
  }
  Entry& e = entries_[d.views - 1];
  const size_t cap = d.tail_cap;
  if (b.size() >= cap) {
    e.older = {};  // b alone is all the ring holds
    e.newer = b;
  } else {
    // What the ring holds: b and the newer view, and of the older one what those
    // two do not cover (copied now, so two views are all there is to keep).
    if (!e.older.empty() && e.newer.size() + b.size() < cap) d.remember_at(e.older, e.end - e.newer.size());
    e.older = e.newer;
    e.newer = b;
  }
  e.end = d.next;
  return true;
}

void TailViews::settle_entry(Entry& e) {
  TcpStream& d = *e.stream;
  if (!e.older.empty()) d.remember_at(e.older, e.end - e.newer.size());
  d.remember_at(e.newer, e.end);
  d.views = 0;
  e.stream = nullptr;
}

void TailViews::settle_all() {
  for (Entry& e : entries_)
    if (e.stream) settle_entry(e);
  entries_.clear();
  pin_ = {};
}

}  // namespace quartet::analyzer::net
