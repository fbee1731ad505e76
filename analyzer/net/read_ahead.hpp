// A capture source read ahead of its parser, on a thread of its own, into a few
// fixed chunks that the parser (PcapRecords) reads records from in place.
//
// Used with --threads: there the reading thread (records, IP, TCP reassembly) is
// the pipeline's bound on captures of large messages, while the decoding workers
// wait. A quarter of that thread's time was the kernel copying the file into its
// buffer (read(2): the copy, the page cache lookups and their locks). That copy
// now runs beside it. With one thread nothing is read ahead: the run stays on one
// core.
//
// Each chunk starts with `headroom` bytes the reader leaves free: the parser puts
// a record that the previous chunk cut short there, right before the rest of it,
// so every record it hands out is contiguous.
//
// The parser's thread may also pin the chunk it reads (pin_current): bytes of it
// handed to another thread (a decoding worker's batch), or kept for later (the TCP
// retained tail's views, TailViews), then stay as they are until the Pin is let
// go of, instead of being copied. A pinned chunk is read
// into again only once the parser and every pin are done with it; the pool grows
// by at most `max_pinned` chunks for them, and a chunk beyond that is not pinned
// (the caller copies): so memory stays bounded, and the reading thread always has
// a chunk to read into.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace quartet::analyzer::net {

class ReadAhead {
 public:
  // Up to n bytes into buf; 0 at the end, -1 on an error (errno says which).
  using ReadFn = std::function<ssize_t(char* buf, size_t n)>;

  struct Chunk {
    std::unique_ptr<std::byte[]> memory;  // `headroom` bytes, then what was read
    size_t bytes = 0;                     // read, after the headroom
    bool last = false;                    // the source ended (or failed) after these bytes
    int error = 0;                        // the failed read's errno; 0 at a clean end
    std::atomic<uint32_t> holds{0};       // the parser's (1 while it reads it) and the pins
    uint32_t pins = 0;                    // under the pool's lock
  };

  struct Pool;  // the chunks and their lists, shared with the pins (which may outlive this)

  // Another thread's hold on a chunk (see pin_current); released when destroyed.
  class Pin {
   public:
    Pin() = default;
    Pin(Pin&& o) noexcept : pool_(std::move(o.pool_)), chunk_(std::exchange(o.chunk_, nullptr)) {}
    Pin& operator=(Pin&& o) noexcept;
    ~Pin() { release(); }
    explicit operator bool() const { return chunk_ != nullptr; }
    const Chunk* chunk() const { return chunk_; }

   private:
    friend class ReadAhead;
    Pin(std::shared_ptr<Pool> pool, Chunk* c) : pool_(std::move(pool)), chunk_(c) {}
    void release();
    std::shared_ptr<Pool> pool_;
    Chunk* chunk_ = nullptr;
  };

  // Starts reading at once: `chunks` chunks of `chunk_bytes` each (at least 2: one
  // with the parser, one being read), and up to `max_pinned` more while pinned ones
  // wait. Made on the parser's thread, which it is then known to (holding()).
  ReadAhead(ReadFn read, size_t headroom, size_t chunk_bytes, size_t chunks, size_t max_pinned = 0);
  // Stops the reading thread (after the read it is in, if any). On the parser's thread.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next chunk of the source, in order, once it is read: the parser's now.
  // Not to be called again after a chunk marked `last`.
  Chunk* take();
  // A chunk the parser is done with, to be read into again (once no pin holds it).
  void give_back(Chunk* c);
  size_t headroom() const { return headroom_; }

  // The ReadAhead of this thread whose parser reads, now, the chunk that holds the
  // n bytes at p; nullptr when there is none (bytes copied out of a chunk, or none
  // read ahead).
  static ReadAhead* holding(const std::byte* p, size_t n);
  // holding(), for bytes worth keeping where they are (pinned) rather than copied:
  // from kInPlaceFrom bytes on. Fewer are copied, which costs less than a pin. The
  // workers' batches (EventBatch::keep) and the retained tails (TailViews) both ask.
  static constexpr size_t kInPlaceFrom = 1024;
  static ReadAhead* worth_keeping(const std::byte* p, size_t n) { return n >= kInPlaceFrom ? holding(p, n) : nullptr; }
  const Chunk* current() const { return current_; }
  // A pin on the chunk the parser reads now; empty when max_pinned chunks are pinned already.
  Pin pin_current();

 private:
  void run();
  void fill(Chunk& c);

  ReadFn read_;
  const size_t headroom_, chunk_bytes_;
  const size_t chunks_;      // read into without pins
  const size_t max_pinned_;  // chunks pinned at once at most (each may add one to the pool)
  std::shared_ptr<Pool> pool_;
  Chunk* current_ = nullptr;  // the parser's chunk (the parser's thread only)
  std::thread thread_;        // last: started once the rest is ready
};

}  // namespace quartet::analyzer::net
