#include "types.hpp"

namespace quartet::sp {
namespace {

// One row per socket type both libraries (or the older nanomsg surveyor) use.
constexpr EndpointInfo kEndpoints[] = {
    {kPair0, kPair0, "PAIR v0", "MSG", MessageHeader::None, false, false, false, nullptr},
    {kPair1, kPair1, "PAIR v1", "MSG", MessageHeader::HopCount, false, false, false, nullptr},
    {kPub, kSub, "PUB", "PUB", MessageHeader::None, false, false, false, nullptr},
    {kSub, kPub, "SUB", "SUB", MessageHeader::None, false, false, true, nullptr},
    {kReq, kRep, "REQ", "REQ", MessageHeader::Backtrace, true, false, false, "request"},
    {kRep, kReq, "REP", "REP", MessageHeader::Backtrace, false, true, false, "request"},
    {kPush, kPull, "PUSH", "PUSH", MessageHeader::None, false, false, false, nullptr},
    {kPull, kPush, "PULL", "PULL", MessageHeader::None, false, false, true, nullptr},
    {kSurveyorOld, kRespondentOld, "SURVEYOR (legacy)", "SURVEY", MessageHeader::LegacyId, true, false, false,
     "survey"},
    {kRespondentOld, kSurveyorOld, "RESPONDENT (legacy)", "RESPONSE", MessageHeader::LegacyId, false, true, false,
     "survey"},
    {kSurveyor, kRespondent, "SURVEYOR", "SURVEY", MessageHeader::Backtrace, true, false, false, "survey"},
    {kRespondent, kSurveyor, "RESPONDENT", "RESPONSE", MessageHeader::Backtrace, false, true, false, "survey"},
    {kBus, kBus, "BUS", "BUS", MessageHeader::None, false, false, false, nullptr},
};

// "(v0)"/"(v1)" follow nng's protocol names (req0, pair1, surveyor0...).
constexpr ValueName kTypeNames[] = {
    {kPair0, "PAIR (v0)"},
    {kPair1, "PAIR (v1)"},
    {kPub, "PUB (v0)"},
    {kSub, "SUB (v0)"},
    {kReq, "REQ (v0)"},
    {kRep, "REP (v0)"},
    {kPush, "PUSH (v0)"},
    {kPull, "PULL (v0)"},
    {kSurveyorOld, "SURVEYOR (legacy, no backtrace)"},
    {kRespondentOld, "RESPONDENT (legacy, no backtrace)"},
    {kSurveyor, "SURVEYOR (v0)"},
    {kRespondent, "RESPONDENT (v0)"},
    {kBus, "BUS (v0)"},
};

// sp-protocol-ids-01 section 2 (id 4 unassigned).
constexpr ValueName kProtocolIds[] = {
    {1, "pair"}, {2, "publish/subscribe"}, {3, "request/reply"}, {5, "pipeline"}, {6, "survey"},
    {7, "bus"},  {8, "slowsand"},
};

}  // namespace

const EndpointInfo* endpoint_info(uint16_t type) {
  for (const auto& e : kEndpoints)
    if (e.type == type) return &e;
  return nullptr;
}

std::span<const ValueName> endpoint_type_names() { return kTypeNames; }
std::span<const ValueName> protocol_id_names() { return kProtocolIds; }

std::string_view endpoint_short_name(uint16_t type) {
  const EndpointInfo* e = endpoint_info(type);
  return e ? std::string_view(e->name) : std::string_view("unknown");
}

bool compatible(uint16_t a, uint16_t b) {
  const EndpointInfo* e = endpoint_info(a);
  return e && e->peer == b;
}

}  // namespace quartet::sp
