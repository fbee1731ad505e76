// IAP decoder: one message's bytes -> Decoded (fields, problems, summary) plus the
// typed facts the session machine works from.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../common/decoded.hpp"
#include "../common/bytes.hpp"
#include "fields.hpp"

namespace quartet::iap {

// Views point into the decoded PDU: valid only as long as its bytes are.
struct Message {
  MsgType type = MsgType::Unknown;
  std::string_view version;  // of the first line; empty when it has no IAP/x.y prefix
  std::string_view host;     // CONNECT
  std::optional<uint16_t> status;
  std::vector<std::string_view> via;
  std::string_view loop_host;  // non-empty: a host appears twice on the Via path
  std::string_view upgrade;
  std::string_view iap_version;
  std::optional<Role> role;
  std::string_view content_type;
  std::optional<uint64_t> content_length;
  bool chunked = false;
  uint64_t body_length = 0;  // bytes of content (the sum of the chunks when chunked)
};

// Every module's two entry points: the typed parse the session machine uses and
// the stateless decode of the descriptor. IAP messages read the same both ways.
Parsed<Message> parse(Bytes pdu, Direction dir);
Decoded decode(Bytes pdu, Direction dir);
// The same into caller-owned objects, emptied here but keeping their capacity, so
// that a caller reusing them decodes without allocating.
void parse(Bytes pdu, Direction dir, Decoded& d, Message& m);
void decode(Bytes pdu, Direction dir, Decoded& d);

// Short text for a status code: the draft/HTTP meaning, "Unknown" otherwise.
std::string_view status_meaning(uint16_t code);

}  // namespace quartet::iap
