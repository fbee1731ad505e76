// Classic pcap records read in place: the source is read a large piece at a time
// straight into one buffer and each packet is handed out as a view into it.
// libpcap reads the same records with two freads per packet, each a copy out of
// the stream's buffer: on a 32 MB mixed capture, 7.5% of quartet's instructions.
// libpcap still opens the file and checks its header; this reader then takes
// over the stream where libpcap's header read left it.
//
// It gives exactly what libpcap 1.10's pcap_next_ex gives for the files it is
// used on (CaptureFile picks them: version 2.4, the two standard magics, no
// capture filter, a link type without pseudo-header fix-ups and whose maximum
// record is 262,144 bytes) — the same packets, timestamps and lengths, and the
// same words when the file ends early or lies about a length.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "common/bytes.hpp"
#include "net/record_window.hpp"

namespace quartet::analyzer::net {

class PcapRecords {
 public:
  // Records of at most this many captured bytes (libpcap's MAXIMUM_SNAPLEN).
  static constexpr uint32_t kMaxCaplen = 262144;

  struct Record {
    uint32_t seconds = 0;
    int64_t nanoseconds = 0;  // as libpcap scales it: a signed 32-bit field, × 1000 for microseconds
    uint32_t caplen = 0;
    uint32_t len = 0;
    Bytes data;  // valid until the next call to next()
  };
  enum class Result { Packet, End, Error };

  // Reads what `stream` (positioned at the first record) holds buffered, then the
  // rest through `read_direct` (OpenedStream::read_direct). `stream` stays the caller's.
  // `read_ahead`: the rest is read on a thread of its own (ReadAhead), started when
  // the buffered part is used up, so a file only opened for its first packet never starts one.
  PcapRecords(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, bool swapped, bool microseconds,
              bool read_ahead = false);

  // On Error, error() holds libpcap's message for the same fault.
  Result next(Record& out);
  const std::string& error() const { return error_; }
  // No more records are wanted: the reading thread (read ahead) stops now, so that
  // what the source reports about its reads (StreamProgress) is read after it.
  void stop_reading() { window_.stop_reading(); }
  // A thread reads the source ahead (started, not yet stopped).
  bool reading_ahead() const { return window_.reading_ahead(); }

 private:
  uint32_t u32(const std::byte* p) const;

  RecordWindow window_;
  bool swapped_;
  bool microseconds_;
  std::string error_;
};

}  // namespace quartet::analyzer::net
