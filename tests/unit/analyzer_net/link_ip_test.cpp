// Link-layer and IP parsing, IPv6 extension headers and fragment reassembly.
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "net/ip_defrag.hpp"
#include "net/ip_layer.hpp"
#include "net/link_layer.hpp"
#include "packet_builder.hpp"

namespace quartet::analyzer::net {
namespace {

using namespace test;

Bytes view(const Buf& b) { return {reinterpret_cast<const std::byte*>(b.data()), b.size()}; }

TEST(LinkLayer, EthernetPlainVlanAndQinQ) {
  const Buf ip = ipv4(1, 2, 6, tcp(1, 2, 0, 0, 0x10, ""));
  LinkResult r = parse_link(DLT_EN10MB, view(ether(0x0800, ip)));
  EXPECT_EQ(r.kind, L3Kind::IPv4);
  EXPECT_EQ(r.offset, 14u);
  r = parse_link(DLT_EN10MB, view(ether(0x86dd, ip, {0x8100, 100})));
  EXPECT_EQ(r.kind, L3Kind::IPv6);
  EXPECT_EQ(r.offset, 18u);
  r = parse_link(DLT_EN10MB, view(ether(0x0800, ip, {0x88a8, 10, 0x8100, 20})));
  EXPECT_EQ(r.kind, L3Kind::IPv4);
  EXPECT_EQ(r.offset, 22u);
  r = parse_link(DLT_EN10MB, view(ether(0x0800, ip, {0x9100, 10, 0x8100, 20})));
  EXPECT_EQ(r.offset, 22u);
  r = parse_link(DLT_EN10MB, view(ether(0x0806, Buf(28, 0))));  // ARP
  EXPECT_EQ(r.kind, L3Kind::Other);
  EXPECT_EQ(r.ethertype, 0x0806);
  Buf cut = ether(0x0800, ip, {0x8100, 1});
  cut.resize(15);
  EXPECT_EQ(parse_link(DLT_EN10MB, view(cut)).kind, L3Kind::Truncated);
}

TEST(LinkLayer, LinuxCookedV1AndV2) {
  Buf sll(14, 0);
  put16(sll, 0x86dd);
  Buf sll_vlan(14, 0);
  put16(sll_vlan, 0x8100);
  put16(sll_vlan, 5);
  put16(sll_vlan, 0x0800);
  Buf sll2;
  put16(sll2, 0x0800);
  sll2.resize(20, 0);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL, view(sll)).kind, L3Kind::IPv6);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL, view(sll)).offset, 16u);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL, view(sll_vlan)).kind, L3Kind::IPv4);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL, view(sll_vlan)).offset, 20u);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL2, view(sll2)).kind, L3Kind::IPv4);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL2, view(sll2)).offset, 20u);
  sll2.resize(19);
  EXPECT_EQ(parse_link(DLT_LINUX_SLL2, view(sll2)).kind, L3Kind::Truncated);
}

TEST(LinkLayer, RawNullAndLoop) {
  const Buf v4 = ipv4(1, 2, 6, {});
  const Buf v6 = ipv6(1, 2, 59, {});
  EXPECT_EQ(parse_link(DLT_RAW, view(v4)).kind, L3Kind::IPv4);
  EXPECT_EQ(parse_link(DLT_RAW, view(v6)).kind, L3Kind::IPv6);
  EXPECT_EQ(parse_link(DLT_IPV4, view(v4)).kind, L3Kind::IPv4);
  EXPECT_EQ(parse_link(DLT_IPV6, view(v6)).kind, L3Kind::IPv6);
  Buf null_le;
  le32(null_le, 2);  // AF_INET, little-endian host
  append(null_le, v4);
  Buf null_be;
  put32(null_be, 30);  // AF_INET6 on Darwin, big-endian host
  append(null_be, v6);
  EXPECT_EQ(parse_link(DLT_NULL, view(null_le)).kind, L3Kind::IPv4);
  EXPECT_EQ(parse_link(DLT_NULL, view(null_le)).offset, 4u);
  EXPECT_EQ(parse_link(DLT_NULL, view(null_be)).kind, L3Kind::IPv6);
  Buf loop;
  put32(loop, 24);
  append(loop, v6);
  EXPECT_EQ(parse_link(DLT_LOOP, view(loop)).kind, L3Kind::IPv6);
  EXPECT_EQ(parse_link(DLT_IEEE802_11, view(v4)).kind, L3Kind::Unsupported);
  EXPECT_FALSE(link_type_supported(DLT_IEEE802_11));
}

TEST(LinkLayer, MplsAndPppoeOverEthernet) {
  const Buf ip = ipv4(1, 2, 6, tcp(1, 2, 0, 0, 0x10, ""));
  Buf mpls;
  put32(mpls, (100u << 12) | 64);          // label 100, not bottom
  put32(mpls, (200u << 12) | 0x100 | 64);  // label 200, bottom of stack
  append(mpls, ip);
  LinkResult r = parse_link(DLT_EN10MB, view(ether(0x8847, mpls)));
  EXPECT_EQ(r.kind, L3Kind::IPv4);
  EXPECT_EQ(r.offset, 22u);
  Buf pppoe{0x11, 0x00, 0x12, 0x34};
  put16(pppoe, static_cast<uint16_t>(ip.size() + 2));
  put16(pppoe, 0x0057);  // IPv6
  append(pppoe, ipv6(1, 2, 59, {}));
  r = parse_link(DLT_EN10MB, view(ether(0x8864, pppoe, {0x8100, 3})));
  EXPECT_EQ(r.kind, L3Kind::IPv6);
  EXPECT_EQ(r.offset, 26u);
  Buf cut = ether(0x8847, Buf{0, 0});
  EXPECT_EQ(parse_link(DLT_EN10MB, view(cut)).kind, L3Kind::Truncated);
}

TEST(IpLayer, Ipv4TotalLengthZeroIsOffloadedSuperPacket) {
  const Buf pkt = ipv4(1, 2, 6, tcp(1, 2, 0, 0, 0x10, std::string(3000, 'z')), 1, 0x4000, 0);
  Buf zero = pkt;
  zero[2] = zero[3] = 0;
  IpResult r = parse_ipv4(view(zero), zero.size());
  ASSERT_EQ(r.status, IpStatus::Ok);
  EXPECT_EQ(r.h.payload.size(), 3020u);
}

TEST(IpLayer, Ipv4HeaderFieldsAndSnaplenMissing) {
  const Buf pkt = ipv4(7, 9, 6, tcp(1000, 2000, 1, 2, 0x18, "payload!"));
  IpResult r = parse_ipv4(view(pkt), pkt.size());
  ASSERT_EQ(r.status, IpStatus::Ok);
  EXPECT_EQ(r.h.src[3], 7);
  EXPECT_EQ(r.h.dst[3], 9);
  EXPECT_EQ(r.h.proto, 6);
  EXPECT_EQ(r.h.payload.size(), 28u);
  EXPECT_EQ(r.h.payload_missing, 0u);
  // Captured only 30 of 48 bytes.
  r = parse_ipv4(view(pkt).first(30), pkt.size());
  ASSERT_EQ(r.status, IpStatus::Ok);
  EXPECT_EQ(r.h.payload.size(), 10u);
  EXPECT_EQ(r.h.payload_missing, 18u);
  // Ethernet padding after the datagram is ignored.
  Buf padded = pkt;
  padded.resize(pkt.size() + 6, 0);
  r = parse_ipv4(view(padded), padded.size());
  EXPECT_EQ(r.h.payload.size(), 28u);
}

TEST(IpLayer, Ipv4BadHeaders) {
  Buf pkt = ipv4(1, 2, 6, {});
  pkt[0] = 0x43;  // IHL 3
  EXPECT_EQ(parse_ipv4(view(pkt), pkt.size()).status, IpStatus::Bad);
  pkt = ipv4(1, 2, 6, {}, 1, 0, 10);  // total length below the header
  EXPECT_EQ(parse_ipv4(view(pkt), pkt.size()).status, IpStatus::Bad);
  pkt = ipv4(1, 2, 6, Buf(10, 0), 1, 0, 500);  // lying total length: cut to the frame
  IpResult r = parse_ipv4(view(pkt), pkt.size());
  EXPECT_EQ(r.status, IpStatus::Ok);
  EXPECT_FALSE(r.problem.empty());
  EXPECT_EQ(r.h.payload.size(), 10u);
  EXPECT_EQ(parse_ipv4(view(pkt).first(12), 12).status, IpStatus::Bad);
}

TEST(IpLayer, Ipv6ExtensionHeaderChain) {
  Buf chain = ext8(60);     // hop-by-hop -> destination options
  append(chain, ext8(51));  // destination options -> AH
  Buf ah{6, 4, 0, 0};       // AH: next TCP, length (4+2)*4 = 24 bytes
  ah.resize(24, 0);
  append(chain, ah);
  append(chain, tcp(1, 2, 0, 0, 0x10, "xy"));
  const Buf pkt = ipv6(1, 2, 0, chain);
  IpResult r = parse_ipv6(view(pkt), pkt.size());
  ASSERT_EQ(r.status, IpStatus::Ok);
  EXPECT_TRUE(r.h.v6);
  EXPECT_EQ(r.h.proto, 6);
  EXPECT_EQ(r.h.payload.size(), 22u);
  EXPECT_EQ(r.h.src[15], 1);
  EXPECT_FALSE(r.h.fragment);
  // A chain cut in the middle is a bad header, not a read past the end.
  Buf bad = ipv6(1, 2, 0, Buf{60, 5, 0, 0, 0, 0, 0, 0});  // claims 48 bytes
  EXPECT_EQ(parse_ipv6(view(bad), bad.size()).status, IpStatus::Bad);
}

// Splits `payload` into IPv4 fragments of `size` bytes (multiple of 8).
std::vector<IpHeader> v4_fragments(const Buf& payload, size_t size, std::vector<Buf>& keep) {
  std::vector<IpHeader> out;
  for (size_t off = 0; off < payload.size(); off += size) {
    const size_t n = std::min(size, payload.size() - off);
    const bool more = off + n < payload.size();
    keep.push_back(ipv4(1, 2, 6,
                        Buf(payload.begin() + static_cast<long>(off), payload.begin() + static_cast<long>(off + n)), 77,
                        static_cast<uint16_t>((more ? 0x2000 : 0) | (off / 8))));
  }
  for (const Buf& k : keep) out.push_back(parse_ipv4(view(k), k.size()).h);
  return out;
}

TEST(IpDefrag, InOrderAndOutOfOrder) {
  Buf payload;
  for (int i = 0; i < 100; ++i) payload.push_back(static_cast<uint8_t>(i));
  for (bool reverse : {false, true}) {
    std::vector<Buf> keep;
    std::vector<IpHeader> frags = v4_fragments(payload, 24, keep);
    ASSERT_EQ(frags.size(), 5u);
    EXPECT_TRUE(frags[0].fragment);
    if (reverse) std::reverse(frags.begin(), frags.end());
    Defragmenter d;
    std::vector<std::string> warnings;
    std::optional<Bytes> whole;
    uint8_t proto = 0;
    for (size_t i = 0; i < frags.size(); ++i) {
      whole = d.add(frags[i], 0, proto, [&](const std::string& w) { warnings.push_back(w); });
      if (i + 1 < frags.size()) {
        EXPECT_FALSE(whole);
      }
    }
    ASSERT_TRUE(whole);
    EXPECT_EQ(proto, 6);
    ASSERT_EQ(whole->size(), 100u);
    EXPECT_EQ(std::memcmp(whole->data(), payload.data(), 100), 0);
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(d.pending(), 0u);
    EXPECT_EQ(d.buffered_bytes(), 0u);
  }
}

TEST(IpDefrag, OverlapWithDifferentBytesKeepsFirstAndWarns) {
  Buf a(16, 'a'), b(16, 'b');
  const Buf f1 = ipv4(1, 2, 6, a, 9, 0x2000 | 0);  // bytes 0..16, more
  const Buf f2 = ipv4(1, 2, 6, b, 9, 1);           // bytes 8..24, last
  Defragmenter d;
  std::vector<std::string> warnings;
  uint8_t proto = 0;
  auto w = [&](const std::string& s) { warnings.push_back(s); };
  EXPECT_FALSE(d.add(parse_ipv4(view(f1), f1.size()).h, 0, proto, w));
  auto whole = d.add(parse_ipv4(view(f2), f2.size()).h, 0, proto, w);
  ASSERT_TRUE(whole);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(whole->data()), whole->size()),
            std::string(16, 'a') + std::string(8, 'b'));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "overlapping IP fragments with different bytes (first kept)");
  EXPECT_EQ(d.stats().overlaps_differing, 1u);
}

TEST(IpDefrag, OversizedDatagramDroppedAndTimeoutExpires) {
  Defragmenter d;
  uint8_t proto = 0;
  std::vector<std::string> warnings;
  auto w = [&](const std::string& s) { warnings.push_back(s); };
  const Buf big = ipv4(1, 2, 6, Buf(16, 0), 5, static_cast<uint16_t>(0x2000 | 8190));  // ends at 65536
  EXPECT_FALSE(d.add(parse_ipv4(view(big), big.size()).h, 0, proto, w));
  EXPECT_EQ(d.stats().oversized, 1u);
  EXPECT_EQ(warnings.size(), 1u);
  EXPECT_EQ(d.pending(), 0u);
  const Buf first = ipv4(1, 2, 6, Buf(16, 0), 6, 0x2000);
  EXPECT_FALSE(d.add(parse_ipv4(view(first), first.size()).h, 0, proto, w));
  EXPECT_EQ(d.pending(), 1u);
  d.expire(10'000'000'000);
  EXPECT_EQ(d.pending(), 1u);
  d.expire(31'000'000'000);
  EXPECT_EQ(d.pending(), 0u);
  EXPECT_EQ(d.stats().expired, 1u);
}

TEST(IpDefrag, TotalMemoryBoundEvictsOldest) {
  DefragLimits lim;
  lim.max_total_bytes = 4000;
  Defragmenter d(lim);
  uint8_t proto = 0;
  for (uint16_t id = 0; id < 10; ++id) {
    const Buf f = ipv4(1, 2, 6, Buf(1000, 1), id, 0x2000);
    d.add(parse_ipv4(view(f), f.size()).h, id, proto, [](const std::string&) {});
    EXPECT_LE(d.buffered_bytes(), 4000u);
  }
  EXPECT_EQ(d.stats().evicted, 6u);
}

TEST(IpDefrag, Ipv6FragmentsWithHeaderAfterFragmentHeader) {
  // Fragmentable part: destination options + TCP header + payload, split in two.
  Buf frag_part = ext8(6);
  append(frag_part, tcp(5, 6, 0, 0, 0x18, "0123456789abcdef"));  // 8 + 36 = 44 bytes
  Buf p1 = ipv6_frag_header(60, 0, true, 0xabcd);
  append(p1, Buf(frag_part.begin(), frag_part.begin() + 24));
  Buf p2 = ipv6_frag_header(60, 24, false, 0xabcd);
  append(p2, Buf(frag_part.begin() + 24, frag_part.end()));
  Buf chain1 = ext8(44);  // hop-by-hop before the fragment header (unfragmentable part)
  append(chain1, p1);
  const Buf pkt1 = ipv6(1, 2, 0, chain1);
  const Buf pkt2 = ipv6(1, 2, 44, p2);
  IpResult r1 = parse_ipv6(view(pkt1), pkt1.size());
  IpResult r2 = parse_ipv6(view(pkt2), pkt2.size());
  ASSERT_EQ(r1.status, IpStatus::Ok);
  ASSERT_EQ(r2.status, IpStatus::Ok);
  EXPECT_TRUE(r1.h.fragment);
  EXPECT_EQ(r2.h.frag_offset, 24u);
  EXPECT_EQ(r1.h.frag_id, 0xabcdu);
  Defragmenter d;
  uint8_t proto = 0;
  auto w = [](const std::string&) {};
  EXPECT_FALSE(d.add(r2.h, 0, proto, w));  // out of order
  auto whole = d.add(r1.h, 0, proto, w);
  ASSERT_TRUE(whole);
  EXPECT_EQ(proto, 60);
  ChainEnd end;
  std::string_view problem;
  ASSERT_TRUE(walk_ipv6_chain(proto, *whole, end, problem));
  EXPECT_EQ(end.proto, 6);
  EXPECT_EQ(whole->size() - end.offset, 36u);
}

TEST(IpDefrag, Ipv6AtomicFragmentIsWhole) {
  Buf p = ipv6_frag_header(6, 0, false, 1);
  append(p, tcp(5, 6, 0, 0, 0x10, "z"));
  const Buf pkt = ipv6(1, 2, 44, p);
  IpResult r = parse_ipv6(view(pkt), pkt.size());
  ASSERT_EQ(r.status, IpStatus::Ok);
  EXPECT_FALSE(r.h.fragment);
  EXPECT_EQ(r.h.proto, 6);
  EXPECT_EQ(r.h.payload.size(), 21u);
}

}  // namespace
}  // namespace quartet::analyzer::net
