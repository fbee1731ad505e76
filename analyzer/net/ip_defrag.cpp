#include "net/ip_defrag.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {

void Defragmenter::drop(std::map<Key, Datagram>::iterator it) {
  total_bytes_ -= it->second.bytes;
  datagrams_.erase(it);
}

void Defragmenter::expire(TimeNs now) {
  for (auto it = datagrams_.begin(); it != datagrams_.end();) {
    auto cur = it++;
    if (now - cur->second.first_ts > limits_.timeout) {
      ++stats_.expired;
      drop(cur);
    }
  }
}

std::optional<Bytes> Defragmenter::add(const IpHeader& h, TimeNs now, uint8_t& proto,
                                       const std::function<void(const std::string&)>& warn) {
  ++stats_.fragments;
  if (h.payload_missing > 0) {
    ++stats_.truncated_fragments;
    return std::nullopt;
  }
  Key key{h.src, h.dst, h.frag_id, h.v6 ? uint8_t{0} : h.proto, h.v6};
  auto it = datagrams_.find(key);
  if (it == datagrams_.end()) it = datagrams_.emplace(key, Datagram{}).first;
  Datagram& d = it->second;
  if (d.pieces.empty()) d.first_ts = now;

  const uint64_t start = h.frag_offset;
  const uint64_t end = start + h.payload.size();
  if (end > limits_.max_datagram) {
    ++stats_.oversized;
    warn("fragmented IP datagram larger than " + std::to_string(limits_.max_datagram) + " bytes dropped");
    drop(it);
    return std::nullopt;
  }
  if (!h.more_fragments) {
    if (d.total && *d.total != end) {
      warn("fragmented IP datagram with two different ends dropped");
      drop(it);
      return std::nullopt;
    }
    d.total = static_cast<uint32_t>(end);
  }
  if (h.frag_offset == 0) {
    d.have_first = true;
    d.proto = h.proto;
  }

  // Insert the parts not yet covered; the first copy of every byte wins.
  bool differs = false;
  uint64_t pos = start;
  auto pit = d.pieces.upper_bound(static_cast<uint32_t>(start));
  if (pit != d.pieces.begin()) {
    auto prev = std::prev(pit);
    if (prev->first + prev->second.size() > start) pit = prev;
  }
  auto insert_piece = [&](uint64_t from, uint64_t to) {
    if (d.pieces.size() >= limits_.max_fragments) return false;
    const auto* src = h.payload.data() + (from - start);
    d.pieces.emplace_hint(pit, static_cast<uint32_t>(from), std::vector<std::byte>(src, src + (to - from)));
    d.bytes += to - from;
    total_bytes_ += to - from;
    return true;
  };
  bool ok = true;
  while (ok && pos < end) {
    if (pit == d.pieces.end() || pit->first >= end) {
      ok = insert_piece(pos, end);
      break;
    }
    if (pit->first > pos) {
      ok = insert_piece(pos, pit->first);
      pos = pit->first;
      continue;
    }
    const uint64_t oend = std::min<uint64_t>(end, pit->first + pit->second.size());
    if (std::memcmp(pit->second.data() + (pos - pit->first), h.payload.data() + (pos - start), oend - pos) != 0)
      differs = true;
    pos = oend;
    ++pit;
  }
  if (!ok) {
    ++stats_.too_many_fragments;
    warn("fragmented IP datagram with more than " + std::to_string(limits_.max_fragments) + " fragments dropped");
    drop(it);
    return std::nullopt;
  }
  if (differs) {
    ++stats_.overlaps_differing;
    warn("overlapping IP fragments with different bytes (first kept)");
  }

  // Keep the total bounded: evict the oldest incomplete datagrams.
  while (total_bytes_ > limits_.max_total_bytes && datagrams_.size() > 1) {
    auto oldest = datagrams_.end();
    for (auto j = datagrams_.begin(); j != datagrams_.end(); ++j)
      if (j != it && (oldest == datagrams_.end() || j->second.first_ts < oldest->second.first_ts)) oldest = j;
    if (oldest == datagrams_.end()) break;
    ++stats_.evicted;
    drop(oldest);
  }

  // Complete when the end is known and the pieces cover 0..end without holes.
  if (!d.total || !d.have_first) return std::nullopt;
  uint64_t covered = 0;
  for (const auto& [off, bytes] : d.pieces) {
    if (off > covered) return std::nullopt;
    covered = std::max<uint64_t>(covered, off + bytes.size());
  }
  if (covered < *d.total) return std::nullopt;
  assembled_.assign(*d.total, std::byte{0});
  for (const auto& [off, bytes] : d.pieces) {
    if (off >= *d.total) break;
    const size_t n = std::min<size_t>(bytes.size(), *d.total - off);
    std::memcpy(assembled_.data() + off, bytes.data(), n);
  }
  proto = d.proto;
  ++stats_.reassembled;
  drop(it);
  return Bytes(assembled_.data(), assembled_.size());
}

}  // namespace quartet::analyzer::net
