// Fuzz target for PduStream, the analyzer's framing of one direction into PDUs, with
// a budget for split PDUs small enough to be reached: two streams (one connection's
// two directions) share it, as every connection of a run does.
//
// Input: byte 0 picks the protocol (index into all_protocols()); byte 1 the budget,
// 512 bytes + 64 per unit (512 .. 16,832 bytes). Then records: a control byte (bit 0:
// which stream; bit 1: bytes before this chunk were lost, a gap; bit 2: the handler
// stops the stream at the next PDU, as a TLS hand-off does), a length byte (1 .. 256),
// then that many stream bytes (fewer at the end of the input).
//
// Checked: every PDU handed out is non-empty and within kMaxPduBytes; the budget counts
// exactly the two streams' buffers after every call, and exceeds its limit by no more
// than the bytes a resynchronising stream looks at; it is back to zero once the
// streams are gone; what a stopped stream gives back is what it held.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "app/pdu_stream.hpp"
#include "common/protocol.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "PduStream invariant violated: %s\n", what);
  std::abort();
}

struct Handler : PduHandler {
  bool stop_next = false;
  bool on_pdu(Bytes pdu, TimeNs) override {
    if (pdu.empty() || pdu.size() > kMaxPduBytes) violated("a PDU empty or beyond kMaxPduBytes");
    // Touch every byte: a view into freed or unwritten memory shows under ASan.
    volatile std::byte sink{};
    for (std::byte b : pdu) sink = sink ^ b;
    if (!stop_next) return true;
    stop_next = false;
    return false;
  }
  void on_stream_warning(std::string text, TimeNs) override {
    if (text.empty()) violated("an empty warning");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto protocols = all_protocols();
  if (size < 2 || protocols.empty()) return 0;
  const Protocol& p = *protocols[data[0] % protocols.size()];
  PduBudget budget;
  budget.limit = 512 + size_t{64} * data[1];
  // A stream resynchronising keeps what its hook has yet to judge without asking the
  // budget (at most kMaxProbeBytes and a chunk); the rest stays within the limit.
  const size_t slack = 2 * (PduStream::kMaxProbeBytes + 256);
  {
    std::optional<PduStream> st[2];
    st[0].emplace(p, &budget);
    st[1].emplace(p, &budget);
    Handler h[2];
    TimeNs ts = 1;
    for (size_t at = 2; at + 2 <= size;) {
      const uint8_t control = data[at];
      const size_t n = std::min<size_t>(size_t{data[at + 1]} + 1, size - at - 2);
      const Bytes chunk(reinterpret_cast<const std::byte*>(data + at + 2), n);
      at += 2 + n;
      PduStream& s = *st[control & 1];
      Handler& hd = h[control & 1];
      if (control & 2) s.gap(ts, hd);
      if (control & 4) hd.stop_next = true;
      const Bytes rest = s.feed(chunk, ++ts, hd);
      if (rest.size() > chunk.size()) violated("more bytes left than fed");
      if (s.stopped() && !rest.empty()) {
        // A hand-off: what the stream held goes to the next layer, and its buffer with it.
        const size_t held = s.buffered();
        if (s.take_buffered().size() != held) violated("take_buffered gave another size");
      }
      if (budget.held.load() != st[0]->memory_held() + st[1]->memory_held()) violated("budget miscounts");
      if (budget.held.load() > budget.limit + slack) violated("budget exceeded");
    }
    for (int i = 0; i < 2; ++i) (void)st[i]->unfinished_pdu("the end of the capture");
  }
  if (budget.held.load() != 0) violated("budget not given back");
  return 0;
}
