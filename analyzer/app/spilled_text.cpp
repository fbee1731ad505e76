#include "spilled_text.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace quartet::analyzer {

void SpilledText::spill_when_full() {
  if (text_.size() < kMemory || failed_) return;
  if (!file_.open() || !pwrite_all(file_.fd(), text_.data(), text_.size(), on_file_)) {
    failed_ = true;
    return;
  }
  on_file_ += text_.size();
  text_.clear();
}

void SpilledText::write_to(std::FILE* out) {
  constexpr size_t kReadChunk = 64u << 10;
  std::vector<char> chunk(on_file_ ? kReadChunk : 0);
  for (uint64_t at = 0; at < on_file_;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kReadChunk, on_file_ - at));
    if (!pread_all(file_.fd(), chunk.data(), n, at)) throw std::runtime_error("HTML report: scratch file read error");
    std::fwrite(chunk.data(), 1, n, out);
    at += n;
  }
  std::fwrite(text_.data(), 1, text_.size(), out);
}

}  // namespace quartet::analyzer
