#include "net/pcap_records.hpp"

#include <cstring>

namespace quartet::analyzer::net {
namespace {

constexpr size_t kRecordHeader = 16;

}  // namespace

PcapRecords::PcapRecords(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, bool swapped,
                         bool microseconds, bool read_ahead)
    : window_(stream, std::move(read_direct), kRecordHeader + kMaxCaplen, read_ahead),
      swapped_(swapped),
      microseconds_(microseconds) {}

uint32_t PcapRecords::u32(const std::byte* p) const {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return swapped_ ? __builtin_bswap32(v) : v;
}

PcapRecords::Result PcapRecords::next(Record& out) {
  // libpcap's own words for each fault (sf-pcap.c, pcap_next_packet), so a
  // truncated file reads the same whichever reader met it.
  const auto read_error = [this] {
    error_ = std::string("error reading dump file: ") + std::strerror(window_.read_errno());
    return Result::Error;
  };
  if (!window_.fill(kRecordHeader)) {
    const size_t got = window_.available();
    if (window_.read_errno()) return read_error();
    if (got == 0) return Result::End;
    error_ = "truncated dump file; tried to read 16 header bytes, only got " + std::to_string(got);
    return Result::Error;
  }
  const std::byte* h = window_.data();
  out.seconds = u32(h);
  const auto fraction = static_cast<int32_t>(u32(h + 4));  // libpcap's bpf_int32
  out.nanoseconds = microseconds_ ? int64_t{fraction} * 1000 : fraction;
  out.caplen = u32(h + 8);
  out.len = u32(h + 12);
  if (out.caplen > kMaxCaplen) {
    error_ = "invalid packet capture length " + std::to_string(out.caplen) + ", bigger than snaplen of " +
             std::to_string(kMaxCaplen);
    return Result::Error;
  }
  if (!window_.fill(kRecordHeader + out.caplen)) {
    const size_t got = window_.available() - kRecordHeader;
    if (window_.read_errno()) return read_error();
    error_ = "truncated dump file; tried to read " + std::to_string(out.caplen) + " captured bytes, only got " +
             std::to_string(got);
    return Result::Error;
  }
  out.data = Bytes(window_.data() + kRecordHeader, out.caplen);
  window_.consume(kRecordHeader + out.caplen);
  return Result::Packet;
}

}  // namespace quartet::analyzer::net
