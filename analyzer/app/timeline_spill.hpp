// Long sessions' timelines on disk: a session's messages and events are held
// until it is written (its summary line comes first, sessions in first-packet
// order), which on a connection open for the whole capture is the whole capture.
// Beyond a few hundred held entries they are appended, in a compact binary form,
// to one anonymous temporary file and streamed back, a chunk at a time, when the
// session is written, so memory stays flat whatever the file size. Segments are
// gathered in a buffer and written kWriteChunk at a time: a segment is a few kB, and
// a system call (or, through stdio, a seek, a read and two writes) for each one was
// a tenth of a long-session run's time. The round trip is exact: the writers
// see the same entries as if they had stayed in memory.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "out_buf.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

// Reads `n` bytes at `offset` of `fd` (pread: no file position); false on error or end of file.
bool pread_all(int fd, char* to, size_t n, uint64_t offset);
// Writes `n` bytes at `offset` of `fd` (pwrite); false when the file cannot take them all.
bool pwrite_all(int fd, const char* from, size_t n, uint64_t offset);

// An anonymous temporary file (gone at close), made at its first use in $TMPDIR,
// else /tmp, and then read and written with pread_all and pwrite_all only (no FILE
// buffer). Not tmpfile(): glibc's looks at /tmp only, and a small /tmp (a tmpfs)
// is what TMPDIR is set to avoid.
class ScratchFile {
 public:
  ScratchFile() = default;
  ScratchFile(ScratchFile&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  ScratchFile& operator=(ScratchFile&& o) noexcept;
  ~ScratchFile();
  // Made now if it was not yet; false when no temporary file can be made in
  // $TMPDIR (when set) nor in /tmp.
  bool open();
  int fd() const { return fd_; }  // -1 until open()
  // Its blocks and cached pages back now (it stays open, empty).
  void empty();

 private:
  int fd_ = -1;
};

class TimelineSpill {
 public:
  using Segment = SpillSegment;
  // Bytes of the file read at once when a segment is streamed back (more only for
  // one entry larger than this).
  static constexpr size_t kReadChunk = 64u << 10;
  // Bytes of segments gathered before they are written to the file (by default;
  // set_write_chunk gives a --threads worker its share).
  static constexpr size_t kWriteChunk = 256u << 10;
  static constexpr size_t kMinWriteChunk = 32u << 10;
  void set_write_chunk(size_t bytes) { write_chunk_ = std::max(bytes, kMinWriteChunk); }

  // Moves `entries` to the file as one more segment of `chain` (leaving `entries`
  // empty, its storage given to recycle()). False, with both untouched, when no
  // temporary file can be written. Segments gathered before a write failed stay
  // readable: the buffer that holds them is kept, and nothing more is added to it.
  bool write(std::vector<Entry>& entries, SpillChain& chain);
  // A session with segments in the file packs each next entry as it comes, while
  // its texts are still in the cache, into a body of its own (one contiguous
  // buffer), instead of holding it as a MessageOut or EventOut until its next
  // segment is written: with hundreds of long sessions interleaved, held entries
  // were cold by then, and copying them out was a sixth of a small-PDU run.
  static void pack(OutBuf& body, const MessageOut& m);
  static void pack(OutBuf& body, const EventOut& e);
  // Moves a packed body to the file as one more segment of `chain` (leaving `body`
  // empty). False, with both untouched, when no temporary file can be written.
  bool write_packed(OutBuf& body, SpillChain& chain);
  // The entries of a packed body, appended to `out` (when it could not be written).
  static void unpack(std::string_view body, std::vector<Entry>& out);

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
  // was written out (up to kPooledTexts of them are kept, set_pool_bounds), so a long session's
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
  // Keeps one message's text storage for take_text(), within the pool's bounds.
  void recycle_text(std::string&& s);
  static constexpr size_t kPooledTexts = 1024, kPooledTextBytes = 4096;
  static constexpr size_t kPooledTimelines = 256, kPooledTimelineEntries = 16, kNewTimelineEntries = 8;
  // At most `texts` texts and `timelines` vectors pooled (a --threads worker's share:
  // full, every worker's pool of texts added up to 0.4 MiB to the peak heap).
  void set_pool_bounds(size_t texts, size_t timelines) {
    pooled_texts_ = texts;
    pooled_timelines_ = timelines;
  }

  // Makes what was written readable by stream() on another thread: writes the
  // gathered segments (if that fails, they stay in memory, where stream() finds them).
  void sync() {
    if (!pending_.empty() && !failed_) flush();
  }
  // No chain written so far will be read again: the file's blocks and cached pages
  // are given back now, on the calling thread, instead of when the file is closed
  // (which the thread that destroys this does). Later writes make new chains.
  void discard();

 private:
  // Bytes read back and not parsed yet; not zeroed when it grows (a std::string's
  // resize would clear every chunk before pread overwrites it).
  struct ReadBuffer {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  // Streams the entries of one segment's body, read through `buf`.
  void stream_body(const Segment& body, ReadBuffer& buf, absl::FunctionRef<void(const Entry&)> fn) const;
  // Starts a segment in pending_ (false: no file); end_segment() frames what was
  // appended after `start` as one more segment of `chain`.
  bool begin_segment(SpillChain& chain, size_t& start);
  bool end_segment(size_t start, SpillChain& chain);
  // Writes pending_ at written_; on failure keeps it (failed_).
  void flush();
  // `n` bytes at `offset`, from the file or, past what was written, from pending_.
  void read_at(char* to, size_t n, uint64_t offset) const;
  ScratchFile file_;
  bool failed_ = false;
  uint64_t end_ = 0;  // the end of what write() took, in the file or in pending_
  // Bytes in the file; those from it to end_ are in pending_. Read by stream() on
  // other threads, which only read chains that were sync()ed before they got them.
  std::atomic<uint64_t> written_ = 0;
  size_t write_chunk_ = kWriteChunk;
  OutBuf pending_;                             // segments not written yet
  std::vector<std::string> texts_;             // take_text()'s
  std::vector<std::vector<Entry>> timelines_;  // take_entries()'s
  size_t pooled_texts_ = kPooledTexts, pooled_timelines_ = kPooledTimelines;
};

}  // namespace quartet::analyzer
