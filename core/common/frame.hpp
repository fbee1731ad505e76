// Framers answer "how long is the next PDU?" from a prefix of the stream, so that
// Wireshark's tcp_dissect_pdus and the analyzer's reassembler can both drive them.
#pragma once

#include <cstdint>
#include <string_view>

#include "bytes.hpp"

namespace quartet {

// No PDU of any of our protocols is legitimately larger; beyond this a length field
// is reported as implausible instead of being buffered (or allocated).
inline constexpr uint64_t kMaxPduBytes = 16u * 1024 * 1024;

struct FrameResult {
  enum class Status : uint8_t { NeedMore, Complete, Invalid };
  Status status = Status::NeedMore;
  // Complete: the PDU length. NeedMore: the total length needed when known, else 0.
  // Invalid: a declared length when that is what is wrong (e.g. 2^63), else 0.
  uint64_t length = 0;
  std::string_view reason = {};  // Invalid: static text for the warning

  static FrameResult need(uint64_t total = 0) { return {Status::NeedMore, total, {}}; }
  static FrameResult complete(uint64_t len) { return {Status::Complete, len, {}}; }
  static FrameResult invalid(std::string_view why, uint64_t declared = 0) { return {Status::Invalid, declared, why}; }
};

// Heuristic answer on the first bytes of a direction.
enum class Probe : uint8_t { No, NeedMore, Yes };

}  // namespace quartet
