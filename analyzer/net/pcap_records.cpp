#include "net/pcap_records.hpp"

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {
namespace {

constexpr size_t kRecordHeader = 16;
// Room for a split record (moved to the front before each read) and at least
// 1 MiB more: the reads are then as large as the source gives (256 KiB for a
// plain file) and the copy-down of split records does not show.
constexpr size_t kCapacity = (size_t{1} << 20) + kRecordHeader + PcapRecords::kMaxCaplen;

}  // namespace

PcapRecords::PcapRecords(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, bool swapped,
                         bool microseconds)
    : read_(std::move(read_direct)),
      swapped_(swapped),
      microseconds_(microseconds),
      buf_(std::make_unique_for_overwrite<std::byte[]>(kCapacity)) {
  // What libpcap's header read left in the stream's buffer comes first (at most
  // the 256 KiB buffer). The count is read as gnulib's freadahead does on glibc.
  const auto buffered = static_cast<size_t>(stream->_IO_read_end - stream->_IO_read_ptr);
  end_ = std::fread(buf_.get(), 1, std::min(buffered, kCapacity), stream);
}

uint32_t PcapRecords::u32(const std::byte* p) const {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return swapped_ ? __builtin_bswap32(v) : v;
}

bool PcapRecords::fill(size_t want) {
  if (end_ - pos_ >= want) return true;
  std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);  // the split record, if any
  end_ -= pos_;
  pos_ = 0;
  while (end_ < want && !eof_) {
    const ssize_t got = read_(reinterpret_cast<char*>(buf_.get() + end_), kCapacity - end_);
    if (got > 0) {
      end_ += static_cast<size_t>(got);
      continue;
    }
    if (got < 0) read_errno_ = errno;
    eof_ = true;
  }
  return end_ >= want;
}

PcapRecords::Result PcapRecords::next(Record& out) {
  // libpcap's own words for each fault (sf-pcap.c, pcap_next_packet), so a
  // truncated file reads the same whichever reader met it.
  const auto read_error = [this] {
    error_ = std::string("error reading dump file: ") + std::strerror(read_errno_);
    return Result::Error;
  };
  if (!fill(kRecordHeader)) {
    const size_t got = end_ - pos_;
    if (read_errno_) return read_error();
    if (got == 0) return Result::End;
    error_ = "truncated dump file; tried to read 16 header bytes, only got " + std::to_string(got);
    return Result::Error;
  }
  const std::byte* h = buf_.get() + pos_;
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
  if (!fill(kRecordHeader + out.caplen)) {
    const size_t got = end_ - pos_ - kRecordHeader;
    if (read_errno_) return read_error();
    error_ = "truncated dump file; tried to read " + std::to_string(out.caplen) + " captured bytes, only got " +
             std::to_string(got);
    return Result::Error;
  }
  out.data = Bytes(buf_.get() + pos_ + kRecordHeader, out.caplen);
  pos_ += kRecordHeader + out.caplen;
  return Result::Packet;
}

}  // namespace quartet::analyzer::net
