#include "net/tcp_stream.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {

TcpStream::Insert TcpStream::insert(uint64_t at, Bytes data, uint64_t lost, TimeNs ts, bool has_need, uint64_t need) {
  Insert r;
  const uint64_t size = data.empty() ? lost : data.size();
  const uint64_t end = at + size;
  ChunkMap::Map& m = chunks.map();
  auto it = m.upper_bound(at);
  if (it != m.begin()) {
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
    m.emplace_hint(it, from, std::move(c));
    buffered += to - from;
    r.added += to - from;
  };
  uint64_t pos = at;
  while (pos < end) {
    if (it == m.end() || it->first >= end) {
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

void TcpStream::grow_tail(size_t cap, uint64_t from, uint64_t to) {
  const size_t old_cap = tail_cap;
  std::byte small[kInlineTail];  // a ring that fits in place is made here first (it may be the old one's place)
  std::byte* ring = cap > kInlineTail ? new std::byte[cap] : small;
  // Copied in runs where neither ring wraps (not byte by byte with two divisions each).
  for (uint64_t off = from; old_cap && off < to;) {
    const auto src = static_cast<size_t>(off % old_cap), dst = static_cast<size_t>(off % cap);
    const size_t n = std::min({static_cast<size_t>(to - off), old_cap - src, cap - dst});
    std::memcpy(ring + dst, tail() + src, n);
    off += n;
  }
  drop_tail();
  if (cap > kInlineTail) tail_heap = ring;
  else std::memcpy(tail_inline, small, cap);
  tail_cap = static_cast<uint32_t>(cap);
}

void TcpStream::remember_at(Bytes b, uint64_t end) {
  const size_t cap = tail_cap;
  if (cap == 0) return;
  if (b.size() > cap) b = b.last(cap);
  size_t pos = static_cast<size_t>((end - b.size()) % cap);
  const size_t first = std::min(b.size(), cap - pos);
  std::byte* ring = tail();
  std::memcpy(ring + pos, b.data(), first);
  std::memcpy(ring, b.data() + first, b.size() - first);
}

int64_t TcpStream::differs_from_tail(uint64_t at, Bytes data) const {
  const size_t cap = tail_cap;
  if (cap == 0 || data.empty()) return -1;
  const uint64_t lo = std::max({at, tail_from, next > cap ? next - cap : 0});
  const uint64_t hi = std::min<uint64_t>(at + data.size(), next);
  const std::byte* ring = tail();
  for (uint64_t off = lo; off < hi; ++off)
    if (ring[static_cast<size_t>(off % cap)] != data[static_cast<size_t>(off - at)]) return static_cast<int64_t>(off);
  return -1;
}

}  // namespace quartet::analyzer::net
