// RRP framing: a PDU is every line up to and including the line holding only
// "." (CRLF, or a bare LF). RRP has no length field, so the framer also guards
// the reassembler: no terminator within kMaxBlockBytes, or bytes that cannot be
// RRP text (control bytes, bytes >= 0x80 that are not UTF-8: binary data, TLS
// records, noise) answer Invalid so the caller resyncs. Well-formed UTF-8 is
// framed and reported by the decoder (see framer.cpp).
#pragma once

#include <cstddef>

#include "../common/bytes.hpp"
#include "../common/frame.hpp"

namespace quartet::rrp {

// The largest RRP block we buffer. RFC 2832 blocks are a few hundred bytes (a
// domain with 13 name servers and every STATUS attribute stays under 2 KiB).
inline constexpr size_t kMaxBlockBytes = 64 * 1024;

FrameResult frame(Bytes prefix);

// First bytes of either direction: Yes for a command word alone on the first line
// (client), a greeting mentioning "RRP Server" or a response line whose code and
// text are RFC 2832/3632's (server); No for anything else, binary above all.
Probe probe(Bytes first_bytes);

}  // namespace quartet::rrp
