#include "framer.hpp"

namespace quartet::sp {

bool looks_like_header(Bytes b) {
  return b.size() >= 2 && be8(b, 0) == 0x00 && be8(b, 1) == 0x53 && (b.size() < 3 || be8(b, 2) == 0x50);
}

// Framing is stateless although the stream has two PDU shapes (one 8-byte
// header, then length-prefixed messages): the header is recognisable on its own
// (00 53 50 .., see looks_like_header) and every message we accept starts with
// four zero bytes (length <= kMaxPduBytes = 2^24), so the bytes alone tell
// which shape comes next. A header with a bad version or reserved field is still
// cut as an 8-byte header; the decoder reports what is wrong with it.
FrameResult frame(Bytes prefix) {
  if (looks_like_header(prefix))
    return prefix.size() < kHeaderBytes ? FrameResult::need(kHeaderBytes) : FrameResult::complete(kHeaderBytes);
  if (prefix.size() < kLengthBytes) return FrameResult::need();
  uint64_t declared = be64(prefix, 0);
  // Compare before adding the 8 length bytes: 2^64-1 + 8 would wrap.
  if (declared > kMaxPduBytes - kLengthBytes)
    return FrameResult::invalid("SP message length beyond what quartet buffers (16 MiB)", declared);
  uint64_t total = kLengthBytes + declared;
  return prefix.size() < total ? FrameResult::need(total) : FrameResult::complete(total);
}

// Yes only on a whole, plausible header: 00 53 50 00, any type, reserved 00 00
// (six fixed bytes, so a chance hit on other traffic is negligible).
Probe probe(Bytes first) {
  static constexpr int kPattern[kHeaderBytes] = {0x00, 0x53, 0x50, 0x00, -1, -1, 0x00, 0x00};
  size_t n = first.size() < kHeaderBytes ? first.size() : kHeaderBytes;
  for (size_t i = 0; i < n; ++i)
    if (kPattern[i] >= 0 && be8(first, i) != kPattern[i]) return Probe::No;
  return n < kHeaderBytes ? Probe::NeedMore : Probe::Yes;
}

}  // namespace quartet::sp
