// The SP/TCP connection header of every socket type, byte for byte as nanomsg
// and nng send it, and the header checks.
#include <gtest/gtest.h>

#include "sp/decoder.hpp"
#include "sp/fields.hpp"
#include "sp/types.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;

namespace {

struct Case {
  const char* wire;
  uint16_t type;
  uint16_t protocol;
  uint16_t role;
  const char* summary;
};

// What nanomsg / nng put on the wire (NOTES.md; REQ/REP 0x30/0x31, not the
// 16/17 of sp-request-reply-01 section 8).
constexpr Case kCases[] = {
    {"00 53 50 00 00 10 00 00", 0x10, 1, 0, "SP header PAIR (v0)"},
    {"00 53 50 00 00 11 00 00", 0x11, 1, 1, "SP header PAIR (v1)"},
    {"00 53 50 00 00 20 00 00", 0x20, 2, 0, "SP header PUB (v0)"},
    {"00 53 50 00 00 21 00 00", 0x21, 2, 1, "SP header SUB (v0)"},
    {"00 53 50 00 00 30 00 00", 0x30, 3, 0, "SP header REQ (v0)"},
    {"00 53 50 00 00 31 00 00", 0x31, 3, 1, "SP header REP (v0)"},
    {"00 53 50 00 00 50 00 00", 0x50, 5, 0, "SP header PUSH (v0)"},
    {"00 53 50 00 00 51 00 00", 0x51, 5, 1, "SP header PULL (v0)"},
    {"00 53 50 00 00 60 00 00", 0x60, 6, 0, "SP header SURVEYOR (legacy, no backtrace)"},
    {"00 53 50 00 00 61 00 00", 0x61, 6, 1, "SP header RESPONDENT (legacy, no backtrace)"},
    {"00 53 50 00 00 62 00 00", 0x62, 6, 2, "SP header SURVEYOR (v0)"},
    {"00 53 50 00 00 63 00 00", 0x63, 6, 3, "SP header RESPONDENT (v0)"},
    {"00 53 50 00 00 70 00 00", 0x70, 7, 0, "SP header BUS (v0)"},
};

}  // namespace

TEST(SpHeader, EverySocketTypeByteExact) {
  for (const Case& c : kCases) {
    std::string wire = hex(c.wire);
    ASSERT_EQ(wire, header(c.type));
    Decoded d = sp::decode_as(bytes(wire), std::nullopt);
    EXPECT_EQ(d.name, "header");
    EXPECT_EQ(d.summary, c.summary);
    EXPECT_TRUE(d.problems.empty()) << c.summary;
    EXPECT_EQ(value(d, sp::Field::kVersion), 0u);
    EXPECT_EQ(value(d, sp::Field::kType), c.type);
    EXPECT_EQ(value(d, sp::Field::kProtocolId), c.protocol);
    EXPECT_EQ(value(d, sp::Field::kRole), c.role);
    EXPECT_EQ(value(d, sp::Field::kReserved), 0u);
    const Field* magic = d.find(sp::Field::kMagic);
    ASSERT_NE(magic, nullptr);
    EXPECT_EQ(magic->offset, 0u);
    EXPECT_EQ(magic->length, 3u);
    const Field* type = d.find(sp::Field::kType);
    EXPECT_EQ(type->offset, 4u);
    EXPECT_EQ(type->length, 2u);
    EXPECT_EQ(type->depth, 1u);  // inside the "header" group
  }
}

TEST(SpHeader, ParseHeaderGivesTheFields) {
  auto h = sp::parse_header(bytes(hex("00 53 50 00 00 62 00 00")));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, 0x62);
  EXPECT_TRUE(h->acceptable());
  EXPECT_FALSE(sp::parse_header(bytes(hex("00 53 50 00 00 62 00"))));
}

TEST(SpHeader, NonzeroReservedIsAViolation) {
  Decoded d = sp::decode_as(bytes(hex("00 53 50 00 00 30 00 01")), std::nullopt);
  EXPECT_EQ(value(d, sp::Field::kReserved), 1u);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Violation);
  EXPECT_EQ(d.problems[0].offset, 6u);
  EXPECT_EQ(d.problems[0].length, 2u);
}

TEST(SpHeader, VersionOtherThanZeroIsUnknown) {
  Decoded d = sp::decode_as(bytes(hex("00 53 50 02 00 31 00 00")), std::nullopt);
  EXPECT_EQ(value(d, sp::Field::kVersion), 2u);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Unknown);
  EXPECT_EQ(d.problems[0].offset, 3u);
  EXPECT_FALSE(sp::parse_header(bytes(hex("00 53 50 02 00 31 00 00")))->acceptable());
}

TEST(SpHeader, UnknownTypeIsReportedWithItsNumber) {
  Decoded d = sp::decode_as(bytes(hex("00 53 50 00 00 40 00 00")), std::nullopt);
  EXPECT_EQ(d.summary, "SP header type 0x0040");
  EXPECT_EQ(value(d, sp::Field::kProtocolId), 4u);  // "4 - unassigned"
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Unknown);
  EXPECT_NE(d.problems[0].text.find("0x0040"), std::string::npos);

  Decoded local = sp::decode_as(bytes(hex("00 53 50 00 f0 00 00 00")), std::nullopt);
  EXPECT_EQ(value(local, sp::Field::kProtocolId), 3840u);
  ASSERT_EQ(local.problems.size(), 1u);
  EXPECT_NE(local.problems[0].text.find("experimental"), std::string::npos);
}

TEST(SpHeader, TruncatedHeaderIsMalformed) {
  Decoded d = sp::decode_as(bytes(hex("00 53 50 00 00")), std::nullopt);
  EXPECT_EQ(d.name, "header");
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Malformed);
  EXPECT_EQ(d.find(sp::Field::kType), nullptr);
}

TEST(SpTypes, CompatiblePairsFollowTheLibraries) {
  EXPECT_TRUE(sp::compatible(sp::kReq, sp::kRep));
  EXPECT_TRUE(sp::compatible(sp::kRep, sp::kReq));
  EXPECT_TRUE(sp::compatible(sp::kPub, sp::kSub));
  EXPECT_TRUE(sp::compatible(sp::kPush, sp::kPull));
  EXPECT_TRUE(sp::compatible(sp::kSurveyor, sp::kRespondent));
  EXPECT_TRUE(sp::compatible(sp::kSurveyorOld, sp::kRespondentOld));
  EXPECT_TRUE(sp::compatible(sp::kBus, sp::kBus));
  EXPECT_TRUE(sp::compatible(sp::kPair0, sp::kPair0));
  EXPECT_TRUE(sp::compatible(sp::kPair1, sp::kPair1));

  EXPECT_FALSE(sp::compatible(sp::kPair0, sp::kPair1));  // nanocat --pair vs nng pair1
  EXPECT_FALSE(sp::compatible(sp::kReq, sp::kReq));
  EXPECT_FALSE(sp::compatible(sp::kPub, sp::kPub));
  EXPECT_FALSE(sp::compatible(sp::kSurveyor, sp::kRespondentOld));
  EXPECT_FALSE(sp::compatible(sp::kReq, sp::kPull));
  EXPECT_FALSE(sp::compatible(0x40, 0x40));
}
