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
// Read ahead: four chunks of 256 KiB, one read of a plain file each (one parsed,
// one being read, two ready), each after room for the longest record a chunk can
// cut short (touched only as far as a cut record reaches). Chunks of 512 KiB cost
// a megabyte more and saved nothing.
constexpr size_t kHeadroom = kRecordHeader + PcapRecords::kMaxCaplen;
constexpr size_t kChunkBytes = size_t{256} << 10;
constexpr size_t kChunks = 4;
// Chunks pinned at once at most by bytes handed on to other threads without a copy
// (ReadAhead::pin_current; --threads): each adds one chunk to the pool.
constexpr size_t kMaxPinned = 8;

}  // namespace

PcapRecords::PcapRecords(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, bool swapped,
                         bool microseconds, bool read_ahead)
    : read_(std::move(read_direct)),
      swapped_(swapped),
      microseconds_(microseconds),
      buf_(std::make_unique_for_overwrite<std::byte[]>(kCapacity)),
      base_(buf_.get()),
      read_ahead_(read_ahead) {
  // What libpcap's header read left in the stream's buffer comes first (at most
  // the 256 KiB buffer). The count is read as gnulib's freadahead does on glibc.
  const auto buffered = static_cast<size_t>(stream->_IO_read_end - stream->_IO_read_ptr);
  end_ = std::fread(buf_.get(), 1, std::min(buffered, kCapacity), stream);
}

void PcapRecords::stop_reading() {
  ahead_.reset();
  chunk_ = nullptr;
  base_ = nullptr;
  pos_ = end_ = 0;
  eof_ = true;
}

uint32_t PcapRecords::u32(const std::byte* p) const {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return swapped_ ? __builtin_bswap32(v) : v;
}

bool PcapRecords::fill(size_t want) {
  if (end_ - pos_ >= want) return true;
  if (read_ahead_) return fill_ahead(want);
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

// The next chunks, each with what the last one left of a cut record put in front
// of its bytes (want <= kRecordHeader + kMaxCaplen = the headroom: it always fits).
bool PcapRecords::fill_ahead(size_t want) {
  while (end_ - pos_ < want && !eof_) {
    if (!ahead_) ahead_ = std::make_unique<ReadAhead>(std::move(read_), kHeadroom, kChunkBytes, kChunks, kMaxPinned);
    ReadAhead::Chunk* next = ahead_->take();
    const size_t left = end_ - pos_;
    std::byte* front = next->memory.get() + kHeadroom - left;
    if (left) std::memcpy(front, base_ + pos_, left);
    if (chunk_) ahead_->give_back(chunk_);
    else buf_.reset();  // the stream's buffered part is used up
    chunk_ = next;
    base_ = next->memory.get();
    pos_ = kHeadroom - left;
    end_ = kHeadroom + next->bytes;
    if (next->last) {
      eof_ = true;
      read_errno_ = next->error;
    }
  }
  return end_ - pos_ >= want;
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
  const std::byte* h = base_ + pos_;
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
  out.data = Bytes(base_ + pos_ + kRecordHeader, out.caplen);
  pos_ += kRecordHeader + out.caplen;
  return Result::Packet;
}

}  // namespace quartet::analyzer::net
