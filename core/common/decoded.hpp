// The protocol-neutral result of decoding one PDU: what the Info column, the
// expert infos, the field tree and the analyzer's JSON are all built from.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "field.hpp"
#include "problem.hpp"
#include "text_arena.hpp"

namespace quartet {

enum class Direction : uint8_t { ToServer, ToClient };

constexpr Direction opposite(Direction d) {
  return d == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
}

// Built by a decoder into a caller-owned instance that the caller may reuse from
// PDU to PDU (clear() keeps every buffer's capacity), so that decoding allocates
// nothing once the buffers have grown: fields are trivially copyable, their computed
// text and the computed name and kind live in the arena (keep()), the summary is a
// reused string. Views into the PDU stay valid as long as its bytes.
struct Decoded {
  // Most PDUs carry fewer fields than this (a COPS decision, an RRP response, an SP message).
  static constexpr size_t kFieldsReserved = 32;

  // Short message name: "REQ", "add", "200", "CONNECT", "REQ/REP msg". A static
  // string, a view into the PDU, or keep()'s copy.
  std::string_view name;
  std::string summary;  // one line for the Info column / timeline, e.g. "DEC Install handle=0x1001"
  bool is_request = false;
  bool is_response = false;
  // For a request: its row in response-time statistics when the name alone is too coarse
  // (COPS: "REQ Configuration", "OPN PCMM"). Empty means the name. See request_kind().
  std::string_view kind;
  std::vector<Field> fields;
  std::vector<Problem> problems;

  Decoded() = default;
  Decoded(Decoded&&) noexcept = default;
  Decoded& operator=(Decoded&&) noexcept = default;
  // A copy owns its computed text: views into the source's arena are copied into its own.
  Decoded(const Decoded& o) { *this = o; }
  Decoded& operator=(const Decoded& o) {
    if (this == &o) return *this;
    clear();
    name = o.rebase(o.name, *this);
    kind = o.rebase(o.kind, *this);
    summary = o.summary;
    is_request = o.is_request;
    is_response = o.is_response;
    fields = o.fields;
    for (Field& f : fields)
      if (f.has_text()) f.value = o.rebase(f.text(), *this);
    problems = o.problems;
    depth_ = o.depth_;
    return *this;
  }

  // Ready for the next PDU; capacity is kept.
  void clear() {
    name = {};
    summary.clear();
    is_request = is_response = false;
    kind = {};
    fields.clear();
    problems.clear();
    arena_.clear();
    depth_ = 0;
  }

  // A copy of computed text that lives as long as this decode (until clear()).
  std::string_view keep(std::string_view s) { return arena_.keep(s); }

  // --- builder helpers, used by the decoders -------------------------------------
  // `v`: a number, or text that outlives the Decoded's use (the PDU, a static table, keep()).
  void add(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    if (fields.capacity() == 0) fields.reserve(kFieldsReserved);  // one allocation, not a doubling series
    fields.push_back({id.id, depth_, static_cast<uint32_t>(offset), static_cast<uint32_t>(length), v});
  }
  // Computed text: copied into the arena.
  void add(FieldRef id, size_t offset, size_t length, const std::string& computed) {
    add(id, offset, length, FieldValue(keep(computed)));
  }
  // Opens a subtree; returns its index so the length can be fixed once known.
  size_t open(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    add(id, offset, length, v);
    ++depth_;
    return fields.size() - 1;
  }
  size_t open(FieldRef id, size_t offset, size_t length, const std::string& computed) {
    return open(id, offset, length, FieldValue(keep(computed)));
  }
  void close() {
    if (depth_ > 0) --depth_;
  }
  template <ProblemEnum E>
  void problem(E id, size_t offset, size_t length, std::string text) {
    problems.push_back(Problem::of(id, offset, length, std::move(text)));
  }
  // The row of response-time statistics (analyzer summary, HTML report, plugin SRT) this request counts in.
  std::string_view request_kind() const { return kind.empty() ? name : kind; }
  const Field* find(FieldRef id) const {
    for (const auto& f : fields)
      if (f.is(id)) return &f;
    return nullptr;
  }

 private:
  // `s` as `to` may hold it: copied into its arena when it is in this one's.
  std::string_view rebase(std::string_view s, Decoded& to) const {
    return !s.empty() && arena_.owns(s.data()) ? to.keep(s) : s;
  }

  TextArena arena_;
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
