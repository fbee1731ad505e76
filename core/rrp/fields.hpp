// The RRP field table: one entry per filterable item. The plugin prefixes "rrp.".
//
// Naming scheme: a group per protocol element ("request", "response", "greeting",
// one "attribute" / "option" group per line) holding ".name" and ".value";
// attributes and options the RFCs define get their own top-level or "option."
// field instead of ".value" (rrp.domain_name, rrp.option.period), so that
// rrp.domain_name == "example.com" matches requests and responses alike and a
// password is never duplicated into a non-sensitive field.
#pragma once

#include <cstddef>
#include <span>

#include "../common/field.hpp"

namespace quartet::rrp {

enum class Field : FieldId {
  kRequest,
  kCommand,
  kEntity,
  kResponse,
  kCode,
  kText,
  kReason,
  kGreeting,
  kGreetingLine,
  kGreetingServer,
  kGreetingVersion,
  kAttribute,
  kAttrName,
  kAttrValue,
  kAttrRemove,
  kDomainName,
  kNameServer,
  kNewNameServer,
  kIpAddress,
  kStatus,
  kRegistrar,
  kExpirationDate,
  kTransferDate,
  kCreatedDate,
  kCreatedBy,
  kUpdatedDate,
  kUpdatedBy,
  kProtocolVersion,
  kOption,
  kOptName,
  kOptValue,
  kOptPeriod,
  kOptExpirationYear,
  kOptId,
  kOptPassword,
  kOptNewPassword,
  kOptTarget,
  kOptApprove,
  kCount,  // not a field: the number of fields
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::span<const FieldDef> fields();

}  // namespace quartet::rrp
