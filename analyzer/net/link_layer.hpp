// Link layers: find the network-layer packet inside a captured frame.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/bytes.hpp"

namespace quartet::analyzer::net {

enum class L3Kind : uint8_t {
  IPv4,
  IPv6,
  Other,        // a supported link type carrying something else (ARP, LLC...)
  Unsupported,  // a link type we do not parse
  Truncated,    // the link header itself is cut short
};

struct LinkResult {
  L3Kind kind = L3Kind::Unsupported;
  size_t offset = 0;       // where the network-layer header starts
  uint16_t ethertype = 0;  // for Other: what it carried (0 when not an EtherType)
};

bool link_type_supported(int dlt);

// Ethernet (802.1Q, QinQ 0x88a8/0x9100, MPLS, PPPoE session), Linux SLL and SLL2, raw IP
// (DLT_RAW, LINKTYPE_IPV4/IPV6), BSD loopback DLT_NULL (either byte order) and DLT_LOOP.
LinkResult parse_link(int dlt, Bytes frame);

}  // namespace quartet::analyzer::net
