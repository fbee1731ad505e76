// Reads one or more capture files (pcap or pcapng, optionally gzip/zstd
// compressed) through libpcap and merges them by timestamp into one packet
// stream, so the files of a ring-buffer capture give one set of sessions. The
// records of a classic pcap file (PcapRecords) and the blocks of a pcapng file
// (PcapngBlocks) are read in place where that gives what libpcap gives.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "common/session.hpp"  // TimeNs
#include "net/capture_stream.hpp"
#include "net/pcapng_blocks.hpp"

namespace quartet::analyzer::net {

class PcapngReader;
class PcapRecords;

// Timestamps are kept within [0, kMaxTimestamp] (year 2116) so that any
// difference or sum of two of them fits in 64 bits, whatever a corrupt file says.
constexpr TimeNs kMaxTimestamp = TimeNs{1} << 62;
TimeNs clamp_timestamp(int64_t seconds, int64_t nanoseconds);

struct Packet {
  TimeNs ts = 0;
  Bytes data;             // captured bytes; valid until the next call to next()
  uint32_t wire_len = 0;  // original length on the wire (> data.size() when snaplen-cut)
  int linktype = 0;       // DLT_* value as libpcap reports it
  size_t file = 0;        // index into the input list
  uint64_t number = 0;    // 1-based frame number in the merged stream
};

// One open capture file.
class CaptureFile {
 public:
  // Throws CaptureError naming the file: unreadable, unknown format, bad filter.
  // `on_secrets` receives the key logs of pcapng Decryption Secrets Blocks as they are read.
  // `own_records`: a file libpcap has opened is read on by PcapRecords (classic pcap)
  // or PcapngBlocks (pcapng) where that gives the same packets (false: libpcap reads
  // every record; for tests).
  // `read_ahead`: an uncompressed file read so is read ahead on a thread of its own
  // (ReadAhead; --threads). `live`: when to stop reading, and what to do while a
  // stream waits for data (LiveInput).
  CaptureFile(std::string path, const std::string& bpf_filter, SecretsCallback on_secrets = {}, bool own_records = true,
              bool read_ahead = false, LiveInput live = {});
  ~CaptureFile();
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  // The next packet passing the filter; false at the end of the file or when
  // the file is truncated or corrupt (then truncation() says so).
  bool next(Packet& out);

  const std::string& path() const { return path_; }
  // A classic pcap of microsecond resolution: every timestamp it gives is a whole
  // number of microseconds (a 32-bit seconds field never reaches the clamp).
  bool microseconds_only() const { return progress_->classic_pcap && progress_->microsecond_pcap; }
  int linktype() const { return linktype_; }
  uint64_t packets_read() const { return packets_; }
  uint64_t raw_bytes_read() const { return progress_->raw_bytes; }
  uint64_t size() const { return size_; }
  // A regular file: it can be opened again (standard input, a pipe, a FIFO cannot).
  bool reopenable() const { return reopenable_; }
  Compression compression() const { return compression_; }
  // Records are read in place (PcapRecords, PcapngBlocks), not through pcap_next_ex.
  bool reads_records_in_place() const { return records_ != nullptr || blocks_ != nullptr; }
  // ... and a thread reads the file ahead of them (ReadAhead; once past the stream's buffer).
  bool reads_ahead() const;
  // Empty, or "file X truncated after N packets: <reason>".
  const std::string& truncation() const { return truncation_; }
  // What was odd but did not stop reading: records longer than the classic pcap
  // header's snapshot length (read whole, as Wireshark does; libpcap alone would
  // cut them), pcapng packets of undeclared interfaces (skipped).
  std::vector<std::string> notices() const;

 private:
  std::string path_;
  pcap_t* pcap_ = nullptr;
  std::shared_ptr<StreamProgress> progress_;
  int linktype_ = 0;
  uint64_t packets_ = 0;
  uint64_t oversized_ = 0;      // records longer than the header's snaplen
  uint32_t oversized_max_ = 0;  // the longest of them
  uint64_t size_ = 0;
  Compression compression_ = Compression::None;
  std::string truncation_;
  bool done_ = false;
  std::string filter_;
  std::unique_ptr<PcapRecords> records_;  // classic pcap records read in place (see the constructor)
  std::unique_ptr<PcapngBlocks> blocks_;  // pcapng blocks read in place (see the constructor)
  std::unique_ptr<PcapngReader> pcapng_;  // fallback for pcapng files libpcap gives up on
  std::string libpcap_error_;             // why libpcap gave up
  uint64_t switched_at_ = 0;              // packets read when it did
  std::shared_ptr<StreamReplay> replay_;  // a stream read once: its start, for the fallback
  bool reopenable_ = false;
  bool switch_to_own_pcapng();
  bool reads_ahead_well() const;
  bool next_record(Packet& out);
  bool next_block(Packet& out);
  std::optional<PcapngBlocks::Start> pcapng_start() const;
  bool reread_with_libpcap();
  std::shared_ptr<StreamProgress> fresh_progress() const;
  void deliver(Packet& out, int64_t seconds, int64_t nanoseconds, Bytes data, uint32_t len);
  bool finish(std::string why);  // the end, with why when it came early: always false
};

// Several files merged by packet timestamp (ties: earlier file first). Files
// are opened once up front to validate them and find their first timestamp,
// then kept open only while their packets are being merged, so a ring buffer
// of hundreds of files needs only the few that overlap in time at once.
class MergedReader {
 public:
  // Throws CaptureError for the first input that cannot be read.
  // `read_ahead`: as CaptureFile's, for at most kReadAheadFiles files at once (a
  // ring buffer's files come one after the other; captures of several interfaces
  // overlap, each would be one more thread). `live`: as CaptureFile's.
  static constexpr size_t kReadAheadFiles = 4;
  MergedReader(std::vector<std::string> paths, std::string bpf_filter, SecretsCallback on_secrets = {},
               bool read_ahead = false, LiveInput live = {});
  ~MergedReader();

  bool next(Packet& out);

  uint64_t bytes_read() const;  // raw (compressed) bytes consumed so far
  // 0 when unknown: an input is standard input, a pipe or a FIFO (the progress bar
  // would run past 100 %).
  uint64_t total_bytes() const { return sizes_known_ ? total_bytes_ : 0; }
  // Truncation warnings found since the last call.
  std::vector<std::string> take_warnings();
  // Notices (CaptureFile::notices) of the files finished since the last call.
  std::vector<std::string> take_notices();
  size_t file_count() const { return paths_.size(); }
  // Every input with packets is a classic pcap of microsecond resolution: no timestamp
  // of the run can need nanoseconds (known from construction on).
  bool microseconds_only() const { return microseconds_only_; }
  const std::vector<std::string>& paths() const { return paths_; }
  // Files being read ahead now (CaptureFile::reads_ahead).
  size_t files_read_ahead() const;

 private:
  struct Input {
    std::unique_ptr<CaptureFile> file;  // open only while active
    TimeNs first_ts = 0;
    bool empty = false;
    bool active = false;
    bool finished = false;
    uint64_t finished_bytes = 0;
    Packet head;  // valid while active
  };
  bool activate(size_t i);
  void retire(size_t i);

  std::vector<std::string> paths_;
  std::string filter_;
  SecretsCallback on_secrets_;
  LiveInput live_;
  bool read_ahead_ = false;
  std::vector<Input> inputs_;
  std::vector<size_t> pending_;  // not yet opened for merging, by first timestamp
  size_t pending_pos_ = 0;
  std::vector<size_t> active_;
  size_t last_ = SIZE_MAX;  // input whose head was handed out last
  uint64_t total_bytes_ = 0;
  bool sizes_known_ = true;
  uint64_t number_ = 0;
  bool microseconds_only_ = true;
  std::vector<std::string> warnings_;
  std::vector<std::string> notices_;
};

}  // namespace quartet::analyzer::net
