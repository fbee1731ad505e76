#include "framer.hpp"

#include "names.hpp"

namespace quartet::cops {

FrameResult frame(Bytes b) {
  if (b.size() < 1) return FrameResult::need(8);
  // Version 1 is the only one; anything else means we lost the PDU boundary
  // (or this is not COPS), and a length read from it would be noise.
  if ((be8(b, 0) >> 4) != 1) return FrameResult::invalid("COPS version is not 1");
  if (b.size() < 8) return FrameResult::need(8);
  uint32_t len = be32(b, 4);
  if (len < 8) return FrameResult::invalid("COPS message length below the 8-byte header", len);
  if (len > kMaxPduBytes) return FrameResult::invalid("implausible COPS message length", len);
  if (b.size() < len) return FrameResult::need(len);
  return FrameResult::complete(len);
}

// Conservative: version 1, flags 0 or solicited, a known op-code, a length that
// at least holds the header and stays plausible, and when visible a first
// object header that is a known C-Num with a sane length. Lengths that are not
// a multiple of 4 are let through: stacks that skip padding exist, and the
// decoder reports it.
Probe probe(Bytes b) {
  if (b.size() >= 1 && ((be8(b, 0) >> 4) != 1 || (be8(b, 0) & 0x0e))) return Probe::No;
  if (b.size() >= 2 && !opcode_abbrev(be8(b, 1))) return Probe::No;
  if (b.size() < 8) return Probe::NeedMore;
  uint32_t len = be32(b, 4);
  if (len < 8 || len > kMaxPduBytes) return Probe::No;
  uint8_t op = be8(b, 1);
  if (len == 8) return op == kKA || op == kSSQ || op == kSSC ? Probe::Yes : Probe::No;
  if (len < 12) return Probe::No;
  if (b.size() < 12) return Probe::NeedMore;
  uint16_t olen = be16(b, 8);
  uint8_t cnum = be8(b, 10);
  if (olen < 4 || olen > len - 8 || !cnum_known(cnum)) return Probe::No;
  return Probe::Yes;
}

}  // namespace quartet::cops
