// Problems a decoder or session machine found. Every protocol lists the problems
// it can report in a ProblemDef table (its problems.cpp): a stable id such as
// "copsx.object.length_past_end", the kind (which fixes the severity), a one-line
// summary and the spec section. Wireshark registers one expert info per id, so
// each is filterable by name; JSONL carries the id; docs/problems.md lists them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <concepts>

namespace quartet {

enum class ProblemKind : uint8_t {
  Malformed,   // bytes that cannot be what the spec says (bad length, truncated object)   -> error
  Violation,   // well-formed but against the spec (missing mandatory object, bad order)   -> warning
  Unknown,     // a value the spec/registry does not define (op-code, C-Num, command)     -> warning
  Sequence,    // session level: response without request, command in the wrong state     -> warning
  Deviation,   // tolerated deviation seen in real stacks (padding counted, bare LF)        -> note
  ErrorReply,  // a well-formed answer that reports an error (PacketCable Gate-Set-Err...)  -> note
};

enum class Severity : uint8_t { Note, Warning, Error };

constexpr Severity severity_of(ProblemKind k) {
  switch (k) {
    case ProblemKind::Malformed: return Severity::Error;
    case ProblemKind::Deviation:
    case ProblemKind::ErrorReply: return Severity::Note;
    default: return Severity::Warning;
  }
}

// The one severity mapping: Wireshark's expert severities and the analyzer's
// warning levels are both derived from it.
constexpr std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "?";
}

constexpr std::string_view kind_name(ProblemKind k) {
  switch (k) {
    case ProblemKind::Malformed: return "malformed";
    case ProblemKind::Violation: return "violation";
    case ProblemKind::Unknown: return "unknown";
    case ProblemKind::Sequence: return "sequence";
    case ProblemKind::Deviation: return "deviation";
    case ProblemKind::ErrorReply: return "error_reply";
  }
  return "?";
}

struct ProblemDef {
  std::string_view id;  // "<filter name>.<area>.<what>", stable: filters and scripts use it
  ProblemKind kind;
  std::string_view summary;  // one line, the same for every occurrence
  std::string_view spec;     // where the rule is written, e.g. "RFC 2748 2.2"; empty if nowhere
};

// A protocol's problem enum: `enum class ProblemId : uint16_t` in every module,
// with `const ProblemDef& problem_def(ProblemId)` beside it (found by ADL).
template <class E>
concept ProblemEnum = std::is_enum_v<E> && requires(E e) {
  { problem_def(e) } -> std::same_as<const ProblemDef&>;
};

struct Problem {
  ProblemKind kind;
  uint32_t offset = 0;  // within the PDU (0/0 for session-level problems)
  uint32_t length = 0;
  std::string text;          // one readable sentence, e.g. "DEC without a Decision object (RFC 2748 3.2)"
  std::string_view id = {};  // ProblemDef::id; empty only for problems raised by kind alone

  // A problem of a protocol's table; `text` gives this occurrence's details.
  template <ProblemEnum E>
  static Problem of(E id, size_t offset, size_t length, std::string text) {
    const ProblemDef& def = problem_def(id);
    return {def.kind, static_cast<uint32_t>(offset), static_cast<uint32_t>(length), std::move(text), def.id};
  }
};

}  // namespace quartet
