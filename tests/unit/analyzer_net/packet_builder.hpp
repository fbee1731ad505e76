// Builds frames (Ethernet / IPv4 / IPv6 / TCP) and capture files byte by byte
// for the network-half tests.
#pragma once

#include <pcap/pcap.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/session.hpp"

namespace quartet::analyzer::test {

using Buf = std::vector<uint8_t>;

inline void put16(Buf& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Buf& b, uint32_t v) {
  put16(b, static_cast<uint16_t>(v >> 16));
  put16(b, static_cast<uint16_t>(v));
}
inline void le16(Buf& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v));
  b.push_back(static_cast<uint8_t>(v >> 8));
}
inline void le32(Buf& b, uint32_t v) {
  le16(b, static_cast<uint16_t>(v));
  le16(b, static_cast<uint16_t>(v >> 16));
}
inline void append(Buf& b, const Buf& x) { b.insert(b.end(), x.begin(), x.end()); }
inline void append(Buf& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }

inline Buf tcp(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, std::string_view payload) {
  Buf b;
  put16(b, sport);
  put16(b, dport);
  put32(b, seq);
  put32(b, ack);
  b.push_back(5 << 4);
  b.push_back(flags);
  put16(b, 65535);
  put16(b, 0);  // checksum: not verified
  put16(b, 0);
  append(b, payload);
  return b;
}

inline Buf ipv4(uint8_t src_last, uint8_t dst_last, uint8_t proto, const Buf& payload, uint16_t id = 1,
                uint16_t frag_field = 0, uint16_t total_override = 0) {
  Buf b;
  b.push_back(0x45);
  b.push_back(0);
  put16(b, total_override ? total_override : static_cast<uint16_t>(20 + payload.size()));
  put16(b, id);
  put16(b, frag_field);
  b.push_back(64);
  b.push_back(proto);
  put16(b, 0);
  for (uint8_t x : {uint8_t{192}, uint8_t{0}, uint8_t{2}, src_last}) b.push_back(x);
  for (uint8_t x : {uint8_t{192}, uint8_t{0}, uint8_t{2}, dst_last}) b.push_back(x);
  append(b, payload);
  return b;
}

// IPv6 with an already built chain of extension headers in `ext` (first next header `nh`).
inline Buf ipv6(uint8_t src_last, uint8_t dst_last, uint8_t nh, const Buf& ext_and_payload) {
  Buf b;
  put32(b, 0x60000000);
  put16(b, static_cast<uint16_t>(ext_and_payload.size()));
  b.push_back(nh);
  b.push_back(64);
  Buf src(16, 0), dst(16, 0);
  src[0] = dst[0] = 0x20;
  src[1] = dst[1] = 0x01;
  src[2] = dst[2] = 0x0d;
  src[3] = dst[3] = 0xb8;
  src[15] = src_last;
  dst[15] = dst_last;
  append(b, src);
  append(b, dst);
  append(b, ext_and_payload);
  return b;
}

// A generic IPv6 extension header of 8 bytes (hop-by-hop, destination options).
inline Buf ext8(uint8_t next) {
  Buf b{next, 0, 1, 4, 0, 0, 0, 0};  // PadN option
  return b;
}

inline Buf ipv6_frag_header(uint8_t next, uint16_t offset_bytes, bool more, uint32_t id) {
  Buf b{next, 0};
  put16(b, static_cast<uint16_t>(offset_bytes | (more ? 1 : 0)));
  put32(b, id);
  return b;
}

inline Buf ether(uint16_t type, const Buf& payload, std::vector<uint16_t> tags = {}) {
  Buf b(12, 0);
  b[5] = 1;
  b[11] = 2;
  for (size_t i = 0; i < tags.size(); i += 2) {
    put16(b, tags[i]);      // TPID
    put16(b, tags[i + 1]);  // TCI
  }
  put16(b, type);
  append(b, payload);
  return b;
}

struct Frame {
  TimeNs ts;
  Buf data;
  uint32_t wire_len = 0;  // 0: same as data
};

// A classic pcap file with nanosecond (or microsecond) timestamps, written by libpcap itself.
inline void write_pcap(const std::string& path, int dlt, const std::vector<Frame>& frames, int snaplen = 65535,
                       bool nanoseconds = true) {
  pcap_t* dead = pcap_open_dead_with_tstamp_precision(
      dlt, snaplen, nanoseconds ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  for (const Frame& f : frames) {
    pcap_pkthdr h{};
    h.ts.tv_sec = static_cast<time_t>(f.ts / 1'000'000'000);
    h.ts.tv_usec = static_cast<suseconds_t>(f.ts % 1'000'000'000 / (nanoseconds ? 1 : 1000));
    h.caplen = static_cast<bpf_u_int32>(f.data.size());
    h.len = f.wire_len ? f.wire_len : h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(d), &h, f.data.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
}

// A pcapng file (section header, one interface with microsecond resolution,
// enhanced packet blocks), built by hand: libpcap cannot write pcapng.
inline Buf pcapng_bytes(int dlt, const std::vector<Frame>& frames) {
  Buf b;
  auto block = [&b](uint32_t type, const Buf& body) {
    const auto len = static_cast<uint32_t>(12 + body.size() + (4 - body.size() % 4) % 4);
    le32(b, type);
    le32(b, len);
    append(b, body);
    b.resize(b.size() + (4 - body.size() % 4) % 4, 0);
    le32(b, len);
  };
  Buf shb;
  le32(shb, 0x1A2B3C4D);
  le16(shb, 1);
  le16(shb, 0);
  le32(shb, 0xffffffff);
  le32(shb, 0xffffffff);
  block(0x0A0D0D0A, shb);
  Buf idb;
  le16(idb, static_cast<uint16_t>(dlt));
  le16(idb, 0);
  le32(idb, 65535);
  block(1, idb);
  for (const Frame& f : frames) {
    Buf epb;
    const uint64_t us = static_cast<uint64_t>(f.ts / 1000);
    le32(epb, 0);
    le32(epb, static_cast<uint32_t>(us >> 32));
    le32(epb, static_cast<uint32_t>(us));
    le32(epb, static_cast<uint32_t>(f.data.size()));
    le32(epb, f.wire_len ? f.wire_len : static_cast<uint32_t>(f.data.size()));
    append(epb, f.data);
    epb.resize(epb.size() + (4 - f.data.size() % 4) % 4, 0);
    block(6, epb);
  }
  return b;
}

// A pcapng file with several interfaces of any link types; `tsresol` is the
// if_tsresol option (6: microseconds, 9: nanoseconds). `iface[i]` says which
// interface frame i was captured on.
struct PcapngInterface {
  int dlt;
  uint8_t tsresol;
};
inline Buf pcapng_multi(const std::vector<PcapngInterface>& ifs, const std::vector<Frame>& frames,
                        const std::vector<uint32_t>& iface) {
  Buf b;
  auto block = [&b](uint32_t type, Buf body) {
    body.resize(body.size() + (4 - body.size() % 4) % 4, 0);
    const auto len = static_cast<uint32_t>(12 + body.size());
    le32(b, type);
    le32(b, len);
    append(b, body);
    le32(b, len);
  };
  Buf shb;
  le32(shb, 0x1A2B3C4D);
  le16(shb, 1);
  le16(shb, 0);
  le32(shb, 0xffffffff);
  le32(shb, 0xffffffff);
  block(0x0A0D0D0A, shb);
  for (const PcapngInterface& i : ifs) {
    Buf idb;
    le16(idb, static_cast<uint16_t>(i.dlt));
    le16(idb, 0);
    le32(idb, 262144);
    le16(idb, 9);  // if_tsresol
    le16(idb, 1);
    idb.push_back(i.tsresol);
    idb.resize(idb.size() + 3, 0);
    le16(idb, 0);  // opt_endofopt
    le16(idb, 0);
    block(1, idb);
  }
  block(4, Buf(8, 0));  // a name resolution block to skip
  for (size_t n = 0; n < frames.size(); ++n) {
    const Frame& f = frames[n];
    uint64_t ticks = static_cast<uint64_t>(f.ts);
    for (int k = ifs[iface[n]].tsresol; k < 9; ++k) ticks /= 10;
    Buf epb;
    le32(epb, iface[n]);
    le32(epb, static_cast<uint32_t>(ticks >> 32));
    le32(epb, static_cast<uint32_t>(ticks));
    le32(epb, static_cast<uint32_t>(f.data.size()));
    le32(epb, f.wire_len ? f.wire_len : static_cast<uint32_t>(f.data.size()));
    append(epb, f.data);
    block(6, epb);
  }
  return b;
}

// `raw` as one gzip member, and as one zstd frame.
inline Buf gzip_bytes(const Buf& raw) {
  Buf gz(compressBound(static_cast<uLong>(raw.size())) + 64);
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  zs.next_in = const_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = gz.data();
  zs.avail_out = static_cast<uInt>(gz.size());
  deflate(&zs, Z_FINISH);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  return gz;
}
inline Buf zstd_bytes(const Buf& raw) {
  Buf z(ZSTD_compressBound(raw.size()));
  z.resize(ZSTD_compress(z.data(), z.size(), raw.data(), raw.size(), 3));
  return z;
}

inline Buf read_file(const std::string& path) {
  Buf b;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return b;
  uint8_t tmp[4096];
  size_t n;
  while ((n = std::fread(tmp, 1, sizeof tmp, f)) > 0) b.insert(b.end(), tmp, tmp + n);
  std::fclose(f);
  return b;
}

inline void write_file(const std::string& path, const Buf& b) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(b.data(), 1, b.size(), f);
  std::fclose(f);
}

}  // namespace quartet::analyzer::test
