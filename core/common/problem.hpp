// Problems a decoder or session machine found. Each kind maps to one expert info
// in Wireshark and one warning line in the analyzer; the kind fixes the severity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace quartet {

enum class ProblemKind : uint8_t {
  Malformed,  // bytes that cannot be what the spec says (bad length, truncated object)   -> error
  Violation,  // well-formed but against the spec (missing mandatory object, bad order)   -> warning
  Unknown,    // a value the spec/registry does not define (op-code, C-Num, command)     -> warning
  Sequence,   // session level: response without request, command in the wrong state     -> warning
  Deviation,  // tolerated deviation seen in real stacks (padding counted, bare LF)        -> note
  ErrorReply, // a well-formed answer that reports an error (PacketCable Gate-Set-Err...)  -> note
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

struct Problem {
  ProblemKind kind;
  uint32_t offset = 0;  // within the PDU (0/0 for session-level problems)
  uint32_t length = 0;
  std::string text;     // one readable sentence, e.g. "DEC without a Decision object (RFC 2748 3.2)"
};

}  // namespace quartet
