// The protocol-neutral result of decoding one PDU: what the Info column, the
// expert infos, the field tree and the analyzer's JSON are all built from.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "field.hpp"
#include "problem.hpp"

namespace quartet {

enum class Direction : uint8_t { ToServer, ToClient };

constexpr Direction opposite(Direction d) {
  return d == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
}

struct Decoded {
  // Most PDUs carry fewer fields than this (a COPS decision, an RRP response, an SP message).
  static constexpr size_t kFieldsReserved = 32;

  std::string name;     // short message name: "REQ", "add", "200", "CONNECT", "REQ/REP msg"
  std::string summary;  // one line for the Info column / timeline, e.g. "DEC Install handle=0x1001"
  bool is_request = false;
  bool is_response = false;
  // For a request: its row in response-time statistics when the name alone is too coarse
  // (COPS: "REQ Configuration", "OPN PCMM"). Empty means the name. See request_kind().
  std::string kind;
  std::vector<Field> fields;
  std::vector<Problem> problems;

  // --- builder helpers, used by the decoders -------------------------------------
  void add(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    if (fields.capacity() == 0) fields.reserve(kFieldsReserved);  // one allocation, not a doubling series
    fields.push_back({id.id, depth_, static_cast<uint32_t>(offset), static_cast<uint32_t>(length), std::move(v)});
  }
  // Opens a subtree; returns its index so the length can be fixed once known.
  size_t open(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    add(id, offset, length, std::move(v));
    ++depth_;
    return fields.size() - 1;
  }
  void close() {
    if (depth_ > 0) --depth_;
  }
  template <ProblemEnum E>
  void problem(E id, size_t offset, size_t length, std::string text) {
    problems.push_back(Problem::of(id, offset, length, std::move(text)));
  }
  // The row of response-time statistics (analyzer summary, HTML report, plugin SRT) this request counts in.
  const std::string& request_kind() const { return kind.empty() ? name : kind; }
  const Field* find(FieldRef id) const {
    for (const auto& f : fields)
      if (f.is(id)) return &f;
    return nullptr;
  }

 private:
  uint8_t depth_ = 0;
};

// A module's typed parse: the neutral Decoded plus the facts its session machine
// works from (views into the PDU, valid as long as its bytes are).
template <class Message>
struct Parsed {
  Decoded decoded;
  Message message;
};

}  // namespace quartet
