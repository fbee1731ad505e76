// Where decoding can start again after a gap or an invalid frame: the two shapes of
// the descriptor's resync hook (Protocol::resync). Both wrappers call the hook, so
// the plugin and the analyzer resume at the same byte.
//
// A candidate is an offset where the protocol's heuristic (probe) says Yes or cannot
// tell yet (NeedMore: the bytes run out, so the caller waits for more before
// committing). Offsets before `from` are not candidates: after an invalid frame the
// callers pass 1, so that the bytes that failed are never tried again.
#pragma once

#include <cstddef>
#include <cstring>
#include <optional>

#include "bytes.hpp"
#include "frame.hpp"

namespace quartet {

// Text protocols: PDUs start at a line start (offset 0 counts as one: a gap ends
// on a segment boundary more often than not). nullopt: no line start from `from` on
// (callers keep the last byte, since it decides whether the next one starts a line).
template <Probe (*P)(Bytes)>
std::optional<size_t> resync_at_line_start(Bytes s, size_t from) {
  size_t i = from;
  while (i <= s.size()) {
    if ((i == 0 || s[i - 1] == std::byte{'\n'}) && P(s.subspan(i)) != Probe::No) return i;
    if (i == s.size()) break;
    const void* nl = std::memchr(s.data() + i, '\n', s.size() - i);
    if (!nl) break;
    i = static_cast<size_t>(static_cast<const std::byte*>(nl) - s.data()) + 1;
  }
  return std::nullopt;
}

// Binary protocols whose header can be recognised (COPS: version, op-code, length,
// first object): every byte offset is tried.
template <Probe (*P)(Bytes)>
std::optional<size_t> resync_at_any_byte(Bytes s, size_t from) {
  for (size_t i = from; i <= s.size(); ++i)
    if (P(s.subspan(i)) != Probe::No) return i;
  return std::nullopt;
}

}  // namespace quartet
