// TCP header parsing.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.hpp"

namespace quartet::analyzer::net {

enum TcpFlag : uint8_t { kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20 };

struct TcpSegment {
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0, ack = 0;
  uint8_t flags = 0;
  Bytes payload;         // captured payload bytes
  uint32_t missing = 0;  // payload bytes on the wire but not captured (snaplen)
  bool has(uint8_t f) const { return (flags & f) != 0; }
};

// `l4` is the captured transport data, `l4_missing` what the capture cut off.
// False (with a reason) when not even the fixed 20-byte header was captured or
// the header is malformed.
bool parse_tcp(Bytes l4, uint32_t l4_missing, TcpSegment& out, std::string_view& problem);

}  // namespace quartet::analyzer::net
