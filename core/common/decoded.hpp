// The protocol-neutral result of decoding one PDU: what the Info column, the
// expert infos, the field tree and the analyzer's JSON are all built from.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bytes.hpp"
#include "field.hpp"
#include "problem.hpp"
#include "text_arena.hpp"

namespace quartet {

enum class Direction : uint8_t { ToServer, ToClient };

constexpr Direction opposite(Direction d) {
  return d == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
}

// Which entries of Decoded::fields the caller will read, so that a decoder builds
// only those: the analyzer's JSON and a shown Wireshark tree want all of them; a
// Wireshark dissection whose tree is not shown (tshark -Y with summary lines) only
// the fields a filter or column refers to, and none when there is no tree at all. Everything
// else a decode yields (name, summary, kind, roles, problems, what the session
// machine learns) is the same whatever the needs: they only thin the field list.
struct FieldNeeds {
  enum class Mode : uint8_t { All, None, Some };
  Mode mode = Mode::All;
  // Some: field `id` (< `count`) is wanted when the int at `flags` + id * `stride`
  // bytes is not zero: a table the caller keeps current, read with one load per
  // field (the plugin points it at Wireshark's own "referenced" flag of each field,
  // which a filter sets before every dissection).
  const std::byte* flags = nullptr;
  size_t stride = sizeof(int);
  size_t count = 0;

  static constexpr FieldNeeds all() { return {}; }
  static constexpr FieldNeeds none() { return {Mode::None}; }
  static constexpr FieldNeeds some(const std::byte* flags, size_t stride, size_t count) {
    return {Mode::Some, flags, stride, count};
  }
};

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
    needs_ = o.needs_;
    depth_ = o.depth_;
    nesting_ = o.nesting_;
    dropped_ = o.dropped_;
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
    nesting_ = 0;
    dropped_.reset();
  }

  // What the next decodes build of the field list (kept by clear(): a setting of
  // the caller's, like the buffers' capacity). The default is every field.
  void set_needs(FieldNeeds n) { needs_ = n; }
  const FieldNeeds& needs() const { return needs_; }
  // Whether field `id` goes into the list: a decoder may skip computing the value
  // of one that does not (add() drops it anyway).
  bool wants(FieldRef id) const {
    switch (needs_.mode) {
      case FieldNeeds::Mode::All: return true;
      case FieldNeeds::Mode::None: return false;
      case FieldNeeds::Mode::Some: break;
    }
    if (id.id >= needs_.count) return false;
    int flag;
    std::memcpy(&flag, needs_.flags + size_t{id.id} * needs_.stride, sizeof flag);
    return flag != 0;
  }
  // Returned by open() for a group left out of the list; field_at() gives nullptr for it.
  static constexpr size_t kNoField = static_cast<size_t>(-1);
  Field* field_at(size_t index) { return index < fields.size() ? &fields[index] : nullptr; }

  // A copy of computed text that lives as long as this decode (until clear()).
  std::string_view keep(std::string_view s) { return arena_.keep(s); }

  // --- builder helpers, used by the decoders -------------------------------------
  // `v`: a number, or text that outlives the Decoded's use (the PDU, a static table, keep()).
  // Fields the needs leave out are dropped here.
  void add(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    if (wants(id)) push(id, offset, length, v);
  }
  // Computed text: copied into the arena.
  void add(FieldRef id, size_t offset, size_t length, const std::string& computed) {
    if (wants(id)) push(id, offset, length, FieldValue(keep(computed)));
  }
  // Before every field so far (a fact known only at the end, shown first).
  void prepend(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    if (wants(id))
      fields.insert(fields.begin(), Field{id.id, 0, static_cast<uint32_t>(offset), static_cast<uint32_t>(length), v});
  }
  // Opens a subtree; returns its index so the length can be fixed once known
  // (kNoField when the needs leave the group out: its children then take its
  // place, as Wireshark hangs the children of an item it does not build).
  size_t open(FieldRef id, size_t offset, size_t length, FieldValue v = {}) {
    const bool kept = wants(id);
    if (nesting_ < kMaxNesting) dropped_[nesting_] = !kept;
    ++nesting_;
    if (!kept) return kNoField;
    push(id, offset, length, v);
    ++depth_;
    return fields.size() - 1;
  }
  size_t open(FieldRef id, size_t offset, size_t length, const std::string& computed) {
    return open(id, offset, length, wants(id) ? FieldValue(keep(computed)) : FieldValue());
  }
  void close() {
    if (nesting_ > 0) {
      --nesting_;
      if (nesting_ < kMaxNesting && dropped_[nesting_]) {
        dropped_[nesting_] = false;
        return;
      }
    }
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

  void push(FieldRef id, size_t offset, size_t length, FieldValue v) {
    if (fields.capacity() == 0) fields.reserve(kFieldsReserved);  // one allocation, not a doubling series
    fields.push_back({id.id, depth_, static_cast<uint32_t>(offset), static_cast<uint32_t>(length), v});
  }

  // Open groups deeper than this are all taken as kept (Field::depth has 8 bits anyway).
  static constexpr size_t kMaxNesting = 256;

  TextArena arena_;
  FieldNeeds needs_;
  uint8_t depth_ = 0;                 // of the open groups in the list
  uint32_t nesting_ = 0;              // of all open() calls not closed yet
  std::bitset<kMaxNesting> dropped_;  // per nesting level: whether that open() was left out
};

// A module's typed parse: the neutral Decoded plus the facts its session machine
// works from (views into the PDU, valid as long as its bytes are).
template <class Message>
struct Parsed {
  Decoded decoded;
  Message message;
};

// The entry points a module derives from its reusable `parse(pdu, dir, d, m)`: a
// fresh Parsed, a decode into the caller's Decoded (the typed message a scratch per
// thread, whose lists keep their capacity), and a fresh Decoded.
template <class Message, void (*Parse)(Bytes, Direction, Decoded&, Message&)>
struct ParseForms {
  static Parsed<Message> parsed(Bytes pdu, Direction dir) {
    Parsed<Message> r;
    Parse(pdu, dir, r.decoded, r.message);
    return r;
  }
  static void decode(Bytes pdu, Direction dir, Decoded& d) {
    thread_local Message m;
    Parse(pdu, dir, d, m);
  }
  static Decoded decoded(Bytes pdu, Direction dir) {
    Decoded d;
    decode(pdu, dir, d);
    return d;
  }
};

}  // namespace quartet
