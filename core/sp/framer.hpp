// SP/TCP (and SP over TLS, same bytes inside) framing and heuristic.
#pragma once

#include "../common/frame.hpp"

namespace quartet::sp {

inline constexpr size_t kHeaderBytes = 8;  // 00 'S' 'P' version type(16) reserved(16)
inline constexpr size_t kLengthBytes = 8;  // 64-bit big-endian message length

// True when the PDU (or stream prefix) starts like a connection header: 00 53 (50).
// A message can never start so: its length would be >= 0x0053 << 48.
bool looks_like_header(Bytes b);

FrameResult frame(Bytes prefix);
Probe probe(Bytes first_bytes);

}  // namespace quartet::sp
