// The seam between the network half of the analyzer (pcap input, link/IP layers,
// TCP reassembly) and the application half (protocol detection, core sessions,
// timelines). The network half calls a StreamSink; the application half
// implements it. Calls arrive in one causal order over the whole capture.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/session.hpp"  // TimeNs

namespace quartet::analyzer {

struct Endpoint {
  std::array<uint8_t, 16> addr{};  // IPv4 in the first 4 bytes
  bool v6 = false;
  uint16_t port = 0;
  std::string ip_string() const;  // "192.0.2.1" / "2001:db8::1" (inet_ntop)
  // The same written at `p`, which has room for kIpRoom bytes; returns the end.
  static constexpr size_t kIpRoom = 46;  // INET6_ADDRSTRLEN
  char* write_ip(char* p) const;
};

enum class Side : uint8_t { Client, Server };

// How the reassembler decided who is the client: the SYN sender when the
// handshake was seen, otherwise a guess (the lower / well-known port is the server).
enum class RoleSource : uint8_t { Handshake, SynAck, PortGuess };

struct FlowInfo {
  uint64_t id = 0;  // unique per flow in this run, in order of first packet
  Endpoint client, server;
  RoleSource roles = RoleSource::PortGuess;
  bool handshake_seen = false;
  TimeNs first_ts = 0;
};

enum class CloseReason : uint8_t { Fin, Reset, Idle, EndOfCapture, MemoryLimit };

// Zeek-like connection state, handed over just before on_close (additive: the
// default on_conn_state ignores it). Byte counts are per side, in stream bytes.
struct ConnSummary {
  bool syn_seen = false;         // client SYN
  bool syn_ack_seen = false;     // server SYN+ACK
  bool handshake_seen = false;   // SYN, SYN+ACK and the client's ACK
  bool midstream = false;        // picked up without a SYN
  bool fin[2] = {false, false};  // indexed by Side
  bool rst[2] = {false, false};
  uint64_t bytes[2] = {0, 0};    // delivered via on_data
  uint64_t missing[2] = {0, 0};  // reported via on_gap
  uint64_t packets[2] = {0, 0};
  std::string_view zeek_state;  // "SF", "S0", "REJ", "RSTO", "OTH"... (static string)
};

class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // A new flow (first packet, with or without SYN).
  virtual void on_open(const FlowInfo& flow) = 0;
  // In-order payload bytes from one side. `data` is only valid during the call
  // (zero-copy from the pcap buffer when the segment arrived in order). Returns
  // false when the flow's bytes no longer matter to the sink, e.g. a connection
  // that is not of our protocols: its later bytes are then only counted, except
  // those whose timestamp is not a whole microsecond, which still come (such a
  // timestamp turns the analyzer's output to nanoseconds). Every other call goes on.
  virtual bool on_data(uint64_t flow, Side from, Bytes data, TimeNs ts) = 0;
  // Bytes that will never be seen (lost, not captured, snaplen-cut, over the memory limit).
  virtual void on_gap(uint64_t flow, Side from, uint64_t missing_bytes, TimeNs ts) = 0;
  // A per-flow finding of the network layer, e.g. "overlap with different bytes at seq 1234 (first kept)".
  virtual void on_flow_warning(uint64_t flow, Side from, std::string_view text, TimeNs ts) = 0;
  // FIN from one side (the flow stays open for the other direction).
  virtual void on_fin(uint64_t flow, Side from, TimeNs ts) = 0;
  // The flow ended: both FINs, RST, idle expiry, memory limit, or end of capture.
  virtual void on_close(uint64_t flow, CloseReason why, Side by, TimeNs ts) = 0;
  // Connection state of a flow, called once right before its on_close.
  virtual void on_conn_state(uint64_t /*flow*/, const ConnSummary& /*state*/) {}
  // A capture-level finding: unknown link type, truncated file, bad IP header...
  virtual void on_capture_warning(std::string_view text) = 0;
};

}  // namespace quartet::analyzer
