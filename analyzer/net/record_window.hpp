// The bytes of a capture stream, read in place for a parser that hands its records
// out as views (PcapRecords, PcapngBlocks): the source is read a large piece at a
// time straight into one buffer, or by a thread of its own (ReadAhead) into chunks,
// and every record of at most `max_record` bytes is contiguous.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>

#include "net/read_ahead.hpp"

namespace quartet::analyzer::net {

class RecordWindow {
 public:
  // Takes what `stream` holds buffered, then reads the rest through `read_direct`
  // (OpenedStream::read_direct). `stream` stays the caller's and is not read again.
  // `read_ahead`: the rest is read on a thread of its own, started when the buffered
  // part is used up, so a file only opened for its first packet never starts one.
  RecordWindow(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, size_t max_record, bool read_ahead);

  // Makes at least `want` (at most max_record) bytes available from the current
  // position; false when the stream ended (or failed) first, leaving what it had.
  bool fill(size_t want);
  const std::byte* data() const { return base_ + pos_; }
  size_t available() const { return end_ - pos_; }
  void consume(size_t n) { pos_ += n; }
  // The errno of the read that failed, else 0.
  int read_errno() const { return read_errno_; }
  // No more bytes are wanted: the reading thread (read ahead) stops now.
  void stop_reading();
  bool reading_ahead() const { return ahead_ != nullptr; }

 private:
  bool fill_ahead(size_t want);  // fill() from ReadAhead's chunks

  std::function<ssize_t(char*, size_t)> read_;
  size_t max_record_;
  size_t capacity_;
  std::unique_ptr<std::byte[]> buf_;
  const std::byte* base_ = nullptr;  // what pos_ and end_ count from: buf_, or the current chunk
  size_t pos_ = 0;                   // the next unconsumed byte
  size_t end_ = 0;                   // bytes read into buf_ (or the chunk)
  bool read_ahead_ = false;
  std::unique_ptr<ReadAhead> ahead_;   // made at the first fill past what the stream held
  ReadAhead::Chunk* chunk_ = nullptr;  // the chunk being parsed, once there is one
  bool eof_ = false;
  int read_errno_ = 0;
};

}  // namespace quartet::analyzer::net
