#include "shard.hpp"

#include <charconv>
#include <tuple>

namespace quartet::analyzer {
namespace {

bool parse_u32(std::string_view s, uint32_t& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

void fnv1a(uint64_t& h, const Endpoint& e) {
  const auto mix = [&h](uint8_t b) { h = (h ^ b) * 1099511628211ull; };
  mix(e.v6);
  for (size_t i = 0; i < (e.v6 ? 16u : 4u); ++i) mix(e.addr[i]);
  mix(static_cast<uint8_t>(e.port >> 8));
  mix(static_cast<uint8_t>(e.port));
}

}  // namespace

bool parse_shard(std::string_view text, Shard& out) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  uint32_t k = 0, n = 0;
  if (!parse_u32(text.substr(0, slash), k) || !parse_u32(text.substr(slash + 1), n)) return false;
  if (n == 0 || n > 65536 || k == 0 || k > n) return false;
  out = {k - 1, n};
  return true;
}

uint64_t connection_hash(const Endpoint& x, const Endpoint& y) {
  const bool x_first = std::tie(x.v6, x.addr, x.port) < std::tie(y.v6, y.addr, y.port);
  uint64_t h = 1469598103934665603ull;
  fnv1a(h, x_first ? x : y);
  fnv1a(h, x_first ? y : x);
  return h;
}

bool in_shard(const FlowInfo& flow, const Shard& shard) {
  return shard.count <= 1 || connection_hash(flow.client, flow.server) % shard.count == shard.index;
}

}  // namespace quartet::analyzer
