#include "net/pcapng_reader.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

namespace quartet::analyzer::net {
namespace {

constexpr uint32_t kShb = 0x0A0D0D0A;
constexpr uint32_t kIdb = 1;
constexpr uint32_t kPb = 2;
constexpr uint32_t kSpb = 3;
constexpr uint32_t kEpb = 6;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint32_t kMaxBlock = 64u << 20;  // a block larger than this is damage, not a packet

uint32_t bswap32(uint32_t v) { return __builtin_bswap32(v); }

}  // namespace

PcapngReader::PcapngReader(FILE* f, std::string path, std::string bpf_filter)
    : f_(f), path_(std::move(path)), filter_(std::move(bpf_filter)) {}

PcapngReader::~PcapngReader() {
  clear_interfaces();
  if (f_) std::fclose(f_);
}

void PcapngReader::clear_interfaces() {
  for (Interface& i : ifaces_)
    if (i.has_prog) pcap_freecode(&i.prog);
  ifaces_.clear();
}

uint16_t PcapngReader::u16(size_t off) const {
  uint16_t v;
  std::memcpy(&v, block_.data() + off, 2);
  return swap_ ? __builtin_bswap16(v) : v;
}
uint32_t PcapngReader::u32(size_t off) const {
  uint32_t v;
  std::memcpy(&v, block_.data() + off, 4);
  return swap_ ? bswap32(v) : v;
}

// Appends the rest of a block body to block_ until it holds `size` bytes. The
// buffer grows by at most 1 MiB ahead of the bytes actually read, so a lying
// block length in a short or damaged file costs what the file holds, not 64 MiB.
bool PcapngReader::read_body(size_t size) {
  constexpr size_t kStep = 1u << 20;
  while (block_.size() < size) {
    const size_t have = block_.size(), n = std::min(kStep, size - have);
    block_.resize(have + n);
    if (std::fread(block_.data() + have, 1, n, f_) != n) return false;
  }
  return true;
}

// Reads one block into block_ (body only). False at a clean end or on damage.
bool PcapngReader::read_block(uint32_t& type) {
  uint32_t head[2];
  const size_t got = std::fread(head, 1, sizeof head, f_);
  if (got == 0) return false;
  if (got < sizeof head) {
    error_ = "block header cut short";
    return false;
  }
  type = head[0];
  uint32_t len = head[1];
  if (type == kShb) {  // the byte order is decided inside the block
    uint32_t magic;
    if (std::fread(&magic, 1, 4, f_) != 4) {
      error_ = "section header cut short";
      return false;
    }
    if (magic == kByteOrderMagic) swap_ = false;
    else if (magic == bswap32(kByteOrderMagic)) swap_ = true;
    else {
      error_ = "bad byte-order magic";
      return false;
    }
    if (swap_) len = bswap32(len);
    if (len < 28 || len % 4 != 0 || len > kMaxBlock) {
      error_ = "bad section header length";
      return false;
    }
    block_.assign(reinterpret_cast<const uint8_t*>(&magic), reinterpret_cast<const uint8_t*>(&magic) + 4);
    if (!read_body(len - 12)) {
      error_ = "section header cut short";
      return false;
    }
  } else {
    if (!section_) {
      error_ = "not a pcapng file";
      return false;
    }
    if (swap_) {
      type = bswap32(type);
      len = bswap32(len);
    }
    if (len < 12 || len % 4 != 0 || len > kMaxBlock) {
      error_ = "bad block length " + std::to_string(len);
      return false;
    }
    block_.clear();
    if (!read_body(len - 12)) {
      error_ = "block cut short";
      return false;
    }
  }
  uint32_t trailer;
  if (std::fread(&trailer, 1, 4, f_) != 4) {
    error_ = "block trailer cut short";
    return false;
  }
  return true;
}

void PcapngReader::add_interface() {
  Interface i;
  if (block_.size() >= 8) {
    // LINKTYPE_ values equal the DLT_ values except LINKTYPE_RAW (101).
    const uint16_t lt = u16(0);
    i.linktype = lt == 101 ? DLT_RAW : lt;
    i.snaplen = u32(4);
    // Options: code(2) length(2) value, padded to 4.
    for (size_t off = 8; off + 4 <= block_.size();) {
      const uint16_t code = u16(off), olen = u16(off + 2);
      if (code == 0) break;
      const size_t vo = off + 4;
      if (vo + olen > block_.size()) break;
      if (code == 9 && olen >= 1) {  // if_tsresol
        const uint8_t r = block_[vo];
        i.resol_pow2 = (r & 0x80) != 0;
        i.resol = r & 0x7f;
      } else if (code == 14 && olen >= 8) {  // if_tsoffset (seconds)
        const uint64_t lo = u32(vo), hi = u32(vo + 4);
        i.offset_s = static_cast<int64_t>(swap_ ? (lo << 32 | hi) : (hi << 32 | lo));
      }
      off = vo + ((olen + 3u) & ~3u);
    }
  }
  if (!filter_.empty()) {
    pcap_t* dead = pcap_open_dead(i.linktype, 262144);
    if (dead) {
      i.has_prog = pcap_compile(dead, &i.prog, filter_.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
      i.filter_ok = i.has_prog;  // a filter this link type cannot express drops its packets
      pcap_close(dead);
    }
  }
  ifaces_.push_back(i);
}

TimeNs PcapngReader::timestamp(const Interface& i, uint64_t ticks) const {
  // Seconds and nanoseconds separately, so a corrupt tick count cannot overflow.
  uint64_t sec = 0, ns = 0;
  if (i.resol_pow2) {
    const unsigned shift = std::min<unsigned>(i.resol, 63);
    sec = ticks >> shift;
    uint64_t frac = ticks & ((uint64_t{1} << shift) - 1);
    unsigned fshift = shift;
    if (fshift > 34) {  // keep frac * 10^9 within 64 bits; what is dropped is below a nanosecond
      frac >>= fshift - 34;
      fshift = 34;
    }
    ns = (frac * 1'000'000'000) >> fshift;
  } else {
    uint64_t units = 1;  // ticks per second, 10^resol (capped: beyond 10^19 nothing is left)
    for (int k = 0; k < i.resol && k < 19; ++k) units *= 10;
    sec = ticks / units;
    const uint64_t frac = ticks % units;
    ns = units <= 1'000'000'000 ? frac * (1'000'000'000 / units) : frac / (units / 1'000'000'000);
  }
  const int64_t s = sec > static_cast<uint64_t>(INT64_MAX / 2) ? INT64_MAX / 2 : static_cast<int64_t>(sec);
  const int64_t off = std::clamp<int64_t>(i.offset_s, -(INT64_MAX / 4), INT64_MAX / 4);
  return clamp_timestamp(s + off, static_cast<int64_t>(ns));
}

bool PcapngReader::next(Packet& out) {
  for (;;) {
    uint32_t type = 0;
    if (!read_block(type)) return false;
    if (type == kShb) {
      section_ = true;
      clear_interfaces();
      continue;
    }
    if (type == kIdb) {
      add_interface();
      continue;
    }
    uint32_t iface = 0, caplen = 0, wire = 0;
    uint64_t ticks = 0;
    size_t data_off = 0;
    if (type == kEpb && block_.size() >= 20) {
      iface = u32(0);
      ticks = uint64_t{u32(4)} << 32 | u32(8);
      caplen = u32(12);
      wire = u32(16);
      data_off = 20;
    } else if (type == kPb && block_.size() >= 20) {
      iface = u16(0);
      ticks = uint64_t{u32(4)} << 32 | u32(8);
      caplen = u32(12);
      wire = u32(16);
      data_off = 20;
    } else if (type == kSpb && block_.size() >= 4) {
      wire = u32(0);
      caplen = static_cast<uint32_t>(std::min<size_t>(wire, block_.size() - 4));
      data_off = 4;
    } else {
      continue;  // name resolution, statistics, decryption secrets, custom blocks...
    }
    if (iface >= ifaces_.size()) {  // Wireshark stops here; the next block is intact, so go on
      if (undeclared_++ == 0) first_undeclared_ = iface;
      continue;
    }
    if (caplen > block_.size() - data_off) {
      error_ = "packet longer than its block";
      return false;
    }
    Interface& i = ifaces_[iface];
    if (type == kSpb && i.snaplen) caplen = std::min(caplen, i.snaplen);
    if (!i.filter_ok) continue;
    if (i.has_prog) {
      pcap_pkthdr h{};
      h.caplen = caplen;
      h.len = std::max(wire, caplen);
      if (pcap_offline_filter(&i.prog, &h, block_.data() + data_off) == 0) continue;
    }
    out.ts = type == kSpb ? 0 : timestamp(i, ticks);
    out.data = Bytes(reinterpret_cast<const std::byte*>(block_.data() + data_off), caplen);
    out.wire_len = std::max(wire, caplen);
    out.linktype = i.linktype;
    return true;
  }
}

}  // namespace quartet::analyzer::net
