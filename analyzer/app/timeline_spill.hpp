// Long sessions' timelines on disk: a session's messages and events are held
// until it is written (its summary line comes first, sessions in first-packet
// order), which on a connection open for the whole capture is the whole capture.
// Beyond a few hundred held entries they are appended, in a compact binary form,
// to one anonymous temporary file and read back when the session is written, so
// memory stays flat whatever the file size. The round trip is exact: the writers
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
  struct Segment {
    uint64_t offset = 0, size = 0;
    uint64_t entries = 0;  // how many it holds (the reader reserves room for them)
  };

  // Moves `entries` to the file (leaving it empty, its memory released). False,
  // with `entries` untouched, when no temporary file can be written.
  bool write(std::vector<Entry>& entries, Segment& out);
  // Appends the entries of `seg` to `out`. Throws std::runtime_error when the file cannot be read back.
  void read(const Segment& seg, std::vector<Entry>& out);
  uint64_t bytes() const { return end_; }

  // For a file written by one thread and read by another (a --threads worker hands
  // timelines to the output stage): sync() makes what was written readable by
  // read_shared(), which reads with pread (no shared file position or buffer);
  // rewind() reuses the file from its start once every segment handed out was read.
  bool sync() { return !file_ || std::fflush(file_.get()) == 0; }
  void read_shared(const Segment& seg, std::vector<Entry>& out) const;
  void rewind() { end_ = 0; }

 private:
  static void parse(const std::string& buf, std::vector<Entry>& out);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, std::fclose};
  bool failed_ = false;
  uint64_t end_ = 0;
  OutBuf out_;       // what write() puts, reused
  std::string buf_;  // what read() gets, reused
};

}  // namespace quartet::analyzer
