// The COPS problem table: every problem its decoder and session machine can
// report, one ProblemDef per ProblemId, in this order. Ids are stable: Wireshark
// filters (expert infos) and JSONL consumers use them; docs/problems.md lists them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "../common/problem.hpp"

namespace quartet::cops {

enum class ProblemId : uint16_t {
  kHeaderTruncated,
  kHeaderVersionInvalid,
  kHeaderFlagsUndefined,
  kHeaderOpcodeUnknown,
  kHeaderLengthTooSmall,
  kMessageTruncated,
  kMessageTrailingBytes,
  kMessageObjectMissing,
  kMessageObjectOrder,
  kMessageObjectNotAllowed,
  kMessageClientTypeZero,
  kKaClientTypeNonzero,
  kObjectTrailingBytes,
  kObjectLengthTooSmall,
  kObjectLengthPastEnd,
  kObjectCnumUnknown,
  kObjectCtypeUnknown,
  kObjectPaddingMissing,
  kObjectPaddingNonzero,
  kObjectContentsShort,
  kObjectLengthCountsPadding,
  kObjectExtraBytes,
  kHandleEmpty,
  kContextRtypeUndefined,
  kContextRtypeEmpty,
  kReasonCodeUnknown,
  kDecisionCommandUnknown,
  kDecisionFlagsUndefined,
  kErrorCodeUnknown,
  kErrorSecuritySubcodeUnknown,
  kPepIdNotTerminated,
  kPepIdEmpty,
  kPepIdNotPrintable,
  kReportTypeUnknown,
  kIntegrityNoDigest,
  kIntegrityTlsFlagsUndefined,
  kPrBerInvalid,
  kPrOidExpected,
  kPrOidInvalid,
  kPrEpdTypeUnsupported,
  kPrErrorShort,
  kPrObjectTrailingBytes,
  kPrObjectLengthTooSmall,
  kPrObjectLengthPastEnd,
  kPrStypeUnknown,
  kPrSnumUnknown,
  kPrPaddingNonzero,
  kSessionWrongSender,
  kSessionKaTimeout,
  kSessionKaUnsolicited,
  kSessionBeforeOpen,
  kSessionBeforeAccept,
  kSessionOpenRepeated,
  kSessionCatUnsolicited,
  kSessionCcUnopened,
  kSessionSscUnsolicited,
  kSessionHandleUnknown,
  kSessionHandlePadding,
  kSessionDecUnsolicited,
  kSessionRptUnsolicited,
  kSessionReqUnanswered,
  kSessionOpnUnanswered,
  kSessionSsqUnanswered,
  kTlsOpnWithoutIntegrity,
  kTlsCatWithoutIntegrity,
  // PacketCable (client-types 0x800A PCMM, 0x8008 DQoS): S-objects, gate commands.
  kPktcObjectTrailingBytes,
  kPktcObjectLengthTooSmall,
  kPktcObjectLengthPastEnd,
  kPktcObjectSnumUnknown,
  kPktcObjectStypeUnknown,
  kPktcObjectUnaligned,
  kPktcObjectPaddingUncounted,
  kPktcObjectTooShort,
  kPktcObjectLengthCountsPadding,
  kPktcObjectExtraBytes,
  kPktcReservedNonzero,
  kPktcValueUnknown,
  kPktcTrafficProfileLayoutUnknown,
  kPktcScnLength,
  kPktcScnNotTerminated,
  kPktcTextPaddingNonzero,
  kPktcTransIdMissing,
  kPktcWrongMessage,
  kPktcErrorReply,
  kPktcGateUnanswered,
  kPktcGateAnswerUnsolicited,
  kPcmmGateSetMissingGateSpec,
  kPcmmGateSetMissingTrafficProfile,
  kPcmmGateSetMissingClassifier,
  kPcmmCommandObjectMissing,
  kPcmmAmidOrPsidMissing,
  kPcmmTransIdNonzero,
  kCount,  // not a problem: the number of problems
};

std::span<const ProblemDef> problem_defs();
const ProblemDef& problem_def(ProblemId id);

}  // namespace quartet::cops
