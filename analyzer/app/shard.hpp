// --shard K/N: a run decodes only the TCP connections whose hash falls in shard K
// of N, so N runs over the same inputs (on as many machines) share the work and
// together print every session once. The hash depends only on the connection's
// two endpoints, in either direction, so it is the same on every machine.
#pragma once

#include <cstdint>
#include <string_view>

#include "stream_events.hpp"

namespace quartet::analyzer {

struct Shard {
  uint32_t index = 0;  // 0-based (the command line counts from 1, as GNU split -n K/N)
  uint32_t count = 1;  // 1 = no sharding
};

// "K/N" with 1 <= K <= N <= 65536; false when it is not that.
bool parse_shard(std::string_view text, Shard& out);

// A stable hash of the unordered endpoint pair (FNV-1a; not std::hash, which may differ between builds).
uint64_t connection_hash(const Endpoint& x, const Endpoint& y);

bool in_shard(const FlowInfo& flow, const Shard& shard);

}  // namespace quartet::analyzer
