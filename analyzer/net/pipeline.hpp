// The network half's driver: reads every input, decodes link and IP layers,
// reassembles IP fragments and TCP, and drives a StreamSink.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/capture_stream.hpp"  // CaptureError
#include "net/ip_defrag.hpp"
#include "net/tcp_config.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer::net {

struct Options {
  std::vector<std::string> inputs;  // capture files; "-" (or none) = standard input
  std::string bpf_filter;           // libpcap filter expression, empty = all
  TcpConfig tcp;
  DefragLimits fragments;
  // Called about every `progress_step` raw bytes and once at the end with
  // (bytes read, total bytes); total is 0 when unknown (standard input).
  std::function<void(uint64_t done, uint64_t total)> progress;
  uint64_t progress_step = 1u << 20;
  // TLS key logs found in pcapng Decryption Secrets Blocks, handed over as they
  // are read (before the packets that follow them).
  SecretsCallback on_secrets;
  // Called once, before the first packet, when every input is a classic pcap of
  // microsecond resolution (MergedReader::microseconds_only): no timestamp of the
  // run will need nanoseconds.
  std::function<void()> on_microseconds_only;
  // Uncompressed files are read ahead on a thread of their own (ReadAhead): for
  // --threads, whose reading thread is then freer for its own work.
  bool read_ahead = false;
  // A live capture: `stop` (set by a signal handler: Ctrl-C) ends the run early, the
  // inputs at their next read; what was read is decoded and the run finishes as at
  // their end (CaptureStats::interrupted). `on_idle`: a stream input has waited a
  // moment for data, what is decoded so far can be written out meanwhile.
  LiveInput live;
};

struct CaptureStats {
  uint64_t files = 0;
  uint64_t packets = 0;
  uint64_t captured_bytes = 0;
  uint64_t wire_bytes = 0;
  uint64_t snaplen_cut = 0;  // frames shorter than on the wire
  uint64_t ipv4 = 0, ipv6 = 0;
  uint64_t tcp = 0;
  uint64_t non_ip = 0;            // supported link, not IP (ARP, LLC...)
  uint64_t non_tcp = 0;           // IP, not TCP (UDP, ICMP, ESP...)
  uint64_t bad_link = 0;          // link header cut short
  uint64_t bad_ip = 0;            // malformed IP header
  uint64_t bad_tcp = 0;           // malformed or cut TCP header
  uint64_t unsupported_link = 0;  // frames of link types we do not parse
  uint64_t truncated_files = 0;
  bool interrupted = false;            // Options::live.stop ended the run before the inputs' end
  std::map<int, uint64_t> link_types;  // DLT value -> frames
  TimeNs first_ts = 0, last_ts = 0;
  DefragStats fragments;
  TcpStats tcp_stats;
  std::vector<std::string> warnings;  // every capture warning, also sent to the sink
};

// Reads all inputs in timestamp order and drives `sink`. Throws CaptureError
// (message names the file) before any sink call when an input cannot be opened,
// is not a capture, or the filter does not compile. A truncated or corrupt
// file is not an error: what was read is processed and a warning says where it stopped
// (CaptureStats::truncated_files > 0).
CaptureStats run(const Options& options, StreamSink& sink);

// "EN10MB (Ethernet)"-style name of a link type for messages.
std::string link_type_name(int dlt);

}  // namespace quartet::analyzer::net
