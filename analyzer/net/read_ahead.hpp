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
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
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
  };

  // Starts reading at once: `chunks` chunks of `chunk_bytes` each (at least 2: one
  // with the parser, one being read).
  ReadAhead(ReadFn read, size_t headroom, size_t chunk_bytes, size_t chunks);
  // Stops the reading thread (after the read it is in, if any).
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next chunk of the source, in order, once it is read. Not to be called
  // again after a chunk marked `last`.
  Chunk* take();
  // A chunk the parser is done with, to be read into again.
  void give_back(Chunk* c);
  size_t headroom() const { return headroom_; }

 private:
  void run();
  void fill(Chunk& c);

  ReadFn read_;
  const size_t headroom_, chunk_bytes_;
  std::vector<Chunk> chunks_;
  std::mutex mutex_;
  std::condition_variable free_cv_, filled_cv_;
  std::deque<Chunk*> free_, filled_;  // under mutex_
  bool stop_ = false;                 // under mutex_
  std::thread thread_;                // last: started once the rest is ready
};

}  // namespace quartet::analyzer::net
