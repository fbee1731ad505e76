// Formatted sessions on their way from a decoding worker (--threads) to the output
// stage. The worker appends each session's text and holds it; the output stage
// copies sessions out in its own order (first-packet order, across workers) and
// releases each one. The text is kept in memory, in chunks that are reused once
// every session in them is released, so a run whose output keeps up never touches
// a file: writing every byte to a temporary file and reading it back was 0.07 s of
// a 0.5 s --threads 2 run's CPU on small PDUs, in the kernel, against nothing for
// one thread writing to /dev/null. Beyond a memory limit, the oldest chunks still held move to a temporary
// file (made at the first), whose space is reused in the same way: sessions waiting
// for an earlier one to close cost disk, not memory, however many they are.
//
// Threads: append, hold, publish and clear on the worker's; take, unpin and release
// on the output stage's. One mutex guards the chunk table; the worker fills its current
// chunk without it, past what it has published.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "timeline_spill.hpp"  // ScratchFile

namespace quartet::analyzer {

class OutputGather;

class TextRelay {
 public:
  struct Span {
    uint64_t offset = 0;
    uint64_t size = 0;
  };
  static constexpr size_t kChunk = 64u << 10;
  // Of all workers' relays together (each has its share, at least kMinMemory: at 1 MiB,
  // every thread beyond eight added 1 MiB): chunks still held beyond it go to the file.
  static constexpr size_t kMemoryBudget = 8u << 20;
  static constexpr size_t kMinMemory = 256u << 10;

  // Where a relay at its memory limit may wait a little for the output stage, instead
  // of moving chunks to the file: while the output stage writes another relay's
  // session as it is formatted, the sessions this relay holds come after that one,
  // and their space is released soon. Moving them meanwhile cost the other worker
  // and the output stage their CPU: with two threads on two cores, the worker whose
  // session was not written had a core of its own, ran ahead of the other, which
  // shared its core with the output stage, and filled its relay; the output stage
  // then spent its time reading that back from the file (the page cache's copy).
  // A 768 MB capture of 300 sessions of about 11 MB each, all ending with it, moved
  // 2.9 GB through the relays' files; waiting, 0.1 GB, in 0.90 of the CPU time.
  // Waiting frees a core for the threads that need it only while more threads run
  // than there are cores: at most as many relays wait at once as there are threads
  // beyond the cores (none on a machine with cores to spare, where moving to the
  // file costs no one's time), and never for long (`wait`).
  struct Patience {
    static constexpr uintptr_t kNone = 0, kNotKnown = 1;
    // The relay whose session the output stage is writing as it is formatted
    // (kNotKnown: one is, which not known yet; kNone: none). It never waits.
    std::atomic<uintptr_t> streamed{kNone};
    std::atomic<unsigned> waiters{0};
    unsigned max_waiters = 0;
    std::chrono::microseconds wait{2000};
    void streaming(const TextRelay* r) { streamed.store(reinterpret_cast<uintptr_t>(r), std::memory_order_relaxed); }
  };

  explicit TextRelay(size_t memory_limit, size_t chunk = kChunk);
  // (Before the first append.)
  void set_patience(Patience* p) { patience_ = p; }
  size_t memory_limit() const { return max_in_memory_ * chunk_; }
  ~TextRelay();
  TextRelay(const TextRelay&) = delete;
  TextRelay& operator=(const TextRelay&) = delete;

  // --- the worker
  void append(const char* data, size_t n);
  uint64_t end() const { return end_; }  // the offset of the next byte appended
  // `s`, appended, will be copied out: its bytes are kept until it is released.
  // (Takes effect at the next publish(); until then nothing appended since the last
  // one is given up either.)
  void hold(Span s) { holds_.push_back(s); }
  // What was appended and held so far can be copied. False once the temporary file
  // could not be written (what did not go to it stays in memory; the caller fails
  // the run).
  bool publish();
  // Nothing is held and nothing more will be appended: memory and file space go back.
  void clear();

  // --- the output stage
  // Writes `s` through `out` and releases it: a piece in memory is added to `out`,
  // its chunk pinned until `out` is flushed; a piece on file is read into `out`'s
  // own buffer (the output stage's, one for all the relays: one each held 64 KiB
  // per thread). False if the file cannot be read, or `s` was not published.
  bool take(Span s, OutputGather& out);
  // Releases `s` unread.
  void release(Span s);
  // A piece of chunk `seq` that take() added to an OutputGather was written.
  void unpin(uint64_t seq);

  // --- for tests
  size_t memory_bytes() const;     // chunk buffers allocated, in use or spare
  bool waiting_for_space() const;  // (Patience)
  uint64_t file_bytes() const;     // the temporary file's size (0 without one)

 private:
  struct Chunk {
    std::unique_ptr<char[]> mem;  // null once on file or given up
    int64_t slot = -1;            // its place in the file, in chunks
    uint32_t live = 0;            // held sessions with bytes in it
    uint32_t pinned = 0;          // pieces an OutputGather has not written yet: not moved to the file
  };
  Chunk& at(uint64_t seq) { return chunks_[static_cast<size_t>(seq - first_)]; }
  void next_chunk();
  void wait_for_space(std::unique_lock<std::mutex>& lock);
  void give_up_released();
  void unhold(uint64_t seq);  // a session with bytes in chunk `seq` was released
  bool move_to_file(Chunk& c);
  void drop_buffer(std::unique_ptr<char[]> b);

  const size_t chunk_;
  const size_t max_in_memory_;  // chunks
  // Worker only.
  char* cur_ = nullptr;  // the chunk being filled
  size_t cur_fill_ = 0;
  uint64_t end_ = 0;
  std::vector<Span> holds_;
  Patience* patience_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable space_;  // a chunk was released (to a worker in wait_for_space)
  bool waiting_ = false;           // under mu_
  // Under mu_.
  std::deque<Chunk> chunks_;  // chunks_[i] holds bytes [(first_ + i) * chunk_, ...)
  uint64_t first_ = 0;
  uint64_t published_ = 0;
  uint64_t held_to_ = 0;  // every byte below it belongs to a session held (or released)
  size_t in_memory_ = 0;  // chunks of chunks_ with their buffer
  std::vector<std::unique_ptr<char[]>> spare_;
  ScratchFile file_;  // made at the first chunk moved to it
  std::vector<int64_t> free_slots_;
  std::vector<uint64_t> released_;  // chunks whose last held session was released
  int64_t slots_ = 0;
  bool failed_ = false;
};

}  // namespace quartet::analyzer
