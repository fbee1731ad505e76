// The SP session machine: header exchange, compatibility, request/reply and
// survey/response matching with latency, counts, and the sequence problems.
#include <gtest/gtest.h>

#include <deque>

#include "common/protocol.hpp"
#include "sp/fields.hpp"
#include "sp/session.hpp"
#include "sp/types.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;

namespace {

constexpr TimeNs kSec = 1'000'000'000;
constexpr auto C2S = Direction::ToServer;
constexpr auto S2C = Direction::ToClient;

// Feeds PDUs with increasing indexes, like the wrappers do. The PDUs are kept:
// decoded text fields point into them.
struct Feeder {
  sp::SpSession s;
  uint64_t next = 0;
  std::deque<std::string> pdus;
  MessageRecord send(Direction d, std::string pdu, TimeNs ts) {
    pdus.push_back(std::move(pdu));
    return s.on_pdu(d, bytes(pdus.back()), ts, next++);
  }
};

bool has_event(const Transition& t, EventKind k, std::string_view text) {
  for (const auto& e : t.events)
    if (e.kind == k && e.text == text) return true;
  return false;
}

}  // namespace

TEST(SpSession, RequestReplyWithLatency) {
  Feeder f;
  EXPECT_EQ(f.s.state(), "awaiting headers");
  MessageRecord h1 = f.send(C2S, header(sp::kReq), 0);
  EXPECT_TRUE(has_event(h1.transition, EventKind::Phase, "header exchange"));
  EXPECT_EQ(f.s.state(), "header exchange");
  MessageRecord h2 = f.send(S2C, header(sp::kRep), 1000);
  EXPECT_TRUE(has_event(h2.transition, EventKind::Info, "SP peers compatible: REQ <-> REP"));
  EXPECT_TRUE(has_event(h2.transition, EventKind::Phase, "data"));
  EXPECT_TRUE(h2.transition.problems.empty());
  EXPECT_EQ(f.s.state(), "data");

  MessageRecord req = f.send(C2S, message(be32(0x80000003) + "hello world!"), 1 * kSec);
  EXPECT_EQ(req.decoded.summary, "REQ id=0x80000003 12 bytes \"hello world!\"");
  EXPECT_FALSE(req.transition.response_to);
  MessageRecord rep = f.send(S2C, message(be32(0x80000003) + "hi"), 1 * kSec + 250'000'000);
  EXPECT_EQ(rep.decoded.name, "REP");
  ASSERT_TRUE(rep.transition.response_to);
  EXPECT_EQ(*rep.transition.response_to, 2u);
  ASSERT_TRUE(rep.transition.latency);
  EXPECT_EQ(*rep.transition.latency, 250'000'000);
  EXPECT_TRUE(rep.transition.problems.empty());
  EXPECT_TRUE(f.s.on_close().empty());
  EXPECT_EQ(f.s.messages(C2S), 1u);
  EXPECT_EQ(f.s.messages(S2C), 1u);
}

TEST(SpSession, ServerSideRepCanBeTheConnectingSideToo) {
  // REP connects, REQ listens: the roles follow the headers, not TCP.
  Feeder f;
  f.send(C2S, header(sp::kRep), 0);
  f.send(S2C, header(sp::kReq), 1);
  f.send(S2C, message(be32(0x80000010) + "q"), 10);
  MessageRecord rep = f.send(C2S, message(be32(0x80000010) + "a"), 30);
  ASSERT_TRUE(rep.transition.response_to);
  EXPECT_EQ(*rep.transition.response_to, 2u);
  EXPECT_EQ(*rep.transition.latency, 20);
}

TEST(SpSession, RepliesMatchTheWholeBacktraceThroughDevices) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  f.send(S2C, header(sp::kRep), 0);
  // A device's REQ forwards two clients' requests with the same id but
  // different hop words: each reply goes to its own request.
  f.send(C2S, message(be32(446) + be32(0x80000001) + "a"), 100);
  f.send(C2S, message(be32(447) + be32(0x80000001) + "b"), 200);
  MessageRecord r2 = f.send(S2C, message(be32(447) + be32(0x80000001) + "B"), 260);
  MessageRecord r1 = f.send(S2C, message(be32(446) + be32(0x80000001) + "A"), 400);
  EXPECT_EQ(*r2.transition.response_to, 3u);
  EXPECT_EQ(*r2.transition.latency, 60);
  EXPECT_EQ(*r1.transition.response_to, 2u);
  EXPECT_EQ(*r1.transition.latency, 300);
  EXPECT_TRUE(r1.transition.problems.empty());
}

TEST(SpSession, ResentRequestAndUnknownReplyAreSequenceProblems) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  f.send(S2C, header(sp::kRep), 0);
  f.send(C2S, message(be32(0x80000005) + "x"), 1 * kSec);
  MessageRecord again = f.send(C2S, message(be32(0x80000005) + "x"), 61 * kSec);
  ASSERT_EQ(again.transition.problems.size(), 1u);
  EXPECT_EQ(again.transition.problems[0].kind, ProblemKind::Sequence);
  EXPECT_NE(again.transition.problems[0].text.find("resent"), std::string::npos);

  MessageRecord rep = f.send(S2C, message(be32(0x80000005) + "y"), 61 * kSec + 5);
  EXPECT_EQ(*rep.transition.response_to, 3u);  // the resend
  EXPECT_EQ(*rep.transition.latency, 5);

  MessageRecord dup = f.send(S2C, message(be32(0x80000005) + "y"), 62 * kSec);
  EXPECT_FALSE(dup.transition.response_to);
  ASSERT_EQ(dup.transition.problems.size(), 1u);
  EXPECT_EQ(dup.transition.problems[0].kind, ProblemKind::Sequence);

  MessageRecord stray = f.send(S2C, message(be32(0x80000099) + "y"), 63 * kSec);
  ASSERT_EQ(stray.transition.problems.size(), 1u);
  EXPECT_NE(stray.transition.problems[0].text.find("0x80000099"), std::string::npos);
}

TEST(SpSession, UnansweredRequestsAreReportedAtClose) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  f.send(S2C, header(sp::kRep), 0);
  f.send(C2S, message(be32(0x80000001) + "x"), 10);
  f.send(C2S, message(be32(0x80000002) + "x"), 20);
  f.send(S2C, message(be32(0x80000002) + "y"), 30);
  auto problems = f.s.on_close();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].kind, ProblemKind::Sequence);
  EXPECT_NE(problems[0].text.find("0x80000001"), std::string::npos);
  EXPECT_NE(problems[0].text.find("#2"), std::string::npos);
}

TEST(SpSession, OpenRequestsAreBoundedOldestForgotten) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  f.send(S2C, header(sp::kRep), 0);
  constexpr uint32_t kSent = quartet::kMaxPending + 10;
  for (uint32_t i = 0; i < kSent; ++i) f.send(C2S, message(be32(0x80000000u | i)), i);
  // The first ten were forgotten; the eleventh is still matched.
  MessageRecord old = f.send(S2C, message(be32(0x80000000u | 3)), kSent);
  EXPECT_FALSE(old.transition.response_to);
  MessageRecord kept = f.send(S2C, message(be32(0x80000000u | 10)), kSent + 1);
  ASSERT_TRUE(kept.transition.response_to);
  EXPECT_EQ(*kept.transition.response_to, 2u + 10);
  auto problems = f.s.on_close();
  ASSERT_EQ(problems.size(), 17u);  // 16 listed one by one, then the rest counted
  EXPECT_NE(problems[0].text.find("0x8000000b"), std::string::npos);
  // kMaxPending kept, one of them answered, 16 listed.
  EXPECT_NE(problems[16].text.find(std::to_string(quartet::kMaxPending - 1 - 16) + " more"), std::string::npos);
  EXPECT_TRUE(f.s.on_close().empty());
}

TEST(SpSession, SurveyWithSeveralResponses) {
  Feeder f;
  f.send(C2S, header(sp::kRespondent), 0);  // respondents usually dial the surveyor
  MessageRecord h = f.send(S2C, header(sp::kSurveyor), 0);
  EXPECT_TRUE(has_event(h.transition, EventKind::Info, "SP peers compatible: RESPONDENT <-> SURVEYOR"));
  MessageRecord survey = f.send(S2C, message(be32(0x80000100) + "ping"), 1000);
  EXPECT_EQ(survey.decoded.name, "SURVEY");
  // A device behind this connection forwards two respondents' answers.
  MessageRecord a = f.send(C2S, message(be32(0x80000100) + "a"), 1400);
  MessageRecord b = f.send(C2S, message(be32(0x80000100) + "b"), 1900);
  EXPECT_EQ(a.decoded.name, "RESPONSE");
  EXPECT_EQ(*a.transition.response_to, 2u);
  EXPECT_EQ(*a.transition.latency, 400);
  EXPECT_EQ(*b.transition.response_to, 2u);
  EXPECT_EQ(*b.transition.latency, 900);
  EXPECT_TRUE(b.transition.problems.empty());
  MessageRecord stray = f.send(C2S, message(be32(0x80000101) + "c"), 2000);
  ASSERT_EQ(stray.transition.problems.size(), 1u);
  EXPECT_EQ(stray.transition.problems[0].kind, ProblemKind::Sequence);
  EXPECT_TRUE(f.s.on_close().empty());  // unanswered surveys are normal
}

TEST(SpSession, LegacySurveyorMatchesByItsIdWord) {
  Feeder f;
  f.send(C2S, header(sp::kSurveyorOld), 0);
  f.send(S2C, header(sp::kRespondentOld), 0);
  f.send(C2S, message(be32(7) + "q"), 100);
  MessageRecord r = f.send(S2C, message(be32(7) + "a"), 150);
  EXPECT_EQ(*r.transition.response_to, 2u);
  EXPECT_EQ(*r.transition.latency, 50);
}

TEST(SpSession, IncompatiblePeers) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  MessageRecord h = f.send(S2C, header(sp::kPub), 0);
  ASSERT_EQ(h.transition.problems.size(), 1u);
  EXPECT_EQ(h.transition.problems[0].kind, ProblemKind::Violation);
  EXPECT_NE(h.transition.problems[0].text.find("REQ <-> PUB"), std::string::npos);
  EXPECT_TRUE(has_event(h.transition, EventKind::Info, "SP peers incompatible: REQ <-> PUB"));
  EXPECT_FALSE(has_event(h.transition, EventKind::Phase, "data"));
  EXPECT_EQ(f.s.state(), "incompatible");
  MessageRecord m = f.send(S2C, message("news"), 10);
  ASSERT_EQ(m.transition.problems.size(), 1u);
  EXPECT_EQ(m.transition.problems[0].kind, ProblemKind::Sequence);
}

TEST(SpSession, PairV0AgainstPairV1IsIncompatible) {
  Feeder f;
  f.send(C2S, header(sp::kPair0), 0);
  MessageRecord h = f.send(S2C, header(sp::kPair1), 0);
  EXPECT_TRUE(has_event(h.transition, EventKind::Info, "SP peers incompatible: PAIR v0 <-> PAIR v1"));
}

TEST(SpSession, BadHeaderIsRejected) {
  Feeder f;
  MessageRecord h = f.send(C2S, hex("00 53 50 00 00 30 00 07"), 0);
  EXPECT_TRUE(has_problem(h.decoded, ProblemKind::Violation));
  EXPECT_EQ(f.s.state(), "rejected");
  MessageRecord h2 = f.send(S2C, header(sp::kRep), 0);
  EXPECT_FALSE(has_event(h2.transition, EventKind::Phase, "data"));
  EXPECT_EQ(f.s.state(), "rejected");
}

TEST(SpSession, MessageBeforeTheHeaderIsAViolationOnce) {
  Feeder f;
  MessageRecord m = f.send(C2S, message("x"), 0);
  ASSERT_EQ(m.transition.problems.size(), 1u);
  EXPECT_EQ(m.transition.problems[0].kind, ProblemKind::Violation);
  EXPECT_TRUE(has_event(m.transition, EventKind::Phase, "data"));
  MessageRecord m2 = f.send(C2S, message("y"), 1);
  EXPECT_TRUE(m2.transition.problems.empty());
}

TEST(SpSession, SecondHeaderFromOneSideIsAViolation) {
  Feeder f;
  f.send(C2S, header(sp::kReq), 0);
  MessageRecord again = f.send(C2S, header(sp::kReq), 1);
  ASSERT_EQ(again.transition.problems.size(), 1u);
  EXPECT_EQ(again.transition.problems[0].kind, ProblemKind::Violation);
}

TEST(SpSession, DecodeUsesTheLearnedSocketTypes) {
  Feeder f;
  std::string req = message(be32(0x80000003) + "abc");
  // Before the headers: length + raw payload only.
  Decoded before = f.s.decode(C2S, bytes(req));
  EXPECT_NE(before.find(sp::Field::kPayload), nullptr);
  EXPECT_EQ(before.find(sp::Field::kRequestId), nullptr);

  f.send(C2S, header(sp::kReq), 0);
  f.send(S2C, header(sp::kRep), 0);
  Decoded after = f.s.decode(C2S, bytes(req));
  EXPECT_EQ(after.name, "REQ");
  EXPECT_EQ(value(after, sp::Field::kRequestId), 0x80000003u);
  EXPECT_EQ(after.find(sp::Field::kPayload), nullptr);
  // decode() does not advance the machine.
  EXPECT_EQ(f.s.messages(C2S), 0u);
  // The plugin's generic path: the descriptor's new_session + on_pdu.
  const Protocol& p = sp::protocol();
  auto s = p.new_session();
  s->on_pdu(S2C, bytes(header(sp::kRep)), 0, 0);
  EXPECT_EQ(s->decode(C2S, bytes(req)).name, "REQ");
}

TEST(SpSession, OneHeaderIsEnoughToKnowThePeer) {
  // Capture started mid-way through the server's header: the REP header alone
  // says the client is a REQ.
  Feeder f;
  f.send(S2C, header(sp::kRep), 0);
  EXPECT_EQ(f.s.sender_type(C2S), sp::kReq);
  MessageRecord m = f.send(C2S, message(be32(0x80000001) + "x"), 5);
  EXPECT_EQ(m.decoded.name, "REQ");
  EXPECT_EQ(value(m.decoded, sp::Field::kRequestId), 0x80000001u);
  EXPECT_EQ(m.transition.problems.size(), 1u);  // still: no header from this side
}

TEST(SpSession, PubSubCountsPerDirection) {
  Feeder f;
  f.send(C2S, header(sp::kSub), 0);
  MessageRecord h = f.send(S2C, header(sp::kPub), 0);
  EXPECT_TRUE(has_event(h.transition, EventKind::Info, "SP peers compatible: SUB <-> PUB"));
  for (int i = 0; i < 3; ++i) {
    MessageRecord m = f.send(S2C, message("topic.a " + std::to_string(i)), 10 + i);
    EXPECT_EQ(m.decoded.name, "PUB");
    EXPECT_FALSE(m.transition.response_to);
  }
  EXPECT_EQ(f.s.messages(S2C), 3u);
  EXPECT_EQ(f.s.messages(C2S), 0u);
  EXPECT_EQ(f.s.endpoint_type(S2C), sp::kPub);
  EXPECT_EQ(f.s.endpoint_type(C2S), sp::kSub);
}

TEST(SpSession, PairV1MessagesBothWays) {
  Feeder f;
  f.send(C2S, header(sp::kPair1), 0);
  f.send(S2C, header(sp::kPair1), 0);
  MessageRecord a = f.send(C2S, message(be32(1) + "ping"), 1);
  MessageRecord b = f.send(S2C, message(be32(1) + "pong"), 2);
  EXPECT_EQ(a.decoded.summary, "MSG hops=1 4 bytes \"ping\"");
  EXPECT_EQ(b.decoded.summary, "MSG hops=1 4 bytes \"pong\"");
  EXPECT_FALSE(b.transition.response_to);
}
