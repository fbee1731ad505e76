// One fuzz target for all four protocols: drives each protocol's framer,
// probe and session machine (its decoder) the way the plugin and the
// analyzer do, over a byte stream split into alternating directions.
//
// Input layout: byte 0 picks the protocol; then records of one control byte
// (bit 7: 0 = client→server, 1 = server→client; bits 0-6: length - 1) followed by
// that many stream bytes. Records model TCP segments: the fuzzer chooses both
// the bytes and how they are split and interleaved between the two directions.
// Built with QUARTET_FUZZ_ONLY=<index> (fuzz_cops, fuzz_rrp, ...), byte 0 is
// ignored and the target fuzzes that one protocol; the corpus format is the same.
//
// The session machine decodes into one record reused from PDU to PDU, as the
// analyzer does; each PDU's decode into a reused Decoded, and a copy of it, must
// equal a fresh decode (nothing left over from the previous PDU, no view into
// another Decoded's text).
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

bool same(const Decoded& a, const Decoded& b) {
  if (a.name != b.name || a.summary != b.summary || a.kind != b.kind || a.is_request != b.is_request ||
      a.is_response != b.is_response || a.fields.size() != b.fields.size() || a.problems.size() != b.problems.size())
    return false;
  for (size_t i = 0; i < a.fields.size(); ++i) {
    const Field &x = a.fields[i], &y = b.fields[i];
    if (x.id != y.id || x.depth != y.depth || x.offset != y.offset || x.length != y.length ||
        x.value.kind() != y.value.kind() || x.text() != y.text() || (x.uint() && *x.uint() != *y.uint()))
      return false;
  }
  for (size_t i = 0; i < a.problems.size(); ++i)
    if (a.problems[i].text != b.problems[i].text || a.problems[i].id != b.problems[i].id) return false;
  return true;
}

struct Reused {
  MessageRecord record;
  Decoded decoded;
};

void drain(const Protocol& p, Session& s, Direction dir, Direction_& d, uint64_t& index, TimeNs ts, Reused& reused) {
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
    // What the wrappers call: on_pdu (the analyzer; the plugin's first pass) and
    // Session::decode (the plugin's tree). The descriptor's stateless p.decode, which
    // no wrapper calls, is not: the COPS, RRP and IAP sessions decode with that very
    // function, and SP's session with decode_as(pdu, nullopt) while the sending
    // side's type is unknown, so one more decode per PDU only cost time.
    s.on_pdu(dir, pdu, ts, index++, reused.record);
    const Decoded fresh = s.decode(dir, pdu);
    s.decode(dir, pdu, reused.decoded);
    const Decoded copy = reused.decoded;
    if (!same(fresh, reused.decoded) || !same(fresh, copy)) __builtin_trap();
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
  Reused reused;
  TimeNs ts = 1'000'000'000;
  for (size_t off = 0; off < input.size();) {
    uint8_t control = be8(input, off++);
    int side = control >> 7;
    size_t len = std::min<size_t>((control & 0x7f) + 1u, input.size() - off);
    dirs[side].buf.append(as_text(input.subspan(off, len)));
    off += len;
    ts += 1000;
    drain(p, *session, side == 0 ? Direction::ToServer : Direction::ToClient, dirs[side], index, ts, reused);
  }
  (void)session->on_close();
  return 0;
}
