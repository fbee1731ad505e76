#include "output_gather.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "text_relay.hpp"

namespace quartet::analyzer {

OutputGather::OutputGather(std::FILE* out) : out_(out), fd_(fileno(out)), eager_(fd_ >= 0 && isatty(fd_)) {
  pieces_.reserve(kMaxPieces);
  pins_.reserve(kMaxPieces);
}

void OutputGather::write_all(iovec* v, size_t n) {
  std::fflush(out_);  // what went through stdio before comes first
  while (n && fd_ >= 0) {
    const ssize_t w = ::writev(fd_, v, static_cast<int>(std::min<size_t>(n, IOV_MAX)));
    if (w < 0) {
      if (errno == EINTR) continue;
      break;  // the rest through stdio, which records the failure
    }
    // Past what was written (a pipe or a signal may cut a write short).
    auto done = static_cast<size_t>(w);
    while (n && done >= v->iov_len) {
      done -= v->iov_len;
      ++v;
      --n;
    }
    if (n) {
      v->iov_base = static_cast<char*>(v->iov_base) + done;
      v->iov_len -= done;
    }
  }
  for (; n; ++v, --n) std::fwrite(v->iov_base, 1, v->iov_len, out_);
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
  if (!pieces_.empty()) write_all(pieces_.data(), pieces_.size());
  for (const auto& [relay, seq] : pins_) relay->unpin(seq);
  pieces_.clear();
  pins_.clear();
  bytes_ = 0;
  own_used_ = 0;
}

}  // namespace quartet::analyzer
