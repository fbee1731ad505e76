#include "net/read_ahead.hpp"

#include <pthread.h>

#include <algorithm>
#include <cerrno>

namespace quartet::analyzer::net {

ReadAhead::ReadAhead(ReadFn read, size_t headroom, size_t chunk_bytes, size_t chunks)
    : read_(std::move(read)), headroom_(headroom), chunk_bytes_(chunk_bytes), chunks_(std::max<size_t>(chunks, 2)) {
  for (Chunk& c : chunks_) {
    // Not zeroed: only the pages a read or a cut record reaches are ever touched.
    c.memory = std::make_unique_for_overwrite<std::byte[]>(headroom_ + chunk_bytes_);
    free_.push_back(&c);
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "quartet-read");  // named for top -H, perf and gdb
    run();
  });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  free_cv_.notify_one();
  thread_.join();
}

ReadAhead::Chunk* ReadAhead::take() {
  std::unique_lock lock(mutex_);
  filled_cv_.wait(lock, [this] { return !filled_.empty(); });
  Chunk* c = filled_.front();
  filled_.pop_front();
  return c;
}

void ReadAhead::give_back(Chunk* c) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(c);
  }
  free_cv_.notify_one();
}

void ReadAhead::run() {
  for (;;) {
    Chunk* c = nullptr;
    {
      std::unique_lock lock(mutex_);
      free_cv_.wait(lock, [this] { return stop_ || !free_.empty(); });
      if (stop_) return;
      c = free_.front();
      free_.pop_front();
    }
    fill(*c);
    {
      std::lock_guard lock(mutex_);
      filled_.push_back(c);
    }
    filled_cv_.notify_one();
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
