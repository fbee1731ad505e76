// Opens a capture file (or standard input) as a stdio stream that yields the
// capture's bytes, transparently decompressing gzip and zstd input. Like
// tshark, the compression is recognised by the content (magic bytes), not by
// the file name. Decompression is streamed through a glibc cookie stream
// (fopencookie), so a compressed capture never has to fit in memory and
// libpcap reads it with pcap_fopen_offline like any other file.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "net/pcapng_secrets.hpp"

namespace quartet::analyzer::net {

// An input that cannot be opened or is not a capture. The message names the file.
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Compression : uint8_t { None, Gzip, Zstd };

// What reading a live input needs: a capture read from a pipe as it is made
// (tcpdump -U -w - | quartet -), which a user ends with Ctrl-C.
struct LiveInput {
  // Set (by a signal handler, on any thread) to stop reading: every input ends at
  // its next read, as at its end; what was read before is still decoded.
  const std::atomic<bool>* stop = nullptr;
  // Called on the reading thread when a stream (standard input, a pipe, a FIFO) has
  // had no data for kIdleWaitMs, once per wait: what was read so far can be written
  // out meanwhile, instead of when the next packets come.
  std::function<void()> on_idle;
  static constexpr int kIdleWaitMs = 20;
  bool stopped() const { return stop && stop->load(std::memory_order_relaxed); }
};

// Counters the stream updates while it is read; they outlive the FILE*.
struct StreamProgress {
  // Bytes consumed from the file itself (compressed size). Atomic: a file read
  // ahead (ReadAhead) counts them on its reading thread, the progress bar reads them.
  std::atomic<uint64_t> raw_bytes{0};
  // Bytes of the capture itself (decompressed) handed out so far: where the stream is.
  std::atomic<uint64_t> served_bytes{0};
  std::string error;  // set when the compressed data is corrupt or cut short
  // Classic pcap only: the snapshot length the file header declares. The stream
  // serves the header with 0 there instead ("the link type's maximum" to libpcap),
  // because libpcap cuts every record to the header's snaplen while Wireshark reads
  // records whole; a record longer than this is then reported, not cut.
  uint32_t pcap_header_snaplen = 0;
  bool classic_pcap = false;      // the stream starts with a classic pcap header
  bool microsecond_pcap = false;  // ... of microsecond resolution (not the nanosecond magic)
  // Receives the TLS key logs of pcapng Decryption Secrets Blocks as the stream is read.
  SecretsCallback on_secrets;
  LiveInput live;
};

struct StreamReplay;

struct OpenedStream {
  FILE* file = nullptr;  // caller owns it (pcap_close closes it once pcap owns it)
  Compression compression = Compression::None;
  uint64_t size = 0;  // size on disk, 0 when unknown (standard input, pipes)
  // A regular file, which can be opened again and read from the start. Anything
  // else (standard input, a pipe or FIFO given by name, a device) is read once:
  // its first 4 MiB served are kept so that the stream can be read again from
  // the start (see reopen_from_start).
  bool reopenable = false;
  std::shared_ptr<StreamReplay> replay;
  // Reads the same bytes as `file` but past its buffer: up to n bytes, 0 at the
  // end, -1 on an error (errno says which); counted in the progress as `file`'s
  // reads are. For a reader that has taken what `file` holds buffered and never
  // reads `file` again (PcapRecords), so the bytes arrive without a copy through
  // the FILE's buffer (glibc's cookie streams always copy).
  std::function<ssize_t(char* buf, size_t n)> read_direct;
};

// A new stream with the same bytes from the start: the recorded ones, then the
// rest of the input. nullptr when more than the recorded amount was read.
// The recording stops with this call.
FILE* reopen_from_start(const std::shared_ptr<StreamReplay>& replay);

// `path` "-" means standard input. Throws CaptureError naming the file.
OpenedStream open_capture_stream(const std::string& path, std::shared_ptr<StreamProgress> progress);

}  // namespace quartet::analyzer::net
