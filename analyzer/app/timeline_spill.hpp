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

#include "timeline.hpp"

namespace quartet::analyzer {

class TimelineSpill {
 public:
  struct Segment {
    uint64_t offset = 0, size = 0;
  };

  // Moves `entries` to the file (leaving it empty, its memory released). False,
  // with `entries` untouched, when no temporary file can be written.
  bool write(std::vector<Entry>& entries, Segment& out);
  // Appends the entries of `seg` to `out`. Throws std::runtime_error when the file cannot be read back.
  void read(const Segment& seg, std::vector<Entry>& out);
  uint64_t bytes() const { return end_; }

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, std::fclose};
  bool failed_ = false;
  uint64_t end_ = 0;
  std::string buf_;
};

}  // namespace quartet::analyzer
