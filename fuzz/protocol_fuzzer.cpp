// One fuzz target for all four protocols: drives each protocol's framer,
// stateless decoder, probe and session machine the way the plugin and the
// analyzer do, over a byte stream split into alternating directions.
//
// Input layout: byte 0 picks the protocol; then records of one control byte
// (bit 7: 0 = client→server, 1 = server→client; bits 0-6: length - 1) followed by
// that many stream bytes. Records model TCP segments: the fuzzer chooses both
// the bytes and how they are split and interleaved between the two directions.
// Built with QUARTET_FUZZ_ONLY=<index> (fuzz_cops, fuzz_rrp, ...), byte 0 is
// ignored and the target fuzzes that one protocol; the corpus format is the same.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/protocol.hpp"

using namespace quartet;

namespace {

// Per direction: append bytes, then cut as many PDUs as the framer allows.
struct Direction_ {
  std::string buf;
  bool dead = false;
};

void drain(const Protocol& p, Session& s, Direction dir, Direction_& d, uint64_t& index, TimeNs ts) {
  while (!d.dead && !d.buf.empty()) {
    Bytes stream = as_bytes(d.buf);
    FrameResult r = p.frame(stream);
    if (r.status == FrameResult::Status::Invalid) {
      d.dead = true;  // the wrappers stop or resync; either way nothing more is framed here
      return;
    }
    if (r.status == FrameResult::Status::NeedMore) return;
    if (r.length == 0 || r.length > stream.size()) {
      // A framer must never claim a complete PDU longer than what it was given,
      // nor an empty one (the callers would loop forever).
      __builtin_trap();
    }
    Bytes pdu = stream.first(static_cast<size_t>(r.length));
    // What the wrappers call: on_pdu (the analyzer; the plugin's first pass), then
    // Session::decode (the plugin's tree). The descriptor's stateless p.decode is
    // not called: COPS, RRP and IAP sessions decode with that very function, and
    // SP's is decode_as(pdu, nullopt), which its session uses while the sending
    // side's type is unknown, so a third decode only cost time.
    MessageRecord m = s.on_pdu(dir, pdu, ts, index++);
    (void)s.decode(dir, pdu);
    (void)m;
    d.buf.erase(0, static_cast<size_t>(r.length));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto protos = all_protocols();
#ifdef QUARTET_FUZZ_ONLY
  const Protocol& p = *protos[QUARTET_FUZZ_ONLY];
#else
  const Protocol& p = *protos[data[0] % protos.size()];
#endif
  Bytes input{reinterpret_cast<const std::byte*>(data + 1), size - 1};

  (void)p.probe(input.subspan(1));
  auto session = p.new_session();
  Direction_ dirs[2];
  uint64_t index = 0;
  TimeNs ts = 1'000'000'000;
  for (size_t off = 0; off < input.size();) {
    uint8_t control = be8(input, off++);
    int side = control >> 7;
    size_t len = std::min<size_t>((control & 0x7f) + 1u, input.size() - off);
    dirs[side].buf.append(as_text(input.subspan(off, len)));
    off += len;
    ts += 1000;
    drain(p, *session, side == 0 ? Direction::ToServer : Direction::ToClient, dirs[side], index, ts);
  }
  (void)session->on_close();
  return 0;
}
