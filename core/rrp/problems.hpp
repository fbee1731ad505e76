// The RRP problem table: every problem its decoder and session machine can
// report, one ProblemDef per ProblemId, in this order. Ids are stable: Wireshark
// filters (expert infos) and JSONL consumers use them; docs/problems.md lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "../common/problem.hpp"

namespace quartet::rrp {

enum class ProblemId : uint16_t {
  kTextNotAscii,
  kBlockEmpty,
  kBlockNoFirstLine,
  kBlockBareLf,
  kBlockUnterminatedLine,
  kBlockNoTerminator,
  kBlockAfterTerminator,
  kRequestCommandExtraText,
  kRequestCommandEmpty,
  kRequestCommandUnknown,
  kRequestEmptyLine,
  kRequestAttributeNoColon,
  kRequestEntityRepeated,
  kRequestEntityUnknown,
  kRequestRemovalOutsideMod,
  kRequestAttributeUnknown,
  kRequestAddressInvalid,
  kRequestOptionNoColon,
  kRequestOptionUnknown,
  kRequestOptionRepeated,
  kRequestOptionNotNumber,
  kRequestApproveInvalid,
  kRequestTargetUnknown,
  kRequestShapeInvalid,
  kResponseCodeUnknown,
  kResponseNoDescription,
  kResponseEmptyLine,
  kResponseAttributeNoColon,
  kGreetingUnrecognised,
  kSessionAfterClose,
  kSessionPipelined,
  kSessionUnauthenticated,
  kSessionRepeatedSession,
  kSessionCheckMissing,
  kSessionResponseUnsolicited,
  kSessionGreetingLate,
  kSessionRequestUnanswered,
  kCount,  // not a problem: the number of problems
};

std::span<const ProblemDef> problem_defs();
const ProblemDef& problem_def(ProblemId id);

}  // namespace quartet::rrp
