// COPS framing: the 8-byte common header carries the 32-bit message length.
#pragma once

#include "../common/frame.hpp"

namespace quartet::cops {

FrameResult frame(Bytes prefix);
Probe probe(Bytes first_bytes);

}  // namespace quartet::cops
