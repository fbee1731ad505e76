// IPv4 / IPv6 fragment reassembly with bounded memory.
//
// Policy: the first copy of a byte wins (as for TCP); an overlap whose bytes
// differ is counted and reported. Limits: a datagram may not exceed 65535
// bytes of payload (larger offsets: the datagram is dropped as oversized), may
// hold at most `max_fragments` pieces, and all incomplete datagrams together
// hold at most `max_total_bytes` (the oldest is evicted beyond that).
// Incomplete datagrams expire after `timeout` of capture time (Linux: 30 s).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/session.hpp"  // TimeNs
#include "net/ip_layer.hpp"

namespace quartet::analyzer::net {

struct DefragLimits {
  size_t max_datagram = 65535;
  size_t max_fragments = 256;
  size_t max_total_bytes = 32u << 20;
  TimeNs timeout = 30'000'000'000;
};

struct DefragStats {
  uint64_t fragments = 0;
  uint64_t reassembled = 0;
  uint64_t overlaps_differing = 0;
  uint64_t oversized = 0;
  uint64_t too_many_fragments = 0;
  uint64_t expired = 0;
  uint64_t evicted = 0;
  uint64_t truncated_fragments = 0;  // snaplen-cut fragments: cannot be reassembled
};

class Defragmenter {
 public:
  explicit Defragmenter(DefragLimits limits = {}) : limits_(limits) {}

  // Feeds one fragment (h.fragment is true). Returns the complete datagram's
  // transport payload (and sets `proto`) when this fragment completes it; the
  // bytes stay valid until the next call. `warn` receives findings worth a line.
  std::optional<Bytes> add(const IpHeader& h, TimeNs now, uint8_t& proto,
                           const std::function<void(const std::string&)>& warn);
  // Drops datagrams older than the timeout.
  void expire(TimeNs now);

  const DefragStats& stats() const { return stats_; }
  size_t buffered_bytes() const { return total_bytes_; }
  size_t pending() const { return datagrams_.size(); }

 private:
  struct Key {
    std::array<uint8_t, 16> src, dst;
    uint32_t id;
    uint8_t proto;  // IPv4 only (IPv6 keys on src, dst, id)
    bool v6;
    auto operator<=>(const Key&) const = default;
  };
  struct Datagram {
    std::map<uint32_t, std::vector<std::byte>> pieces;  // non-overlapping, by offset
    size_t bytes = 0;
    std::optional<uint32_t> total;  // known once the last fragment arrived
    uint8_t proto = 0;              // transport protocol (IPv6: from the offset-0 fragment)
    bool have_first = false;
    TimeNs first_ts = 0;
  };
  void drop(std::map<Key, Datagram>::iterator it);

  DefragLimits limits_;
  DefragStats stats_;
  std::map<Key, Datagram> datagrams_;
  size_t total_bytes_ = 0;
  std::vector<std::byte> assembled_;
};

}  // namespace quartet::analyzer::net
