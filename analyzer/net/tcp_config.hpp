// Limits and timeouts of the TCP reassembler (documented in docs/analyzer-network.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/session.hpp"  // TimeNs

namespace quartet::analyzer::net {

constexpr TimeNs kSecond = 1'000'000'000;

struct TcpConfig {
  // Out-of-order and held-back bytes one flow may buffer (both directions).
  size_t flow_buffer_limit = 4u << 20;
  // All flows together.
  size_t total_buffer_limit = 256u << 20;
  // A flow without packets for this long (capture time) is closed (Zeek: 5 min).
  TimeNs idle_timeout = 300 * kSecond;
  // A closed flow is remembered this long so trailing ACKs and retransmitted
  // FINs do not open a new flow (like TIME-WAIT).
  TimeNs closed_linger = 10 * kSecond;
  // A hole the peer has acknowledged (so the capture, not the network, lost it)
  // is declared a gap after this wait; the wait absorbs capture-timestamp disorder.
  TimeNs ack_gap_wait = kSecond;
  // Any hole is declared a gap after this long (the sender would have retransmitted).
  TimeNs hole_timeout = 10 * kSecond;
  // Segments further than this beyond the delivered point are ignored as bogus.
  uint64_t max_seq_jump = 256u << 20;
  // Delivered bytes kept per direction to compare retransmissions with (0: off),
  // and for all flows together (flows beyond it keep none).
  size_t retained_tail = 2048;
  size_t total_retained_tail = 64u << 20;
  // Flow table size; beyond it the least recently active flow is closed (MemoryLimit).
  size_t max_flows = 1'000'000;
  // Ports that mark the server when a flow is picked up without its handshake
  // (the app half's port defaults and --decode-as); ports below 1024 come next,
  // then the lower port.
  std::vector<uint16_t> server_ports;
};

struct TcpStats {
  uint64_t segments = 0;
  uint64_t flows = 0;
  uint64_t max_open_flows = 0;
  uint64_t retransmitted = 0;  // segments wholly before the delivered point
  uint64_t out_of_order = 0;   // segments buffered for later delivery
  uint64_t overlaps_differing = 0;
  uint64_t gaps = 0;
  uint64_t missing_bytes = 0;
  uint64_t flow_limit_flushes = 0;
  uint64_t total_limit_flushes = 0;
  uint64_t idle_closed = 0;
  uint64_t table_full_closed = 0;
  uint64_t packets_after_close = 0;
  uint64_t out_of_window = 0;
  uint64_t causal_holds = 0;  // segments held until the peer's acknowledged bytes were delivered
  uint64_t quiet_bytes = 0;   // bytes of flows whose sink wanted no more: counted, not handed over
};

}  // namespace quartet::analyzer::net
