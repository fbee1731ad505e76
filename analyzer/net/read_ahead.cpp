#include "net/read_ahead.hpp"

#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace quartet::analyzer::net {

struct ReadAhead::Pool {
  std::vector<std::unique_ptr<Chunk>> chunks;  // grown by the reading thread only
  std::mutex mutex;
  std::condition_variable free_cv, filled_cv;
  std::deque<Chunk*> free, filled;  // under mutex
  bool stop = false;                // under mutex
  size_t pinned = 0;                // chunks with pins, under mutex (as Chunk::pins)

  // One more chunk (under mutex once the reading thread runs).
  Chunk* add(size_t bytes) {
    auto c = std::make_unique<Chunk>();
    // Not zeroed: only the pages a read or a cut record reaches are ever touched.
    c->memory = std::make_unique_for_overwrite<std::byte[]>(bytes);
    return chunks.emplace_back(std::move(c)).get();
  }

  // One hold less: the last one sends the chunk back to be read into.
  void release(Chunk* c) {
    if (c->holds.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    {
      std::lock_guard lock(mutex);
      free.push_back(c);
    }
    free_cv.notify_one();
  }
};

namespace {

// The read-ahead sources whose parser runs on this thread (a few: one per file merged).
thread_local std::vector<ReadAhead*> t_reading;

}  // namespace

ReadAhead::Pin& ReadAhead::Pin::operator=(Pin&& o) noexcept {
  if (this != &o) {
    release();
    pool_ = std::move(o.pool_);
    chunk_ = std::exchange(o.chunk_, nullptr);
  }
  return *this;
}

void ReadAhead::Pin::release() {
  if (!chunk_) return;
  {
    std::lock_guard lock(pool_->mutex);
    if (--chunk_->pins == 0) --pool_->pinned;
  }
  pool_->release(std::exchange(chunk_, nullptr));
  pool_.reset();
}

ReadAhead::ReadAhead(ReadFn read, size_t headroom, size_t chunk_bytes, size_t chunks, size_t max_pinned)
    : read_(std::move(read)),
      headroom_(headroom),
      chunk_bytes_(chunk_bytes),
      chunks_(std::max<size_t>(chunks, 2)),
      max_pinned_(max_pinned),
      pool_(std::make_shared<Pool>()) {
  for (size_t i = 0; i < chunks_; ++i) pool_->free.push_back(pool_->add(headroom_ + chunk_bytes_));
  t_reading.push_back(this);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "quartet-read");  // named for top -H, perf and gdb
    run();
  });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(pool_->mutex);
    pool_->stop = true;
  }
  pool_->free_cv.notify_one();
  thread_.join();
  std::erase(t_reading, this);
}

ReadAhead::Chunk* ReadAhead::take() {
  Pool& p = *pool_;
  std::unique_lock lock(p.mutex);
  p.filled_cv.wait(lock, [&p] { return !p.filled.empty(); });
  Chunk* c = p.filled.front();
  p.filled.pop_front();
  c->holds.store(1, std::memory_order_relaxed);  // the parser's (no pin can hold a chunk not yet taken)
  current_ = c;
  return c;
}

void ReadAhead::give_back(Chunk* c) {
  if (c == current_) current_ = nullptr;
  pool_->release(c);
}

ReadAhead* ReadAhead::holding(const std::byte* p, size_t n) {
  for (ReadAhead* r : t_reading) {
    const Chunk* c = r->current_;
    if (!c) continue;
    const std::byte* begin = c->memory.get();
    const std::byte* end = begin + r->headroom_ + c->bytes;
    if (p >= begin && p <= end && n <= static_cast<size_t>(end - p)) return r;
  }
  return nullptr;
}

// Under the pool's lock, which the reading thread waits with: a chunk pinned lets
// the pool grow by one, and the reading thread must not miss that (it could be
// waiting for a chunk to read into while every one is held).
ReadAhead::Pin ReadAhead::pin_current() {
  Chunk* c = current_;
  if (!c) return {};
  Pool& p = *pool_;
  {
    std::lock_guard lock(p.mutex);
    if (c->pins == 0) {
      if (p.pinned >= max_pinned_) return {};
      ++p.pinned;
    }
    ++c->pins;
  }
  c->holds.fetch_add(1, std::memory_order_relaxed);  // the parser holds it too: it cannot go back meanwhile
  p.free_cv.notify_one();
  return Pin(pool_, c);
}

void ReadAhead::run() {
  Pool& p = *pool_;
  for (;;) {
    Chunk* c = nullptr;
    {
      std::unique_lock lock(p.mutex);
      // Pins hold chunks that would be read into by now: one more chunk for each.
      const auto may_grow = [this, &p] { return p.chunks.size() < chunks_ + p.pinned; };
      p.free_cv.wait(lock, [&p, &may_grow] { return p.stop || !p.free.empty() || may_grow(); });
      if (p.stop) return;
      if (!p.free.empty()) {
        c = p.free.front();
        p.free.pop_front();
      } else {
        c = p.add(headroom_ + chunk_bytes_);
      }
    }
    fill(*c);
    {
      std::lock_guard lock(p.mutex);
      p.filled.push_back(c);
    }
    p.filled_cv.notify_one();
    if (c->last) return;  // nothing more to read
  }
}

// As many reads as the chunk takes (a plain file gives 256 KiB per read), until the source ends.
void ReadAhead::fill(Chunk& c) {
  c.bytes = 0;
  c.last = false;
  c.error = 0;
  char* to = reinterpret_cast<char*>(c.memory.get() + headroom_);
  while (c.bytes < chunk_bytes_) {
    const ssize_t got = read_(to + c.bytes, chunk_bytes_ - c.bytes);
    if (got > 0) {
      c.bytes += static_cast<size_t>(got);
      continue;
    }
    if (got < 0) c.error = errno ? errno : EIO;
    c.last = true;
    return;
  }
}

}  // namespace quartet::analyzer::net
