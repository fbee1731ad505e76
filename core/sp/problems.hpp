// The SP problem table: every problem its decoder and session machine can
// report, one ProblemDef per ProblemId, in this order. Ids are stable: Wireshark
// filters (expert infos) and JSONL consumers use them; docs/problems.md lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "../common/problem.hpp"

namespace quartet::sp {

enum class ProblemId : uint16_t {
  kHeaderTruncated,
  kHeaderTrailingBytes,
  kHeaderVersionUnknown,
  kHeaderTypeUnknown,
  kHeaderReservedNonzero,
  kHeaderRepeated,
  kMessageTruncated,
  kMessageLengthShort,
  kMessageTrailingBytes,
  kMessageBeforeHeader,
  kMessageAfterRefusal,
  kMessageFromSilentSocket,
  kBacktraceUnterminated,
  kBacktraceTtlExceeded,
  kSurveyIdMissing,
  kPairHopsMissing,
  kPairReservedNonzero,
  kPairHopsZero,
  kPairTtlExceeded,
  kSessionPeersIncompatible,
  kSessionIdRepeated,
  kSessionAnswerUnsolicited,
  kSessionRequestUnanswered,
  kCount,  // not a problem: the number of problems
};

std::span<const ProblemDef> problem_defs();
const ProblemDef& problem_def(ProblemId id);

}  // namespace quartet::sp
