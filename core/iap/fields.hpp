// IAP field table (draft-ietf-idwg-iap-01): the ids the decoder emits and the
// value names the plugin turns into value_strings.
#pragma once

#include <cstdint>
#include <cstddef>
#include <span>

#include "../common/field.hpp"

namespace quartet::iap {

// The five messages of draft section 4.2 (iap-message), plus "not one of them".
enum class MsgType : uint8_t {
  Unknown = 0,
  ConnectRequest = 1,  // 4.3.2 iap-connect-request
  UpgradeRequest = 2,  // 4.3.3 iap-upgrade-request
  ChannelSetup = 3,    // 4.3.4 iap-channel-setup-request
  Content = 4,         // 4.3.5 iap-content
  Response = 5,        // 4.3.1 iap-response
};

// 4.2 sender-receiver: what the TCP connection initiator wants to do in the data phase.
enum class Role : uint8_t { Sender = 1, Receiver = 2 };

// Indexes into fields(); the order is the table's order.
enum class Field : FieldId {
  kType,
  kVersion,
  kMethod,
  kHost,
  kStatusCode,
  kStatusText,
  kVia,
  kViaCount,
  kUpgrade,
  kIapVersion,
  kRole,
  kContentType,
  kContentLength,
  kBody,
  kTransferEncoding,
  kChunk,
  kChunkSize,
  kChunkData,
  kHeader,
  kHeaderName,
  kHeaderValue,
  kLine,
  kCount,  // not a field: the number of fields
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::span<const FieldDef> fields();
std::span<const ValueName> status_names();
std::span<const ValueName> type_names();

}  // namespace quartet::iap
