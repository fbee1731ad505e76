// Long sessions' timelines on disk: a session's messages and events are held
// until it is written (its summary line comes first, sessions in first-packet
// order), which on a connection open for the whole capture is the whole capture.
// Beyond a few hundred held entries they are appended, in a compact binary form,
// to one anonymous temporary file and streamed back, a chunk at a time, when the
// session is written, so memory stays flat whatever the file size. The round trip is exact: the writers
// see the same entries as if they had stayed in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "out_buf.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

// Reads `n` bytes at `offset` of `fd` (pread: no file position); false on error or end of file.
bool pread_all(int fd, char* to, size_t n, uint64_t offset);

class TimelineSpill {
 public:
  using Segment = SpillSegment;
  // Bytes of the file read at once when a segment is streamed back (more only for
  // one entry larger than this).
  static constexpr size_t kReadChunk = 64u << 10;

  // Moves `entries` to the file as one more segment of `chain` (leaving `entries`
  // empty, its storage given to recycle()). False, with both untouched, when no
  // temporary file can be written.
  bool write(std::vector<Entry>& entries, SpillChain& chain);
  // Calls `fn` with each entry of `chain`, in order, reading kReadChunk bytes at a
  // time: memory stays the same however long the timeline (but for 12 bytes per
  // segment while it is read). Reads with pread (no shared file position or
  // buffer), so another thread may stream chains that were sync()ed while the
  // writing thread appends more. Throws std::runtime_error when the file cannot be
  // read back.
  void stream(const SpillChain& chain, absl::FunctionRef<void(const Entry&)> fn) const;
  // Appends copies of the entries of `chain` to `out` (tests; the writers stream).
  void read(const SpillChain& chain, std::vector<Entry>& out);
  uint64_t bytes() const { return end_; }
  // A string for the next message's text: one whose message went to the file or
  // was written out (up to kPooledTexts of them are kept), so a long session's
  // messages, and one short session after another, reuse the same buffers instead of
  // allocating one each. Empty when none is left.
  std::string take_text() {
    if (texts_.empty()) return {};
    std::string s = std::move(texts_.back());
    texts_.pop_back();
    return s;
  }
  // A vector for a new timeline: one that held an earlier session's (empty, its
  // capacity kept), else a new one with room for a short connection's whole timeline.
  std::vector<Entry> take_entries();
  // Keeps what `entries` (written to the file or written out) allocated for the
  // next ones: the messages' texts for take_text() and the vector for take_entries(),
  // within the pools' bounds. Leaves `entries` empty.
  void recycle(std::vector<Entry>& entries);
  static constexpr size_t kPooledTexts = 1024, kPooledTextBytes = 4096;
  static constexpr size_t kPooledTimelines = 256, kPooledTimelineEntries = 16, kNewTimelineEntries = 8;

  // Makes what was written readable by stream().
  bool sync() { return !file_ || std::fflush(file_.get()) == 0; }

 private:
  // Bytes read back and not parsed yet; not zeroed when it grows (a std::string's
  // resize would clear every chunk before pread overwrites it).
  struct ReadBuffer {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  // Streams the entries of one segment's body, read through `buf`.
  void stream_body(const Segment& body, ReadBuffer& buf, absl::FunctionRef<void(const Entry&)> fn) const;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, std::fclose};
  int fd_ = -1;  // file_'s, read by stream() on other threads without touching the FILE
  bool failed_ = false;
  uint64_t end_ = 0;
  OutBuf out_;                                 // what write() puts, reused
  std::vector<std::string> texts_;             // take_text()'s
  std::vector<std::vector<Entry>> timelines_;  // take_entries()'s
};

}  // namespace quartet::analyzer
