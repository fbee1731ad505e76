#include "write_past_stdio.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "output.hpp"

namespace quartet::analyzer {

void write_past_stdio(std::FILE* out, int fd, iovec* v, size_t n) {
  std::fflush(out);  // what went through stdio before comes first
  while (n && fd >= 0) {
    const ssize_t w = ::writev(fd, v, static_cast<int>(std::min<size_t>(n, IOV_MAX)));
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
  for (; n; ++v, --n) std::fwrite(v->iov_base, 1, v->iov_len, out);
}

void FileSink::write(const char* data, size_t n) {
  if (n < kPastStdioFrom || fd_ < 0) {
    std::fwrite(data, 1, n, f_);
    return;
  }
  iovec one{const_cast<char*>(data), n};
  write_past_stdio(f_, fd_, &one, 1);
}

}  // namespace quartet::analyzer
