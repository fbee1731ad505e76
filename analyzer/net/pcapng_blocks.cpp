#include "net/pcapng_blocks.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {
namespace {

constexpr uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kPacket = 2;  // obsolete
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kEnhancedPacket = 6;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint64_t kNanoseconds = 1'000'000'000;  // the resolution quartet asks libpcap for
// libpcap's largest snapshot length for the link types read in place (max_snaplen_for_dlt).
constexpr uint32_t kMaxSnaplen = 262144;

struct Words {
  bool swapped;
  uint16_t u16(const std::byte* p) const {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped ? __builtin_bswap16(v) : v;
  }
  uint32_t u32(const std::byte* p) const {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped ? __builtin_bswap32(v) : v;
  }
  uint64_t u64(const std::byte* p) const {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return swapped ? __builtin_bswap64(v) : v;
  }
};

// libpcap's process_idb_options: the options of an Interface Description Block
// after its fixed part; nullopt where libpcap fails.
std::optional<PcapngBlocks::Interface> interface_options(const std::byte* p, size_t n, Words w) {
  PcapngBlocks::Interface i;
  bool saw_tsresol = false, saw_tsoffset = false;
  size_t pos = 0;
  while (pos != n) {
    if (n - pos < 4) return std::nullopt;
    const uint16_t code = w.u16(p + pos);
    const uint16_t length = w.u16(p + pos + 2);
    pos += 4;
    const size_t padded = (size_t{length} + 3) / 4 * 4;
    if (n - pos < padded) return std::nullopt;
    const std::byte* value = p + pos;
    pos += padded;
    switch (code) {
      case 0:  // opt_endofopt
        if (length != 0) return std::nullopt;
        return i;
      case 9: {  // if_tsresol
        if (length != 1 || saw_tsresol) return std::nullopt;
        saw_tsresol = true;
        const auto r = static_cast<uint8_t>(value[0]);
        if (r & 0x80) {
          if ((r & 0x7F) > 63) return std::nullopt;
          i.binary = true;
          i.tsresol = uint64_t{1} << (r & 0x7F);
        } else {
          if (r > 19) return std::nullopt;
          i.binary = false;
          i.tsresol = 1;
          for (int k = 0; k < r; ++k) i.tsresol *= 10;
        }
        break;
      }
      case 14:  // if_tsoffset
        if (length != 8 || saw_tsoffset) return std::nullopt;
        saw_tsoffset = true;
        i.tsoffset = w.u64(value);
        break;
      default: break;
    }
  }
  return i;
}

}  // namespace

std::optional<PcapngBlocks::Start> PcapngBlocks::read_start(std::span<const std::byte> head) {
  const size_t size = head.size();
  if (size < 12 || Words{false}.u32(head.data()) != kSectionHeader) return std::nullopt;
  Start s;
  const uint32_t magic = Words{false}.u32(head.data() + 8);
  if (magic == __builtin_bswap32(kByteOrderMagic)) s.swapped = true;
  else if (magic != kByteOrderMagic) return std::nullopt;
  const Words w{s.swapped};
  // As libpcap's open does: the section header, then blocks up to the first
  // Interface Description Block (a packet before it is an error there).
  size_t off = w.u32(head.data() + 4);
  while (true) {
    if (off > size || size - off < 12) return std::nullopt;
    const uint32_t type = w.u32(head.data() + off);
    const uint32_t length = w.u32(head.data() + off + 4);
    if (length < 12 || length % 4 != 0 || length > size - off) return std::nullopt;
    if (type == kInterfaceDescription) {
      if (length < 12 + 8) return std::nullopt;
      const std::optional<Interface> i = interface_options(head.data() + off + 16, length - 12 - 8, w);
      if (!i) return std::nullopt;
      s.first = *i;
      s.end = off + length;
      return s;
    }
    if (type == kSectionHeader || type == kPacket || type == kSimplePacket || type == kEnhancedPacket)
      return std::nullopt;
    off += length;
  }
}

PcapngBlocks::PcapngBlocks(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, const Start& start,
                           int linktype, int snapshot)
    : window_(stream, std::move(read_direct), kMaxBlock, false),
      swapped_(start.swapped),
      linktype_(linktype),
      snapshot_(static_cast<uint32_t>(snapshot)),
      interfaces_{start.first} {}

uint32_t PcapngBlocks::u32(const std::byte* p) const { return Words{swapped_}.u32(p); }

bool PcapngBlocks::add_interface(const std::byte* body, size_t size) {
  if (size < 8) return false;
  const Words w{swapped_};
  // libpcap compares the file's link type with its own DLT_ value, unmapped.
  if (w.u16(body) != linktype_) return false;
  uint32_t snaplen = w.u32(body + 4);
  // pcap_adjust_snapshot: only a length of 0 or past INT_MAX is replaced, so an
  // interface of, say, 1,000,000 after one of 262,144 is refused, as libpcap does.
  if (snaplen == 0 || snaplen > uint32_t{INT32_MAX}) snaplen = kMaxSnaplen;
  if (snaplen != snapshot_) return false;
  const std::optional<Interface> i = interface_options(body + 8, size - 8, w);
  if (!i) return false;
  interfaces_.push_back(*i);
  return true;
}

// libpcap's conversion to seconds and nanoseconds, in its unsigned arithmetic.
void PcapngBlocks::timestamp(const Interface& i, uint64_t ticks, Record& out) const {
  const uint64_t seconds = ticks / i.tsresol + i.tsoffset;
  uint64_t fraction = ticks % i.tsresol;
  if (i.tsresol != kNanoseconds) {
    if (i.binary) {
      fraction *= kNanoseconds;
      fraction /= i.tsresol;
    } else if (i.tsresol > kNanoseconds) {
      fraction /= i.tsresol / kNanoseconds;
    } else {
      fraction *= kNanoseconds / i.tsresol;
    }
  }
  out.seconds = static_cast<int64_t>(seconds);       // time_t
  out.nanoseconds = static_cast<int32_t>(fraction);  // libpcap's (int) cast
}

PcapngBlocks::Result PcapngBlocks::next(Record& out) {
  const Words w{swapped_};
  while (true) {
    if (!window_.fill(8)) return window_.available() == 0 && window_.read_errno() == 0 ? Result::End : Result::Fallback;
    const uint32_t type = u32(window_.data());
    const uint32_t total = u32(window_.data() + 4);
    if (total < 12 || total % 4 != 0 || total > kMaxBlock) return Result::Fallback;
    if (!window_.fill(total)) return Result::Fallback;
    const std::byte* block = window_.data();
    if (u32(block + total - 4) != total) return Result::Fallback;
    const std::byte* body = block + 8;
    const size_t size = total - 12;
    uint32_t interface = 0, caplen = 0;
    uint64_t ticks = 0;
    size_t fixed = 0;  // the packet block's fixed part, before its data
    switch (type) {
      case kEnhancedPacket:
      case kPacket:
        fixed = 20;
        if (size < fixed) return Result::Fallback;
        // The obsolete Packet Block has a 16-bit interface id, then a drops count.
        interface = type == kPacket ? w.u16(body) : w.u32(body);
        ticks = uint64_t{w.u32(body + 4)} << 32 | w.u32(body + 8);
        caplen = w.u32(body + 12);
        out.len = w.u32(body + 16);
        break;
      case kSimplePacket:
        fixed = 4;
        if (size < fixed) return Result::Fallback;
        out.len = w.u32(body);
        caplen = std::min(out.len, snapshot_);  // no captured length: the snapshot cuts
        break;
      case kInterfaceDescription:
        if (!add_interface(body, size)) return Result::Fallback;
        window_.consume(total);
        continue;
      case kSectionHeader: return Result::Fallback;
      default: window_.consume(total); continue;  // blocks libpcap skips
    }
    if (interface >= interfaces_.size() || caplen > snapshot_ || size - fixed < caplen) return Result::Fallback;
    timestamp(interfaces_[interface], ticks, out);
    out.data = Bytes(body + fixed, caplen);
    window_.consume(total);
    return Result::Packet;
  }
}

}  // namespace quartet::analyzer::net
