#include "net/capture_reader.hpp"

#include "net/link_layer.hpp"
#include "net/pcap_records.hpp"
#include "net/pcapng_blocks.hpp"
#include "net/pcapng_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace quartet::analyzer::net {

TimeNs clamp_timestamp(int64_t seconds, int64_t nanoseconds) {
  constexpr int64_t kMaxSeconds = kMaxTimestamp / 1'000'000'000 - 1;
  if (seconds < 0) return 0;
  if (seconds > kMaxSeconds) return kMaxTimestamp;
  return std::clamp<TimeNs>(seconds * 1'000'000'000 + nanoseconds, 0, kMaxTimestamp);
}

CaptureFile::CaptureFile(std::string path, const std::string& bpf_filter, SecretsCallback on_secrets, bool own_records,
                         bool read_ahead, LiveInput live)
    : path_(std::move(path)), progress_(std::make_shared<StreamProgress>()), filter_(bpf_filter) {
  progress_->on_secrets = std::move(on_secrets);
  progress_->live = std::move(live);
  OpenedStream s = open_capture_stream(path_, progress_);
  size_ = s.size;
  compression_ = s.compression;
  replay_ = s.replay;
  reopenable_ = s.reopenable;
  char err[PCAP_ERRBUF_SIZE] = {0};
  pcap_ = pcap_fopen_offline_with_tstamp_precision(s.file, PCAP_TSTAMP_PRECISION_NANO, err);
  if (!pcap_) {
    std::fclose(s.file);  // libpcap leaves the stream to the caller on failure
    std::string why = err;
    if (!progress_->error.empty()) why += " (" + progress_->error + ")";
    throw CaptureError(path_ + ": " + why);
  }
  linktype_ = pcap_datalink(pcap_);
  if (!bpf_filter.empty()) {
    bpf_program prog{};
    if (pcap_compile(pcap_, &prog, bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      std::string why = pcap_geterr(pcap_);
      pcap_close(pcap_);
      pcap_ = nullptr;
      throw CaptureError(path_ + ": bad capture filter '" + bpf_filter + "': " + why);
    }
    const int rc = pcap_setfilter(pcap_, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
      std::string why = pcap_geterr(pcap_);
      pcap_close(pcap_);
      pcap_ = nullptr;
      throw CaptureError(path_ + ": cannot apply capture filter: " + why);
    }
  }
  // libpcap has read and checked the file header; its records are read in place
  // from here on where that is the same as pcap_next_ex (see pcap_records.hpp):
  // a regular file (a pipe's reader must not wait for a whole chunk), version 2.4
  // (older ones may swap the two lengths), no filter, and a link type libpcap
  // neither caps below 262,144 bytes nor rewrites (it swaps the SLL headers of a
  // file in the other byte order).
  const bool swapped = pcap_is_swapped(pcap_) == 1;
  const bool in_place = own_records && s.size > 0 && bpf_filter.empty() && link_type_supported(linktype_) &&
                        !(swapped && (linktype_ == DLT_LINUX_SLL || linktype_ == DLT_LINUX_SLL2));
  if (in_place && progress_->classic_pcap && pcap_major_version(pcap_) == 2 && pcap_minor_version(pcap_) == 4)
    records_ = std::make_unique<PcapRecords>(pcap_file(pcap_), std::move(s.read_direct), swapped,
                                             progress_->microsecond_pcap, read_ahead && reads_ahead_well());
  // A pcapng file's blocks likewise (see pcapng_blocks.hpp), where libpcap stopped
  // after the first interface: a regular file, which can be read again by libpcap
  // should a block need it. Not read ahead: its secrets blocks would then reach
  // on_secrets on the reading thread.
  if (in_place && !progress_->classic_pcap && reopenable_) {
    const std::optional<PcapngBlocks::Start> start = pcapng_start();
    FILE* f = pcap_file(pcap_);
    const auto buffered = static_cast<uint64_t>(f->_IO_read_end - f->_IO_read_ptr);
    if (start && start->swapped == swapped && progress_->served_bytes == start->end + buffered)
      blocks_ = std::make_unique<PcapngBlocks>(f, std::move(s.read_direct), *start, linktype_, pcap_snapshot(pcap_));
  }
}

// The file's first bytes again, through a stream of their own (decompressed as the
// capture is), for the first interface libpcap has read.
std::optional<PcapngBlocks::Start> CaptureFile::pcapng_start() const {
  OpenedStream again;
  try {
    again = open_capture_stream(path_, std::make_shared<StreamProgress>());
  } catch (const CaptureError&) {
    return std::nullopt;
  }
  std::vector<std::byte> head(PcapngBlocks::kStartBytes);
  head.resize(std::fread(head.data(), 1, head.size(), again.file));
  std::fclose(again.file);
  return PcapngBlocks::read_start(head);
}

// Read ahead: an uncompressed file (a compressed one could report a fault of its
// data further on than it is read without, in its truncation words) of more than a
// few reads (for less, a thread costs more than it saves).
bool CaptureFile::reads_ahead_well() const { return compression_ == Compression::None && size_ > (uint64_t{1} << 20); }

bool CaptureFile::reads_ahead() const { return records_ && records_->reading_ahead(); }

CaptureFile::~CaptureFile() {
  records_.reset();  // its reading thread (read ahead) first: it reads the stream libpcap closes
  blocks_.reset();
  if (pcap_) pcap_close(pcap_);
}

// Counters for the file opened again from its start, with the same callbacks.
std::shared_ptr<StreamProgress> CaptureFile::fresh_progress() const {
  auto progress = std::make_shared<StreamProgress>();
  progress->on_secrets = progress_->on_secrets;
  progress->live = progress_->live;
  return progress;
}

// libpcap 1.10 rejects pcapng sections whose interfaces have different link
// types. A regular file is then read again with our own pcapng reader, which
// skips the packets libpcap already delivered.
bool CaptureFile::switch_to_own_pcapng() {
  FILE* again = nullptr;
  if (!reopenable_) {
    again = reopen_from_start(replay_);  // the same progress counters go on
    if (!again) return false;
  } else {
    auto progress = fresh_progress();
    try {
      again = open_capture_stream(path_, progress).file;
    } catch (const CaptureError&) {
      return false;
    }
    progress_ = progress;
  }
  pcap_close(pcap_);
  pcap_ = nullptr;
  replay_.reset();
  pcapng_ = std::make_unique<PcapngReader>(again, path_, filter_);
  Packet skip;
  for (uint64_t i = 0; i < packets_; ++i)
    if (!pcapng_->next(skip)) break;
  return true;
}

bool CaptureFile::next(Packet& out) {
  if (done_) return false;
  if (pcapng_) {
    if (pcapng_->next(out)) {
      ++packets_;
      return true;
    }
    std::string why = pcapng_->error();
    // Stopped where libpcap stopped: libpcap's reason says more.
    if (!why.empty() && packets_ == switched_at_ && !libpcap_error_.empty()) why = libpcap_error_;
    return finish(std::move(why));
  }
  if (records_) return next_record(out);
  if (blocks_) return next_block(out);
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(pcap_, &hdr, &data);
  if (rc == 1) {
    // Classic pcap seconds are unsigned 32-bit (read as Wireshark does); libpcap
    // hands them over as signed, so times after January 2038 come out negative.
    int64_t sec = static_cast<int64_t>(hdr->ts.tv_sec);
    if (sec < 0 && progress_->classic_pcap) sec += int64_t{1} << 32;
    deliver(out, sec, static_cast<int64_t>(hdr->ts.tv_usec),
            Bytes(reinterpret_cast<const std::byte*>(data), hdr->caplen), hdr->len);
    return true;
  }
  std::string why;
  if (rc == PCAP_ERROR) {
    why = pcap_geterr(pcap_);
    // libpcap 1.10 gives up on pcapng files Wireshark reads: interfaces with
    // different link types, a packet of an undeclared interface, a new section in
    // the other byte order. Our reader handles those and stops (with its own
    // reason) where the file is really damaged.
    if (!progress_->classic_pcap && switch_to_own_pcapng()) {
      libpcap_error_ = why;
      switched_at_ = packets_;
      return next(out);
    }
  }
  return finish(std::move(why));
}

bool CaptureFile::next_record(Packet& out) {
  PcapRecords::Record r;
  switch (records_->next(r)) {
    case PcapRecords::Result::Packet: deliver(out, r.seconds, r.nanoseconds, r.data, r.len); return true;
    case PcapRecords::Result::End: return finish({});
    case PcapRecords::Result::Error: break;
  }
  return finish(records_->error());
}

bool CaptureFile::next_block(Packet& out) {
  PcapngBlocks::Record r;
  switch (blocks_->next(r)) {
    case PcapngBlocks::Result::Packet: deliver(out, r.seconds, r.nanoseconds, r.data, r.len); return true;
    case PcapngBlocks::Result::End: return finish({});
    case PcapngBlocks::Result::Fallback: break;
  }
  blocks_.reset();
  if (!reread_with_libpcap()) return false;
  return next(out);
}

// A block PcapngBlocks leaves to libpcap: the file is opened again and libpcap
// reads it from the start, past the packets already handed out, and on from there.
bool CaptureFile::reread_with_libpcap() {
  auto progress = fresh_progress();
  OpenedStream s;
  try {
    s = open_capture_stream(path_, progress);
  } catch (const CaptureError& e) {
    return finish(e.what());
  }
  char err[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* again = pcap_fopen_offline_with_tstamp_precision(s.file, PCAP_TSTAMP_PRECISION_NANO, err);
  if (!again) {
    std::fclose(s.file);
    return finish(err);
  }
  pcap_close(pcap_);
  pcap_ = again;
  progress_ = progress;
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  for (uint64_t i = 0; i < packets_; ++i) {
    const int rc = pcap_next_ex(pcap_, &hdr, &data);
    if (rc == 1) continue;
    // The file changed under us: it now ends (or fails) before what was read.
    return finish(rc == PCAP_ERROR ? pcap_geterr(pcap_) : "the file ended earlier when read again");
  }
  return true;
}

void CaptureFile::deliver(Packet& out, int64_t seconds, int64_t nanoseconds, Bytes data, uint32_t len) {
  ++packets_;
  out.ts = clamp_timestamp(seconds, nanoseconds);
  out.data = data;
  const auto caplen = static_cast<uint32_t>(data.size());
  out.wire_len = std::max(len, caplen);
  out.linktype = linktype_;
  const uint32_t declared = progress_->pcap_header_snaplen;
  if (declared != 0 && caplen > declared) {
    ++oversized_;
    oversized_max_ = std::max(oversized_max_, caplen);
  }
}

bool CaptureFile::finish(std::string why) {
  done_ = true;
  if (records_) records_->stop_reading();
  if (!progress_->error.empty()) why += (why.empty() ? "" : "; ") + progress_->error;
  if (!why.empty()) truncation_ = "file " + path_ + " truncated after " + std::to_string(packets_) + " packets: " + why;
  return false;
}

std::vector<std::string> CaptureFile::notices() const {
  std::vector<std::string> out;
  if (oversized_ > 0)
    out.push_back("file " + path_ + ": " + std::to_string(oversized_) + " record" + (oversized_ == 1 ? "" : "s") +
                  " longer than the snapshot length in the file header (" +
                  std::to_string(progress_->pcap_header_snaplen) + " bytes; longest " + std::to_string(oversized_max_) +
                  "), read whole as Wireshark does");
  if (pcapng_ && pcapng_->undeclared_interface_packets() > 0)
    out.push_back("file " + path_ + ": " + std::to_string(pcapng_->undeclared_interface_packets()) +
                  " packets of interfaces the section does not declare skipped (first: interface " +
                  std::to_string(pcapng_->first_undeclared_interface()) + ")");
  return out;
}

MergedReader::MergedReader(std::vector<std::string> paths, std::string bpf_filter, SecretsCallback on_secrets,
                           bool read_ahead, LiveInput live)
    : paths_(std::move(paths)),
      filter_(std::move(bpf_filter)),
      on_secrets_(std::move(on_secrets)),
      live_(std::move(live)),
      read_ahead_(read_ahead) {
  if (paths_.empty()) paths_.push_back("-");
  inputs_.resize(paths_.size());
  for (size_t i = 0; i < paths_.size(); ++i) {
    Input& in = inputs_[i];
    // Stopped (Ctrl-C) while the files are looked at: the rest are not read at all.
    if (live_.stopped()) {
      in.empty = in.finished = true;
      continue;
    }
    // Not read ahead: opened here for its first packet only (a file is opened again to be
    // merged, in activate; a stream read once, kept open, is never read ahead).
    in.file = std::make_unique<CaptureFile>(paths_[i], filter_, on_secrets_, true, false, live_);
    total_bytes_ += in.file->size();
    sizes_known_ = sizes_known_ && in.file->reopenable();
    if (!in.file->next(in.head)) {
      in.empty = true;
      if (!in.file->truncation().empty()) warnings_.push_back(in.file->truncation());
      in.finished = true;
      in.finished_bytes = in.file->size();
      in.file.reset();
      continue;
    }
    in.first_ts = in.head.ts;
    microseconds_only_ = microseconds_only_ && in.file->microseconds_only();
    // Standard input, a pipe or a FIFO cannot be read twice: keep it open with its first packet.
    if (in.file->reopenable()) in.file.reset();
    pending_.push_back(i);
  }
  std::stable_sort(pending_.begin(), pending_.end(),
                   [this](size_t a, size_t b) { return inputs_[a].first_ts < inputs_[b].first_ts; });
}

MergedReader::~MergedReader() = default;

bool MergedReader::activate(size_t i) {
  Input& in = inputs_[i];
  if (!in.file) {
    const bool ahead = read_ahead_ && active_.size() < kReadAheadFiles;
    in.file = std::make_unique<CaptureFile>(paths_[i], filter_, on_secrets_, true, ahead, live_);
    if (!in.file->next(in.head)) {
      retire(i);
      return false;
    }
  }
  in.active = true;
  active_.push_back(i);
  return true;
}

void MergedReader::retire(size_t i) {
  Input& in = inputs_[i];
  if (in.file)
    for (std::string& n : in.file->notices()) notices_.push_back(std::move(n));
  if (in.file && !in.file->truncation().empty()) warnings_.push_back(in.file->truncation());
  in.finished = true;
  in.finished_bytes = in.file ? std::max(in.file->size(), in.file->raw_bytes_read()) : 0;
  in.active = false;
  in.file.reset();
  active_.erase(std::remove(active_.begin(), active_.end(), i), active_.end());
}

bool MergedReader::next(Packet& out) {
  if (last_ != SIZE_MAX) {
    Input& in = inputs_[last_];
    if (!in.file->next(in.head)) retire(last_);
    last_ = SIZE_MAX;
  }
  for (;;) {
    size_t best = SIZE_MAX;
    for (size_t i : active_) {
      const Input& in = inputs_[i];
      if (best == SIZE_MAX || in.head.ts < inputs_[best].head.ts || (in.head.ts == inputs_[best].head.ts && i < best))
        best = i;
    }
    // Open the next file in time order once the merge reaches its first packet (not
    // once stopped: it would end at once, before its header).
    if (pending_pos_ < pending_.size() && !live_.stopped() &&
        (best == SIZE_MAX || inputs_[pending_[pending_pos_]].first_ts <= inputs_[best].head.ts)) {
      activate(pending_[pending_pos_++]);
      continue;
    }
    if (best == SIZE_MAX) return false;
    out = inputs_[best].head;
    out.file = best;
    out.number = ++number_;
    last_ = best;
    return true;
  }
}

size_t MergedReader::files_read_ahead() const {
  return static_cast<size_t>(
      std::count_if(active_.begin(), active_.end(), [this](size_t i) { return inputs_[i].file->reads_ahead(); }));
}

uint64_t MergedReader::bytes_read() const {
  uint64_t n = 0;
  for (const Input& in : inputs_) n += in.file ? in.file->raw_bytes_read() : in.finished ? in.finished_bytes : 0;
  return n;
}

std::vector<std::string> MergedReader::take_notices() {
  std::vector<std::string> n;
  n.swap(notices_);
  return n;
}

std::vector<std::string> MergedReader::take_warnings() {
  std::vector<std::string> w;
  w.swap(warnings_);
  return w;
}

}  // namespace quartet::analyzer::net
