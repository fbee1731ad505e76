#include "net/tcp_stream.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {

TcpStream::Insert TcpStream::insert(uint64_t at, Bytes data, uint64_t lost, TimeNs ts,
                                    bool has_need, uint64_t need) {
  Insert r;
  const uint64_t size = data.empty() ? lost : data.size();
  const uint64_t end = at + size;
  auto it = chunks.upper_bound(at);
  if (it != chunks.begin()) {
    auto prev = std::prev(it);
    if (prev->first + prev->second.size() > at) it = prev;
  }
  auto add = [&](uint64_t from, uint64_t to) {
    TcpChunk c;
    if (data.empty()) {
      c.lost = to - from;
    } else {
      const auto* p = data.data() + (from - at);
      c.data.assign(p, p + (to - from));
    }
    c.ts = ts;
    c.has_need = has_need;
    c.need = need;
    chunks.emplace_hint(it, from, std::move(c));
    buffered += to - from;
    r.added += to - from;
  };
  uint64_t pos = at;
  while (pos < end) {
    if (it == chunks.end() || it->first >= end) {
      add(pos, end);
      break;
    }
    if (it->first > pos) {
      add(pos, it->first);
      pos = it->first;
      continue;
    }
    const TcpChunk& old = it->second;
    const uint64_t oend = std::min(end, it->first + old.size());
    if (!data.empty() && !old.data.empty() && !r.differs) {
      const auto* a = old.data.data() + (pos - it->first);
      const auto* b = data.data() + (pos - at);
      const size_t n = oend - pos;
      if (std::memcmp(a, b, n) != 0) {
        r.differs = true;
        size_t k = 0;
        while (k < n && a[k] == b[k]) ++k;
        r.differ_at = pos + k;
      }
    }
    pos = oend;
    ++it;
  }
  return r;
}

}  // namespace quartet::analyzer::net
