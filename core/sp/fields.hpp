// The SP field table: one entry per decoded field, in Field order.
// Abbrevs are relative ("header.type"); the plugin prefixes "sp.".
#pragma once

#include <cstddef>
#include <span>

#include "../common/field.hpp"

namespace quartet::sp {

enum class Field : FieldId {
  kHeader,        // group: the 8-byte connection header
  kMagic,         // 00 'S' 'P'
  kVersion,       // must be 0
  kType,          // endpoint type = protocol id << 4 | role
  kProtocolId,    //   bits 15..4 of the type
  kRole,          //   bits 3..0 of the type
  kReserved,      // must be 0
  kLength,        // 64-bit message length
  kPayload,       // whole payload when the sender's socket type is unknown
  kBacktrace,     // group: REQ/REP and SURVEYOR/RESPONDENT stack of 32-bit words
  kBacktraceHop,  //   one device hop (top bit clear): channel (pipe) id
  kRequestId,     //   final word of a REQ/REP stack (top bit set), shown whole
  kSurveyId,      //   final word of a SURVEYOR/RESPONDENT stack, shown whole
  kHops,          // PAIR v1 header: low byte = hop count
  kHopsReserved,  // PAIR v1 header: upper 24 bits, must be 0
  kBody,          // application body (for PUB: topic-prefixed)
  kBodyText,      // the body as text, when it is printable
  kCount,         // not a field: the number of fields
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::span<const FieldDef> fields();

}  // namespace quartet::sp
