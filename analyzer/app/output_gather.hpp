// The output stage's writes with --threads: each session's text is written straight
// from the chunks of the worker's relay that hold it (writev), many sessions per
// system call, instead of copied into stdio's buffer first. That copy was 3.5 % of
// a --threads 2 run on short connections; without it the run took 0.95 of the time
// on short connections and 0.94 on small PDUs (paired medians, docs/performance.md).
//
// A piece stays in its chunk until the gather is flushed: the chunk is pinned (the
// relay moves no pinned chunk to its file) and released only once written; a piece
// the relay had moved to its file is read into the gather's own buffer. Whoever
// writes to the same stream through stdio flushes the gather first (flush()), and
// the gather flushes stdio before it writes, so the bytes keep their order.
//
// On a terminal each session is written as soon as it is gathered. A stream without
// a file descriptor (open_memstream, in tests) is written through stdio. When the
// descriptor fails, the rest goes through stdio too, which fails in turn and sets
// the stream's error flag: main reports it as for one thread.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

namespace quartet::analyzer {

class TextRelay;

class OutputGather {
 public:
  // Written at once beyond these: a few relay chunks' worth stays pinned at most.
  static constexpr size_t kMaxBytes = 256u << 10, kMaxPieces = 512;

  explicit OutputGather(std::FILE* out);
  OutputGather(const OutputGather&) = delete;
  OutputGather& operator=(const OutputGather&) = delete;

  // `n` bytes at `p`, in chunk `seq` of `relay` (pinned by the caller): written, then
  // unpinned and released there, at the next flush().
  void add(const char* p, size_t n, TextRelay* relay, uint64_t seq) {
    pieces_.push_back({const_cast<char*>(p), n});
    pins_.emplace_back(relay, seq);
    bytes_ += n;
  }
  // Room for a piece of `n` bytes in the gather's own buffer (a piece read back from
  // a relay's file), written with the rest at the next flush() once add_own()ed.
  // Flushes first when that buffer is full.
  char* room(size_t n);
  void add_own(const char* p, size_t n) {
    pieces_.push_back({const_cast<char*>(p), n});
    own_used_ += n;
    bytes_ += n;
  }
  // Time to flush: at the bounds, or after each session on a terminal (where stdio's
  // line buffering showed each session as soon as it was written: a live capture).
  bool full() const { return eager_ || bytes_ >= kMaxBytes || pieces_.size() >= kMaxPieces; }
  // Writes what was added, and releases it in its relays.
  void flush();

 private:
  std::FILE* out_;
  int fd_;  // -1: through stdio
  bool eager_;
  std::vector<iovec> pieces_;
  std::vector<std::pair<TextRelay*, uint64_t>> pins_;
  size_t bytes_ = 0;
  std::unique_ptr<char[]> own_;  // made at the first piece read back (kMaxBytes)
  size_t own_size_ = 0, own_used_ = 0;
};

}  // namespace quartet::analyzer
