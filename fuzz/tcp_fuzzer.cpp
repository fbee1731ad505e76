// Fuzz target for the TCP reassembler, driven by a structured sequence of
// segments on up to four connections, with limits small enough that the flow
// table, the per-flow and the total buffer limits are all reached.
//
// Input: records of 13 bytes plus payload:
//   [0] bit 0: direction (0 = client->server), bits 1-6: TCP flags FIN SYN RST PSH ACK URG,
//       bit 7: the capture cut the payload (snaplen: `len` more bytes on the wire)
//   [1] connection (low 2 bits)
//   [2..5] seq, little endian, relative to the direction's initial sequence number
//   [6..9] ack, likewise relative to the other direction's
//   [10..11] time step, signed, in units of 10 ms (negative: timestamps going back)
//   [12] payload length, then that many payload bytes (fewer at the end of the input)
// The sink checks the StreamSink contract: events only for open flows, one
// close per flow, every flow closed after finish().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>

#include "net/tcp_reassembler.hpp"

using namespace quartet;
using namespace quartet::analyzer;
using namespace quartet::analyzer::net;

namespace {

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "StreamSink contract violated: %s\n", what);
  std::abort();
}

class ContractSink : public StreamSink {
 public:
  void on_open(const FlowInfo& f) override {
    if (!open_.insert(f.id).second || closed_.count(f.id)) violated("flow opened twice");
  }
  bool on_data(uint64_t flow, Side, Bytes data, TimeNs) override {
    must_be_open(flow);
    if (data.empty()) violated("empty on_data");
    volatile uint8_t sink = 0;  // touch every byte: ASan sees a stale pointer
    for (std::byte b : data) sink = sink ^ static_cast<uint8_t>(b);
    return flow % 3 != 2;  // some flows want no more bytes: their accounting goes on without them
  }
  void on_gap(uint64_t flow, Side, uint64_t n, TimeNs) override {
    must_be_open(flow);
    if (n == 0) violated("empty gap");
  }
  void on_flow_warning(uint64_t flow, Side, std::string_view, TimeNs) override { must_be_open(flow); }
  void on_fin(uint64_t flow, Side, TimeNs) override { must_be_open(flow); }
  void on_close(uint64_t flow, CloseReason, Side, TimeNs) override {
    must_be_open(flow);
    open_.erase(flow);
    closed_.insert(flow);
  }
  void on_conn_state(uint64_t flow, const ConnSummary&) override { must_be_open(flow); }
  void on_capture_warning(std::string_view) override {}
  bool all_closed() const { return open_.empty(); }

 private:
  void must_be_open(uint64_t flow) const {
    if (!open_.count(flow)) violated("event for a flow that is not open");
  }
  std::set<uint64_t> open_, closed_;
};

uint32_t le32(const uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24; }

Endpoint v4(uint8_t last, uint16_t port) {
  Endpoint e;
  e.addr = {10, 0, 0, last};
  e.port = port;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TcpConfig cfg;
  cfg.flow_buffer_limit = 64u << 10;
  cfg.total_buffer_limit = 160u << 10;
  cfg.max_flows = 3;
  cfg.max_seq_jump = 1u << 20;
  cfg.retained_tail = 64;
  cfg.total_retained_tail = 128;
  cfg.server_ports = {3288};
  ContractSink sink;
  {
    TcpReassembler r(sink, cfg);
    static constexpr uint32_t kIsn[2] = {0xfffff000u, 0x7fffff00u};  // near wrap-arounds
    TimeNs ts = 1'000'000'000'000'000'000;
    for (size_t off = 0; off + 13 <= size;) {
      const uint8_t* h = data + off;
      const int dir = h[0] & 1;
      const int conn = h[1] & 3;
      TcpPacket p;
      const Endpoint client = v4(1, static_cast<uint16_t>(40000 + conn));
      const Endpoint server = v4(2, conn == 3 ? 5555 : 3288);
      p.src = dir == 0 ? client : server;
      p.dst = dir == 0 ? server : client;
      p.seg.sport = p.src.port;
      p.seg.dport = p.dst.port;
      p.seg.flags = static_cast<uint8_t>((h[0] >> 1) & 0x3f);
      p.seg.seq = kIsn[dir] + le32(h + 2);
      p.seg.ack = kIsn[1 - dir] + le32(h + 6);
      const auto step = static_cast<int16_t>(h[10] | h[11] << 8);
      ts += static_cast<TimeNs>(step) * 10'000'000;
      p.ts = ts;
      const size_t len = std::min<size_t>(h[12], size - off - 13);
      p.seg.payload = Bytes{reinterpret_cast<const std::byte*>(h + 13), len};
      if (h[0] & 0x80) p.seg.missing = h[12];
      off += 13 + len;
      r.on_segment(p);
      if (step > 3000) r.tick(ts);
    }
    r.finish();
  }
  if (!sink.all_closed()) violated("flows still open after finish()");
  return 0;
}
