// IPv4 and IPv6 header parsing (IPv6 extension headers included).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bytes.hpp"

namespace quartet::analyzer::net {

constexpr uint8_t kProtoTcp = 6;

struct IpHeader {
  bool v6 = false;
  std::array<uint8_t, 16> src{}, dst{};  // IPv4 in the first 4 bytes
  uint8_t proto = 0;                     // transport protocol (IPv6: after the extension chain)
  Bytes payload;                         // captured transport bytes
  uint32_t payload_missing = 0;          // declared by the header but not captured (snaplen)
  // Fragments: `payload` is this fragment's data at byte `frag_offset`.
  bool fragment = false;
  bool more_fragments = false;
  uint32_t frag_offset = 0;
  uint32_t frag_id = 0;
};

enum class IpStatus : uint8_t { Ok, Bad };

struct IpResult {
  IpStatus status = IpStatus::Bad;
  std::string_view problem;  // for Bad: a short static description
  IpHeader h;
};

// `wire_len` is how many bytes the packet had on the wire from this header on
// (more than pkt.size() when the capture cut it at the snaplen).
IpResult parse_ipv4(Bytes pkt, size_t wire_len);
IpResult parse_ipv6(Bytes pkt, size_t wire_len);

// Walks IPv6 extension headers starting with `next` at the start of `data`
// (used again after fragment reassembly). Returns false for a malformed chain.
struct ChainEnd {
  uint8_t proto = 0;
  size_t offset = 0;             // transport header offset in `data`
  bool fragment_header = false;  // stopped at a fragment header (offset: after it)
  size_t fragment_header_offset = 0;
};
bool walk_ipv6_chain(uint8_t next, Bytes data, ChainEnd& end, std::string_view& problem);

}  // namespace quartet::analyzer::net
