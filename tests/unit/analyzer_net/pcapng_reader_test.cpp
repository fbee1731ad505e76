// The own pcapng reader (fallback for mixed link types): byte order,
// timestamp resolutions and offsets, skipped blocks, damage.
#include <gtest/gtest.h>
#include <pcap/dlt.h>

#include <cstdio>

#include "net/pcapng_reader.hpp"
#include "packet_builder.hpp"

namespace quartet::analyzer::net {
namespace {

using namespace test;

// Big-endian blocks (a section written on a big-endian host).
void be_block(Buf& b, uint32_t type, Buf body) {
  body.resize(body.size() + (4 - body.size() % 4) % 4, 0);
  const auto len = static_cast<uint32_t>(12 + body.size());
  put32(b, type);
  put32(b, len);
  append(b, body);
  put32(b, len);
}

Buf be_section(uint8_t tsresol, uint64_t offset_s, int dlt) {
  Buf b, shb, idb;
  put32(shb, 0x1A2B3C4D);
  put16(shb, 1);
  put16(shb, 0);
  put32(shb, 0xffffffff);
  put32(shb, 0xffffffff);
  be_block(b, 0x0A0D0D0A, shb);
  put16(idb, static_cast<uint16_t>(dlt));
  put16(idb, 0);
  put32(idb, 65535);
  put16(idb, 9);  // if_tsresol
  put16(idb, 1);
  idb.push_back(tsresol);
  idb.resize(idb.size() + 3, 0);
  put16(idb, 14);  // if_tsoffset
  put16(idb, 8);
  put32(idb, static_cast<uint32_t>(offset_s >> 32));
  put32(idb, static_cast<uint32_t>(offset_s));
  put16(idb, 0);
  put16(idb, 0);
  be_block(b, 1, idb);
  return b;
}

void be_epb(Buf& b, uint64_t ticks, const Buf& data) {
  Buf epb;
  put32(epb, 0);
  put32(epb, static_cast<uint32_t>(ticks >> 32));
  put32(epb, static_cast<uint32_t>(ticks));
  put32(epb, static_cast<uint32_t>(data.size()));
  put32(epb, static_cast<uint32_t>(data.size() + 10));  // 10 bytes not captured
  append(epb, data);
  be_block(b, 6, epb);
}

std::vector<Packet> read_all(Buf bytes, std::string& error) {
  FILE* f = fmemopen(bytes.data(), bytes.size(), "rb");
  PcapngReader r(f, "mem", "");
  std::vector<Packet> out;
  Packet p;
  while (r.next(p)) {
    out.push_back(p);
    out.back().data = {};  // the bytes are only valid until the next call
  }
  error = r.error();
  return out;
}

TEST(PcapngReader, BigEndianPowerOfTwoResolutionAndOffset) {
  Buf b = be_section(0x80 | 20, 1000, DLT_RAW);                      // 2^-20 s ticks, +1000 s
  be_epb(b, (uint64_t{5} << 20) | (uint64_t{1} << 19), Buf(12, 1));  // 5.5 s
  be_block(b, 5, Buf(16, 0));                                        // interface statistics: skipped
  be_epb(b, uint64_t{7} << 20, Buf(8, 2));
  std::string error;
  const std::vector<Packet> p = read_all(b, error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].ts, 1005'500'000'000);
  EXPECT_EQ(p[0].wire_len, 22u);
  EXPECT_EQ(p[0].linktype, DLT_RAW);
  EXPECT_EQ(p[1].ts, 1007'000'000'000);
}

TEST(PcapngReader, DecimalResolutionsAndSecondSection) {
  Buf b = be_section(3, 0, DLT_EN10MB);  // milliseconds
  be_epb(b, 1234, Buf(14, 0));
  Buf little = pcapng_multi({{DLT_LINUX_SLL2, 9}}, {{42, Buf(20, 0)}}, {0});  // a new section, little-endian
  append(b, little);
  std::string error;
  const std::vector<Packet> p = read_all(b, error);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].ts, 1'234'000'000);
  EXPECT_EQ(p[0].linktype, DLT_EN10MB);
  EXPECT_EQ(p[1].ts, 42);
  EXPECT_EQ(p[1].linktype, DLT_LINUX_SLL2);
}

TEST(PcapngReader, DamageStopsWithAReasonUndeclaredInterfacesAreSkipped) {
  Buf b = be_section(6, 0, DLT_EN10MB);
  be_epb(b, 1, Buf(14, 0));
  Buf bad = b;
  put32(bad, 6);
  put32(bad, 0x7fffffff);  // absurd block length
  std::string error;
  EXPECT_EQ(read_all(bad, error).size(), 1u);
  EXPECT_EQ(error, "bad block length 2147483647");
  // A packet of an interface the section never described is skipped (its block
  // is intact) and counted; the packets after it are read.
  Buf undeclared = b;
  Buf epb;
  put32(epb, 3);  // interface 3 was never described
  epb.resize(20, 0);
  be_block(undeclared, 6, epb);
  be_epb(undeclared, 2, Buf(14, 0));
  {
    FILE* f = fmemopen(undeclared.data(), undeclared.size(), "rb");
    PcapngReader r(f, "mem", "");
    Packet p;
    int n = 0;
    while (r.next(p)) ++n;
    EXPECT_EQ(n, 2);
    EXPECT_EQ(r.error(), "");
    EXPECT_EQ(r.undeclared_interface_packets(), 1u);
    EXPECT_EQ(r.first_undeclared_interface(), 3u);
  }
  Buf huge_ts = be_section(9, 0, DLT_EN10MB);
  be_epb(huge_ts, UINT64_MAX, Buf(14, 0));
  const std::vector<Packet> p = read_all(huge_ts, error);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].ts, kMaxTimestamp);  // clamped, not wrapped
}

}  // namespace
}  // namespace quartet::analyzer::net
