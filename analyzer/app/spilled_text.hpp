// Text that is built in order and written out once, at the end: the HTML report's
// sessions table, which the page needs before the run's summary but which only the
// run's end completes. Held whole, it grew with the capture (about 200 bytes a
// session, and the copy that finished the page twice that: 400 MB for 1,000,000
// connections). Beyond kMemory bytes it is moved to an anonymous scratch file and
// copied back to the output at the end, so its memory stays bounded whatever the
// capture's size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "timeline_spill.hpp"

namespace quartet::analyzer {

class SpilledText {
 public:
  static constexpr size_t kMemory = 256u << 10;
  // Appended to by the caller; moved to the file by spill_when_full().
  std::string& text() { return text_; }
  // Moves what text() holds to the file once it passes kMemory bytes. When no
  // scratch file can be made or written (no temporary folder, disk full), the text
  // stays in memory, as if there were no file.
  void spill_when_full();
  // Writes everything appended, in order: the file's part, then what memory holds.
  // Throws std::runtime_error when the file cannot be read back.
  void write_to(std::FILE* out);

 private:
  std::string text_;
  ScratchFile file_;
  uint64_t on_file_ = 0;
  bool failed_ = false;
};

}  // namespace quartet::analyzer
