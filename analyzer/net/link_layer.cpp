#include "net/link_layer.hpp"

#include <pcap/dlt.h>

namespace quartet::analyzer::net {
namespace {

constexpr uint16_t kEtherIPv4 = 0x0800;
constexpr uint16_t kEtherIPv6 = 0x86dd;

constexpr uint16_t kEtherMpls = 0x8847;
constexpr uint16_t kEtherMplsMulticast = 0x8848;
constexpr uint16_t kEtherPppoeSession = 0x8864;

// Raw IP: the version nibble says which.
LinkResult raw_ip(Bytes f, size_t off) {
  if (off >= f.size()) return {L3Kind::Truncated, 0, 0};
  switch (be8(f, off) >> 4) {
    case 4: return {L3Kind::IPv4, off, kEtherIPv4};
    case 6: return {L3Kind::IPv6, off, kEtherIPv6};
    default: return {L3Kind::Other, off, 0};
  }
}

// MPLS label stack (4 bytes per label, S bit ends it); the payload's type is
// not signalled, so IP is recognised by its version nibble (as Wireshark's heuristic).
LinkResult after_mpls(Bytes f, size_t off, uint16_t type) {
  for (int labels = 0; labels < 16; ++labels) {
    if (off + 4 > f.size()) return {L3Kind::Truncated, 0, 0};
    const bool bottom = (be8(f, off + 2) & 1) != 0;
    off += 4;
    if (bottom) {
      LinkResult r = raw_ip(f, off);
      if (r.kind == L3Kind::Other) r.ethertype = type;
      return r;
    }
  }
  return {L3Kind::Other, off, type};
}

// PPPoE session: version/type(1) code(1) session(2) length(2), then the PPP protocol (2).
LinkResult after_pppoe(Bytes f, size_t off, uint16_t type) {
  if (off + 8 > f.size()) return {L3Kind::Truncated, 0, 0};
  const uint16_t ppp = be16(f, off + 6);
  if (ppp == 0x0021) return {L3Kind::IPv4, off + 8, kEtherIPv4};
  if (ppp == 0x0057) return {L3Kind::IPv6, off + 8, kEtherIPv6};
  return {L3Kind::Other, off + 8, type};
}

bool is_vlan_tag(uint16_t type) { return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200; }

// Follows VLAN tags from an EtherType at `off` (the type field itself).
LinkResult from_ethertype(Bytes f, size_t type_off) {
  size_t off = type_off;
  for (int depth = 0;; ++depth) {
    if (off + 2 > f.size()) return {L3Kind::Truncated, 0, 0};
    const uint16_t type = be16(f, off);
    if (is_vlan_tag(type) && depth < 8) {
      off += 4;  // tag control (2) + inner type
      continue;
    }
    if (type == kEtherIPv4) return {L3Kind::IPv4, off + 2, type};
    if (type == kEtherIPv6) return {L3Kind::IPv6, off + 2, type};
    if (type == kEtherMpls || type == kEtherMplsMulticast) return after_mpls(f, off + 2, type);
    if (type == kEtherPppoeSession) return after_pppoe(f, off + 2, type);
    return {L3Kind::Other, off + 2, type};
  }
}

// BSD address families for IPv6 differ per OS: NetBSD/OpenBSD 24, FreeBSD 28,
// Darwin 30, Linux 10.
LinkResult from_family(uint32_t af) {
  if (af == 2) return {L3Kind::IPv4, 4, kEtherIPv4};
  if (af == 10 || af == 24 || af == 28 || af == 30) return {L3Kind::IPv6, 4, kEtherIPv6};
  return {L3Kind::Other, 4, 0};
}

}  // namespace

bool link_type_supported(int dlt) {
  switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP: return true;
    default: return false;
  }
}

LinkResult parse_link(int dlt, Bytes f) {
  switch (dlt) {
    case DLT_EN10MB:
      // dst(6) src(6) type(2); a type below 0x600 is an 802.3 length (LLC follows).
      if (f.size() < 14) return {L3Kind::Truncated, 0, 0};
      if (be16(f, 12) < 0x600) return {L3Kind::Other, 14, 0};
      return from_ethertype(f, 12);
    case DLT_LINUX_SLL:
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      if (f.size() < 16) return {L3Kind::Truncated, 0, 0};
      return from_ethertype(f, 14);
    case DLT_LINUX_SLL2:
      // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) address length(1) address(8)
      if (f.size() < 20) return {L3Kind::Truncated, 0, 0};
      {
        const uint16_t type = be16(f, 0);
        if (type == kEtherIPv4) return {L3Kind::IPv4, 20, type};
        if (type == kEtherIPv6) return {L3Kind::IPv6, 20, type};
        if (is_vlan_tag(type)) {
          // The tag follows the header: TCI(2) inner type(2).
          LinkResult r = from_ethertype(f, 22);
          return r;
        }
        return {L3Kind::Other, 20, type};
      }
    case DLT_RAW: return raw_ip(f, 0);
    case DLT_IPV4:
      return raw_ip(f, 0).kind == L3Kind::Truncated ? LinkResult{L3Kind::Truncated, 0, 0}
                                                    : LinkResult{L3Kind::IPv4, 0, kEtherIPv4};
    case DLT_IPV6:
      return raw_ip(f, 0).kind == L3Kind::Truncated ? LinkResult{L3Kind::Truncated, 0, 0}
                                                    : LinkResult{L3Kind::IPv6, 0, kEtherIPv6};
    case DLT_NULL: {
      // The family is in the capturing host's byte order: accept either.
      if (f.size() < 4) return {L3Kind::Truncated, 0, 0};
      const uint32_t be = be32(f, 0);
      const uint32_t le = (be >> 24) | ((be >> 8) & 0xff00) | ((be << 8) & 0xff0000) | (be << 24);
      const LinkResult r = from_family(be);
      return r.kind != L3Kind::Other ? r : from_family(le);
    }
    case DLT_LOOP:  // OpenBSD loopback: always network byte order
      if (f.size() < 4) return {L3Kind::Truncated, 0, 0};
      return from_family(be32(f, 0));
    default: return {L3Kind::Unsupported, 0, 0};
  }
}

}  // namespace quartet::analyzer::net
