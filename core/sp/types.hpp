// SP endpoint types (the 16-bit "type" of the connection header) and what each
// type means for the messages it sends.
//
// The values are what nanomsg and nng put on the wire. Where the SP texts
// disagree with both libraries we follow the libraries: sp-request-reply-01
// section 8 asks for REQ=16/REP=17, but 16/17 (0x10/0x11) are PAIR v0/v1 on the
// wire and REQ/REP are 0x30/0x31 (protocol id 3 << 4 | role), as
// sp-protocol-ids-01 implies.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "../common/field.hpp"

namespace quartet::sp {

inline constexpr uint16_t kPair0 = 0x10;
inline constexpr uint16_t kPair1 = 0x11;  // nng only; peers only with another 0x11
inline constexpr uint16_t kPub = 0x20;
inline constexpr uint16_t kSub = 0x21;
inline constexpr uint16_t kReq = 0x30;
inline constexpr uint16_t kRep = 0x31;
inline constexpr uint16_t kPush = 0x50;
inline constexpr uint16_t kPull = 0x51;
// sp-surveyor-01 section 8: "an earlier similar protocol without the backtrace
// headers used protocol numbers 96 and 97".
inline constexpr uint16_t kSurveyorOld = 0x60;
inline constexpr uint16_t kRespondentOld = 0x61;
inline constexpr uint16_t kSurveyor = 0x62;
inline constexpr uint16_t kRespondent = 0x63;
inline constexpr uint16_t kBus = 0x70;

// sp-protocol-ids-01 section 2: 3840-4095 are local and experimental.
inline constexpr uint16_t kFirstLocalProtocolId = 3840;

// nng refuses backtraces deeper than its maximum TTL (NNI_MAX_MAX_TTL = 15);
// the default TTL of both libraries is 8.
inline constexpr uint32_t kMaxTtl = 15;

// The protocol header a sender puts in front of the body of every message.
enum class MessageHeader : uint8_t {
  None,       // PAIR v0, PUB, SUB, PUSH, PULL, BUS
  Backtrace,  // REQ/REP, SURVEYOR/RESPONDENT: device hops + final id (top bit set)
  LegacyId,   // old SURVEYOR/RESPONDENT (0x60/0x61): see decoder.cpp
  HopCount,   // PAIR v1: one word, low byte = hop count
};

struct EndpointInfo {
  uint16_t type;
  uint16_t peer;             // the only type it may be connected to
  const char* name;          // "REQ"
  const char* message_name;  // what its messages are called: "REQ", "REP", "SURVEY"...
  MessageHeader header;
  bool sends_requests;   // REQ, SURVEYOR: messages that expect answers
  bool sends_responses;  // REP, RESPONDENT: messages that answer
  bool never_sends;      // SUB, PULL: receive-only sockets
  const char* id_kind;   // "request" / "survey" for the final backtrace word, else nullptr
};

// nullptr for a type neither library defines.
const EndpointInfo* endpoint_info(uint16_t type);

// "REQ (v0)", or nullptr when unknown (value_string for header.type).
std::span<const ValueName> endpoint_type_names();
// sp-protocol-ids-01: "pair", "publish/subscribe", ... (value_string for header.protocol).
std::span<const ValueName> protocol_id_names();

// Short name for summaries: "REQ", "PAIR v1"; "unknown" for an undefined type.
std::string_view endpoint_short_name(uint16_t type);

// Whether nanomsg/nng accept a connection between these two types.
bool compatible(uint16_t a, uint16_t b);

}  // namespace quartet::sp
