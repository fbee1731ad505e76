// Large output written with writev on the stream's descriptor, not copied into
// stdio's buffer first: the JSONL writer's 64 KiB chunks and the --threads output
// stage's gathered sessions (OutputGather).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdio>

namespace quartet::analyzer {

// Writes the `n` pieces at `v` to `out`, after what stdio holds (flushed first), on
// the descriptor `fd` (fileno(out)). A piece a write call does not take (an error)
// goes through stdio with the rest, which then fails as well and sets the stream's
// error flag, checked at exit as for any output. With `fd` -1 (a stream without a
// descriptor), all of it goes through stdio. `v` is consumed.
void write_past_stdio(std::FILE* out, int fd, iovec* v, size_t n);

}  // namespace quartet::analyzer
