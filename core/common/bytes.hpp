// Byte views and bounds-checked big-endian reads shared by every decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace quartet {

using Bytes = std::span<const std::byte>;

inline Bytes as_bytes(std::string_view s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }
inline std::string_view as_text(Bytes b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// Callers check `off + width <= b.size()` first; these never read past the span
// because the decoders only call them after that check.
inline uint8_t be8(Bytes b, size_t off) { return static_cast<uint8_t>(b[off]); }
inline uint16_t be16(Bytes b, size_t off) { return static_cast<uint16_t>((be8(b, off) << 8) | be8(b, off + 1)); }
inline uint32_t be32(Bytes b, size_t off) { return (uint32_t{be16(b, off)} << 16) | be16(b, off + 2); }
inline uint64_t be64(Bytes b, size_t off) { return (uint64_t{be32(b, off)} << 32) | be32(b, off + 4); }

}  // namespace quartet
