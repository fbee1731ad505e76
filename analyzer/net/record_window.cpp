#include "net/record_window.hpp"

#include <cerrno>
#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {
namespace {

// Room for a split record (moved to the front before each read) and at least
// 1 MiB more: the reads are then as large as the source gives (256 KiB for a
// plain file) and the copy-down of split records does not show.
constexpr size_t kReadRoom = size_t{1} << 20;
// Read ahead: four chunks of 256 KiB, one read of a plain file each (one parsed,
// one being read, two ready), each after room for the longest record a chunk can
// cut short (touched only as far as a cut record reaches). Chunks of 512 KiB cost
// a megabyte more and saved nothing.
constexpr size_t kChunkBytes = size_t{256} << 10;
constexpr size_t kChunks = 4;
// Chunks pinned at once at most by bytes handed on to other threads without a copy
// (ReadAhead::pin_current): each adds one chunk to the pool. Two workers reached
// eight on the mixed capture; the copies past it cost more time and memory than the
// chunks (docs/performance.md, thirteenth round).
constexpr size_t kMaxPinned = 16;

}  // namespace

RecordWindow::RecordWindow(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, size_t max_record,
                           bool read_ahead)
    : read_(std::move(read_direct)),
      max_record_(max_record),
      capacity_(kReadRoom + max_record),
      buf_(std::make_unique_for_overwrite<std::byte[]>(capacity_)),
      base_(buf_.get()),
      read_ahead_(read_ahead) {
  // What libpcap's header read left in the stream's buffer comes first (at most
  // the 256 KiB buffer). The count is read as gnulib's freadahead does on glibc.
  const auto buffered = static_cast<size_t>(stream->_IO_read_end - stream->_IO_read_ptr);
  end_ = std::fread(buf_.get(), 1, std::min(buffered, capacity_), stream);
}

void RecordWindow::stop_reading() {
  ahead_.reset();
  chunk_ = nullptr;
  base_ = nullptr;
  pos_ = end_ = 0;
  eof_ = true;
}

bool RecordWindow::fill(size_t want) {
  if (end_ - pos_ >= want) return true;
  if (read_ahead_) return fill_ahead(want);
  std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);  // the split record, if any
  end_ -= pos_;
  pos_ = 0;
  while (end_ < want && !eof_) {
    const ssize_t got = read_(reinterpret_cast<char*>(buf_.get() + end_), capacity_ - end_);
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
// of its bytes (want <= max_record = the headroom: it always fits).
bool RecordWindow::fill_ahead(size_t want) {
  while (end_ - pos_ < want && !eof_) {
    if (!ahead_) ahead_ = std::make_unique<ReadAhead>(std::move(read_), max_record_, kChunkBytes, kChunks, kMaxPinned);
    ReadAhead::Chunk* next = ahead_->take();
    const size_t left = end_ - pos_;
    std::byte* front = next->memory.get() + max_record_ - left;
    if (left) std::memcpy(front, base_ + pos_, left);
    if (chunk_) ahead_->give_back(chunk_);
    else buf_.reset();  // the stream's buffered part is used up
    chunk_ = next;
    base_ = next->memory.get();
    pos_ = max_record_ - left;
    end_ = max_record_ + next->bytes;
    if (next->last) {
      eof_ = true;
      read_errno_ = next->error;
    }
  }
  return end_ - pos_ >= want;
}

}  // namespace quartet::analyzer::net
