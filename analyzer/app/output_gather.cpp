#include "output_gather.hpp"

#include <unistd.h>

#include <algorithm>

#include "text_relay.hpp"
#include "write_past_stdio.hpp"

namespace quartet::analyzer {

OutputGather::OutputGather(std::FILE* out) : out_(out), fd_(fileno(out)), eager_(fd_ >= 0 && isatty(fd_)) {
  pieces_.reserve(kMaxPieces);
  pins_.reserve(kMaxPieces);
}

char* OutputGather::room(size_t n) {
  if (own_size_ - own_used_ < n || pieces_.size() >= kMaxPieces) flush();
  if (own_size_ < n) {  // (empty now: nothing points into it)
    own_size_ = std::max(n, kMaxBytes);
    own_ = std::make_unique_for_overwrite<char[]>(own_size_);
  }
  return own_.get() + own_used_;
}

void OutputGather::flush() {
  if (!pieces_.empty()) write_past_stdio(out_, fd_, pieces_.data(), pieces_.size());
  for (const auto& [relay, seq] : pins_) relay->unpin(seq);
  pieces_.clear();
  pins_.clear();
  bytes_ = 0;
  own_used_ = 0;
}

}  // namespace quartet::analyzer
