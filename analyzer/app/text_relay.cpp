#include "text_relay.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "output_gather.hpp"

namespace quartet::analyzer {

TextRelay::TextRelay(size_t memory_limit, size_t chunk)
    : chunk_(std::max<size_t>(chunk, 1)), max_in_memory_(std::max<size_t>(memory_limit / chunk_, 1)) {}

TextRelay::~TextRelay() = default;

void TextRelay::append(const char* data, size_t n) {
  while (n) {
    if (!cur_ || cur_fill_ == chunk_) next_chunk();
    const size_t k = std::min(n, chunk_ - cur_fill_);
    std::memcpy(cur_ + cur_fill_, data, k);
    cur_fill_ += k;
    end_ += k;
    data += k;
    n -= k;
  }
}

bool TextRelay::publish() {
  std::lock_guard lock(mu_);
  for (const Span& s : holds_) {
    if (s.size == 0) continue;
    for (uint64_t seq = s.offset / chunk_; seq <= (s.offset + s.size - 1) / chunk_; ++seq) ++at(seq).live;
  }
  if (!holds_.empty()) held_to_ = holds_.back().offset + holds_.back().size;
  holds_.clear();
  published_ = end_;
  return !failed_;
}

// The chunk being filled is full (or there is none): the next one, from a spare
// buffer when there is one. Before it, chunks whose sessions were all released are
// given up, and beyond the memory limit the oldest ones still held go to the file.
void TextRelay::next_chunk() {
  std::unique_lock lock(mu_);
  give_up_released();
  if (patience_ && in_memory_ >= max_in_memory_) wait_for_space(lock);
  for (Chunk& c : chunks_) {
    if (in_memory_ < max_in_memory_) break;
    // A pinned chunk is being written from where it is: it stays, and memory goes
    // past the limit by at most what an OutputGather holds.
    if (c.mem && !c.pinned && !move_to_file(c)) break;
  }
  std::unique_ptr<char[]> b;
  if (!spare_.empty()) {
    b = std::move(spare_.back());
    spare_.pop_back();
  } else {
    b = std::make_unique_for_overwrite<char[]>(chunk_);
  }
  if (chunks_.empty()) first_ = end_ / chunk_;
  cur_ = b.get();
  cur_fill_ = static_cast<size_t>(end_ % chunk_);  // 0 but after clear()
  chunks_.push_back({std::move(b), -1, 0});
  ++in_memory_;
}

// Under mu_ (`lock`), at the memory limit (Patience).
void TextRelay::wait_for_space(std::unique_lock<std::mutex>& lock) {
  const uintptr_t streamed = patience_->streamed.load(std::memory_order_relaxed);
  if (streamed == Patience::kNone || streamed == reinterpret_cast<uintptr_t>(this)) return;
  if (patience_->waiters.fetch_add(1, std::memory_order_relaxed) < patience_->max_waiters) {
    waiting_ = true;
    space_.wait_for(lock, patience_->wait, [this] { return !released_.empty(); });
    waiting_ = false;
    give_up_released();
  }
  patience_->waiters.fetch_sub(1, std::memory_order_relaxed);
}

// Under mu_, with every chunk of chunks_ full (none is being filled). Only chunks
// whose last session was released since are looked at: with many on file, waiting
// for a long session, a walk over all of them at each chunk would grow with them.
void TextRelay::give_up_released() {
  size_t kept = 0;
  for (const uint64_t seq : released_) {
    if (seq < first_) continue;
    Chunk& c = at(seq);
    if (c.live) continue;  // held again since (a session formatted then)
    // Not before every session with bytes in it was held: one being formatted
    // (or held, not yet published) may have its first bytes here. Looked at again.
    if ((seq + 1) * chunk_ > held_to_) {
      released_[kept++] = seq;
      continue;
    }
    if (c.mem) {
      --in_memory_;
      drop_buffer(std::move(c.mem));
    }
    if (c.slot >= 0) free_slots_.push_back(std::exchange(c.slot, -1));
  }
  released_.resize(kept);
  while (!chunks_.empty() && !chunks_.front().mem && chunks_.front().slot < 0 && !chunks_.front().live) {
    chunks_.pop_front();
    ++first_;
  }
}

bool TextRelay::move_to_file(Chunk& c) {
  if (failed_) return false;
  if (!file_.open()) {
    failed_ = true;
    return false;
  }
  int64_t slot = slots_;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  if (!pwrite_all(file_.fd(), c.mem.get(), chunk_, static_cast<uint64_t>(slot) * chunk_)) {
    if (slot != slots_) free_slots_.push_back(slot);
    failed_ = true;
    return false;
  }
  if (slot == slots_) ++slots_;
  c.slot = slot;
  --in_memory_;
  drop_buffer(std::move(c.mem));
  return true;
}

// Kept for the next chunks while memory allows (a chunk reused is already in the
// page tables, and often in the cache), else freed.
void TextRelay::drop_buffer(std::unique_ptr<char[]> b) {
  if (in_memory_ + spare_.size() < max_in_memory_) spare_.push_back(std::move(b));
}

bool TextRelay::take(Span s, OutputGather& out) {
  // A piece in memory is pinned and added to the gather, which writes it from its
  // chunk later (the lock is held only to look it up). A piece on file is read into
  // the gather's own buffer, outside the lock: its slot keeps its bytes until released.
  uint64_t at_off = s.offset;
  uint64_t left = s.size;
  while (left) {
    const uint64_t seq = at_off / chunk_;
    const size_t off = static_cast<size_t>(at_off % chunk_);
    const size_t k = static_cast<size_t>(std::min<uint64_t>(left, chunk_ - off));
    int64_t slot = -1;
    int fd = -1;
    {
      std::lock_guard lock(mu_);
      if (s.offset + s.size > published_ || seq < first_ || seq - first_ >= chunks_.size()) return false;
      Chunk& c = at(seq);
      if (c.mem) {
        ++c.pinned;
        out.add(c.mem.get() + off, k, this, seq);
      } else {
        slot = c.slot;
        fd = file_.fd();
      }
    }
    if (slot >= 0) {
      char* to = out.room(k);  // (may flush, which unpins: not under the lock)
      if (!pread_all(fd, to, k, static_cast<uint64_t>(slot) * chunk_ + off)) return false;
      out.add_own(to, k);
      std::lock_guard lock(mu_);
      unhold(seq);
    }
    at_off += k;
    left -= k;
  }
  return true;
}

void TextRelay::unpin(uint64_t seq) {
  std::lock_guard lock(mu_);
  --at(seq).pinned;
  unhold(seq);
}

void TextRelay::release(Span s) {
  if (s.size == 0) return;
  std::lock_guard lock(mu_);
  for (uint64_t seq = s.offset / chunk_; seq <= (s.offset + s.size - 1) / chunk_; ++seq) unhold(seq);
}

void TextRelay::unhold(uint64_t seq) {
  if (--at(seq).live == 0) {
    released_.push_back(seq);
    if (waiting_) space_.notify_one();
  }
}

void TextRelay::clear() {
  std::lock_guard lock(mu_);
  chunks_.clear();
  spare_.clear();
  spare_.shrink_to_fit();
  in_memory_ = 0;
  cur_ = nullptr;
  cur_fill_ = 0;
  holds_.clear();
  held_to_ = published_ = end_;
  free_slots_.clear();
  released_.clear();
  slots_ = 0;
  file_.empty();
}

size_t TextRelay::memory_bytes() const {
  std::lock_guard lock(mu_);
  return (in_memory_ + spare_.size()) * chunk_;
}

bool TextRelay::waiting_for_space() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

uint64_t TextRelay::file_bytes() const {
  std::lock_guard lock(mu_);
  struct stat st {};
  return file_.fd() >= 0 && ::fstat(file_.fd(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

}  // namespace quartet::analyzer
