// The COPS field table: one entry per decoded field, in Field order.
// Abbrevs are relative and follow "<object>.<field>" ("decision.command",
// "context.rtype.config"); the plugin prefixes "copsx.", the analyzer uses them
// as JSON keys. COPS-PR objects live under "pr.".
#pragma once

#include <cstddef>
#include <span>

#include "../common/field.hpp"

namespace quartet::cops {

enum class Field : FieldId {
  // Common header (RFC 2748 2.1)
  kHeader,
  kHeaderVersion,
  kHeaderFlags,
  kHeaderSolicited,
  kHeaderOpcode,
  kHeaderClientType,
  kHeaderLength,
  // Object header (RFC 2748 2.2); one group per object
  kObject,
  kObjectLength,
  kObjectCNum,
  kObjectCType,
  kObjectData,  // contents of an unknown object or of one no decoder claimed
  kObjectPadding,
  // Objects
  kHandleValue,
  kContextRType,
  kContextRTypeIncoming,
  kContextRTypeAllocation,
  kContextRTypeOutgoing,
  kContextRTypeConfig,
  kContextMType,
  kInIfIpv4,
  kInIfIpv6,
  kInIfIndex,
  kOutIfIpv4,
  kOutIfIpv6,
  kOutIfIndex,
  kReasonCode,
  kReasonSubcode,
  kReasonSubcodeCNum,
  kReasonSubcodeCType,
  kDecisionCommand,
  kDecisionFlags,
  kDecisionFlagTriggerError,
  kDecisionFlagRequestState,
  kDecisionStateless,
  kDecisionReplacement,
  kDecisionClientSpecific,
  kDecisionNamed,
  kLpdpCommand,
  kLpdpFlags,
  kLpdpFlagTriggerError,
  kLpdpFlagRequestState,
  kLpdpStateless,
  kLpdpReplacement,
  kLpdpClientSpecific,
  kLpdpNamed,
  kErrorCode,
  kErrorSubcode,
  kErrorSubcodeCNum,
  kErrorSubcodeCType,
  kErrorSecurity,
  kClientSiSignaled,
  kClientSiNamed,
  kKATimerValue,
  kPepIdValue,
  kReportTypeValue,
  kPdpRedirectIpv4,
  kPdpRedirectIpv6,
  kPdpRedirectPort,
  kLastPdpIpv4,
  kLastPdpIpv6,
  kLastPdpPort,
  kAcctTimerValue,
  kIntegrityKeyId,
  kIntegritySequence,
  kIntegrityDigest,
  kIntegrityTlsFlags,
  kIntegrityTlsStartTls,
  kReserved,
  // COPS-PR (RFC 3084 section 5)
  kPrObject,
  kPrLength,
  kPrSNum,
  kPrSType,
  kPrPrid,
  kPrPridInstance,
  kPrPrefixPrid,
  kPrEpd,
  kPrEpdInteger,
  kPrEpdUnsigned,
  kPrEpdUnsigned64,
  kPrEpdInteger64,
  kPrEpdOctets,
  kPrEpdText,
  kPrEpdOid,
  kPrEpdIpAddress,
  kPrEpdNull,
  kPrEpdOther,
  kPrEpdType,
  kPrGperrCode,
  kPrGperrSubcode,
  kPrCperrCode,
  kPrCperrSubcode,
  kPrErrorPrid,
  kPrErrorPridInstance,
  kPrData,
  kCount,  // not a field: the number of fields
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::span<const FieldDef> fields();

}  // namespace quartet::cops
