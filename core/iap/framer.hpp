// IAP framer (message boundaries for tcp_dissect_pdus / the reassembler) and the
// first-bytes heuristic.
#pragma once

#include "../common/bytes.hpp"
#include "../common/frame.hpp"

namespace quartet::iap {

FrameResult frame(Bytes prefix);
Probe probe(Bytes first_bytes);

}  // namespace quartet::iap
