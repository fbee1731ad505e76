// The IAP problem table: every problem its decoder and session machine can
// report, one ProblemDef per ProblemId, in this order. Ids are stable: Wireshark
// filters (expert infos) and JSONL consumers use them; docs/problems.md lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "../common/problem.hpp"

namespace quartet::iap {

enum class ProblemId : uint16_t {
  kMessageFraming,
  kMessageLeadingBlankLines,
  kMessageBareLf,
  kMessageVersionMixed,
  kMessageLineInvalid,
  kMessagePrefixMissing,
  kMessageTypeUnknown,
  kMessageVersionInvalid,
  kMessageVersionUnknown,
  kMessageSetupPrefixMissing,
  kMessageTrailingBytes,
  kMessageHeaderUnterminated,
  kConnectNoHost,
  kResponseStatusUnknown,
  kHeaderRepeated,
  kHeaderNotAllowed,
  kViaNoHost,
  kViaLoop,
  kRoleUnknown,
  kTransferEncodingUnknown,
  kUpgradeUnknown,
  kContentLengthAndChunked,
  kContentTruncated,
  kContentNoCrlf,
  kContentSingleLineEnd,
  kContentNoType,
  kContentNoLength,
  kChannelNoVersion,
  kChannelNoRole,
  kVersionMismatch,
  kSessionFromResponder,
  kSessionAfterRefusal,
  kSessionOutOfPhase,
  kSessionContentWrongSide,
  kSessionResponseUnsolicited,
  kSessionUpgradeNot101,
  kSessionRequestUnanswered,
  kCount,  // not a problem: the number of problems
};

std::span<const ProblemDef> problem_defs();
const ProblemDef& problem_def(ProblemId id);

}  // namespace quartet::iap
