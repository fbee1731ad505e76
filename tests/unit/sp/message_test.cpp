// Messages: 64-bit length, the protocol header each sender type puts in front
// of the body (backtrace, survey id, PAIR v1 hop count, none), body and text.
#include <gtest/gtest.h>

#include <deque>

#include "sp/decoder.hpp"
#include "sp/fields.hpp"
#include "sp/types.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;

namespace {
// Decoded text fields point into the PDU (zero copy), so the PDU must outlive
// the result: keep every test PDU until the binary exits (deque: no moves).
Decoded from(uint16_t sender, std::string pdu) {
  static std::deque<std::string> keep;
  keep.push_back(std::move(pdu));
  return sp::decode_as(bytes(keep.back()), sender);
}
}  // namespace

TEST(SpMessage, RequestOnADirectLink) {
  // nng/nanomsg REQ: one word, top bit set = request id, then the body.
  std::string pdu = message(be32(0x80000003) + "hello world!");
  ASSERT_EQ(pdu.size(), 8u + 4 + 12);
  Decoded d = from(sp::kReq, pdu);
  EXPECT_EQ(d.name, "REQ");
  EXPECT_TRUE(d.is_request);
  EXPECT_FALSE(d.is_response);
  EXPECT_EQ(d.summary, "REQ id=0x80000003 12 bytes \"hello world!\"");
  EXPECT_TRUE(d.problems.empty());
  EXPECT_EQ(value(d, sp::Field::kLength), 16u);
  EXPECT_EQ(value(d, sp::Field::kRequestId), 0x80000003u);
  EXPECT_EQ(count(d, sp::Field::kBacktraceHop), 0u);
  const Field* bt = d.find(sp::Field::kBacktrace);
  ASSERT_NE(bt, nullptr);
  EXPECT_EQ(bt->offset, 8u);
  EXPECT_EQ(bt->length, 4u);
  const Field* body = d.find(sp::Field::kBody);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->offset, 12u);
  EXPECT_EQ(body->length, 12u);
  EXPECT_EQ(d.find(sp::Field::kBodyText)->text(), "hello world!");
}

TEST(SpMessage, BacktraceThroughTwoDevices) {
  // sp-request-reply-01 section 3: "0|446|0|299|1|823|Hello" reaching the
  // processing node, and the reply echoing it.
  std::string stack = be32(446) + be32(299) + be32(0x80000000u | 823);
  Decoded req = from(sp::kReq, message(stack + "Hello"));
  ASSERT_EQ(count(req, sp::Field::kBacktraceHop), 2u);
  EXPECT_EQ(value(req, sp::Field::kBacktraceHop, 0), 446u);
  EXPECT_EQ(value(req, sp::Field::kBacktraceHop, 1), 299u);
  EXPECT_EQ(value(req, sp::Field::kRequestId), 0x80000337u);
  EXPECT_EQ(req.find(sp::Field::kBacktrace)->length, 12u);
  EXPECT_EQ(req.find(sp::Field::kBodyText)->text(), "Hello");
  EXPECT_EQ(req.find(sp::Field::kBody)->offset, 20u);
  EXPECT_EQ(req.summary, "REQ id=0x80000337 via 2 devices 5 bytes \"Hello\"");
  EXPECT_TRUE(req.problems.empty());

  Decoded rep = from(sp::kRep, message(stack + "World"));
  EXPECT_EQ(rep.name, "REP");
  EXPECT_TRUE(rep.is_response);
  EXPECT_EQ(value(rep, sp::Field::kRequestId), 0x80000337u);
  EXPECT_EQ(rep.summary, "REP id=0x80000337 via 2 devices 5 bytes \"World\"");
}

TEST(SpMessage, BacktraceWithoutFinalWordIsMalformed) {
  Decoded d = from(sp::kRep, message(be32(1) + be32(2) + be32(3)));
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Malformed);
  EXPECT_EQ(d.find(sp::Field::kRequestId), nullptr);
  EXPECT_EQ(d.find(sp::Field::kBody), nullptr);
  EXPECT_EQ(count(d, sp::Field::kBacktraceHop), 3u);
  EXPECT_EQ(d.summary, "REP (malformed)");
}

TEST(SpMessage, MessageShorterThanTheIdIsMalformed) {
  Decoded d = from(sp::kReq, message("ab"));
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Malformed);
  EXPECT_NE(d.problems[0].text.find("too short"), std::string::npos);
}

TEST(SpMessage, BacktraceDeeperThanMaxTtlIsAViolation) {
  std::string stack;
  for (uint32_t i = 0; i < 20; ++i) stack += be32(i + 1);
  stack += be32(0x80000001);
  Decoded d = from(sp::kReq, message(stack + "x"));
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Violation);
  EXPECT_NE(d.problems[0].text.find("21 words"), std::string::npos);
  EXPECT_EQ(count(d, sp::Field::kBacktraceHop), sp::kMaxTtl);  // fields bounded
  EXPECT_EQ(value(d, sp::Field::kRequestId), 0x80000001u);
  EXPECT_EQ(d.find(sp::Field::kRequestId)->offset, 8u + 80);
  EXPECT_EQ(d.find(sp::Field::kBodyText)->text(), "x");
}

TEST(SpMessage, BacktraceOfExactlyMaxTtlWordsIsFine) {
  std::string stack;
  for (uint32_t i = 0; i + 1 < sp::kMaxTtl; ++i) stack += be32(i + 1);
  stack += be32(0x80000001);
  EXPECT_TRUE(from(sp::kReq, message(stack)).problems.empty());
}

TEST(SpMessage, SurveyAndResponseCarrySurveyIds) {
  std::string survey = message(be32(0x8000abcd) + "who is there?");
  Decoded s = from(sp::kSurveyor, survey);
  EXPECT_EQ(s.name, "SURVEY");
  EXPECT_TRUE(s.is_request);
  EXPECT_EQ(value(s, sp::Field::kSurveyId), 0x8000abcdu);
  EXPECT_EQ(s.find(sp::Field::kRequestId), nullptr);
  EXPECT_EQ(s.summary, "SURVEY id=0x8000abcd 13 bytes \"who is there?\"");

  Decoded r = from(sp::kRespondent, message(be32(7) + be32(0x8000abcd) + "me"));
  EXPECT_EQ(r.name, "RESPONSE");
  EXPECT_TRUE(r.is_response);
  EXPECT_EQ(value(r, sp::Field::kBacktraceHop), 7u);
  EXPECT_EQ(value(r, sp::Field::kSurveyId), 0x8000abcdu);
  EXPECT_EQ(r.summary, "RESPONSE id=0x8000abcd via 1 device 2 bytes \"me\"");
}

TEST(SpMessage, LegacySurveyorIdHasNoTopBitRule) {
  Decoded d = from(sp::kSurveyorOld, message(be32(42) + "q"));
  EXPECT_EQ(d.name, "SURVEY");
  EXPECT_EQ(value(d, sp::Field::kSurveyId), 42u);
  EXPECT_TRUE(d.problems.empty());
  EXPECT_EQ(d.find(sp::Field::kBody)->offset, 12u);
}

TEST(SpMessage, PairV1HopCount) {
  Decoded d = from(sp::kPair1, message(be32(1) + "hi"));
  EXPECT_EQ(d.name, "MSG");
  EXPECT_EQ(value(d, sp::Field::kHops), 1u);
  EXPECT_EQ(value(d, sp::Field::kHopsReserved), 0u);
  EXPECT_EQ(d.summary, "MSG hops=1 2 bytes \"hi\"");
  EXPECT_TRUE(d.problems.empty());
  EXPECT_EQ(d.find(sp::Field::kBody)->offset, 12u);

  Decoded via = from(sp::kPair1, message(be32(3) + "hi"));
  EXPECT_EQ(value(via, sp::Field::kHops), 3u);
  EXPECT_TRUE(via.problems.empty());
}

TEST(SpMessage, PairV1BadHopHeaders) {
  Decoded upper = from(sp::kPair1, message(be32(0x00000101) + "x"));
  EXPECT_EQ(value(upper, sp::Field::kHopsReserved), 1u);
  EXPECT_EQ(value(upper, sp::Field::kHops), 1u);
  ASSERT_EQ(upper.problems.size(), 1u);
  EXPECT_EQ(upper.problems[0].kind, ProblemKind::Malformed);

  Decoded zero = from(sp::kPair1, message(be32(0) + "x"));
  ASSERT_EQ(zero.problems.size(), 1u);
  EXPECT_EQ(zero.problems[0].kind, ProblemKind::Violation);

  Decoded far = from(sp::kPair1, message(be32(16) + "x"));
  ASSERT_EQ(far.problems.size(), 1u);
  EXPECT_EQ(far.problems[0].kind, ProblemKind::Violation);

  Decoded shrt = from(sp::kPair1, message("xy"));
  ASSERT_EQ(shrt.problems.size(), 1u);
  EXPECT_EQ(shrt.problems[0].kind, ProblemKind::Malformed);
}

TEST(SpMessage, NoProtocolHeaderForPairV0PubPushBus) {
  std::string topic_body = "weather.paris " + std::string(50, '*');  // 64 bytes
  ASSERT_EQ(topic_body.size(), 64u);
  Decoded pub = from(sp::kPub, message(topic_body));
  EXPECT_EQ(pub.name, "PUB");
  EXPECT_EQ(pub.summary, "PUB 64 bytes \"weather.paris **********...\"");
  EXPECT_EQ(pub.find(sp::Field::kBody)->offset, 8u);
  EXPECT_EQ(pub.find(sp::Field::kBody)->length, 64u);
  EXPECT_EQ(pub.find(sp::Field::kBacktrace), nullptr);
  EXPECT_TRUE(pub.problems.empty());

  // A body starting with a top-bit byte is still all body for these types.
  std::string bin = be32(0x80000001) + "z";
  for (uint16_t t : {sp::kPair0, sp::kPush, sp::kBus}) {
    Decoded d = from(t, message(bin));
    EXPECT_EQ(d.find(sp::Field::kRequestId), nullptr);
    EXPECT_EQ(d.find(sp::Field::kBody)->length, 5u);
    EXPECT_EQ(d.find(sp::Field::kBodyText), nullptr);  // not printable
    EXPECT_EQ(d.summary, std::string(t == sp::kPush ? "PUSH" : t == sp::kBus ? "BUS" : "MSG") + " 5 bytes");
  }
}

TEST(SpMessage, ReceiveOnlySocketsSendingIsAViolation) {
  for (uint16_t t : {sp::kSub, sp::kPull}) {
    Decoded d = from(t, message("x"));
    ASSERT_EQ(d.problems.size(), 1u);
    EXPECT_EQ(d.problems[0].kind, ProblemKind::Violation);
  }
}

TEST(SpMessage, BodyTextJudgedOnEveryByteOfALongBody) {
  // The check runs 8 bytes at a time: white space inside a word is still text,
  // one bad byte anywhere (any position in its word, or in the tail) is not.
  std::string text;
  for (int i = 0; i < 300; ++i) text += "line\t" + std::to_string(i) + "\r\n";
  Decoded ok = from(sp::kPush, message(text));
  ASSERT_NE(ok.find(sp::Field::kBodyText), nullptr);
  EXPECT_EQ(ok.find(sp::Field::kBodyText)->text(), text);
  for (size_t at : {size_t{0}, size_t{13}, size_t{1000}, size_t{1007}, text.size() - 1}) {
    for (char bad : {'\x7f', '\x80', '\x1f', '\0', '\xff'}) {
      std::string t = text;
      t[at] = bad;
      if (bad == '\0' && at == t.size() - 1) continue;  // a trailing NUL is the C-string case
      EXPECT_EQ(from(sp::kPush, message(t)).find(sp::Field::kBodyText), nullptr) << at << " " << int(bad);
    }
  }
}

TEST(SpMessage, BodyTextOfALargeBodyIsJudgedOnItsFirst4KiB) {
  // What shows a body's text shows its start: a 400 kB body is not walked to its end.
  std::string text(10000, 'x');
  text[4096] = '\x01';  // past the checked start: still text, the whole body
  Decoded late = from(sp::kPush, message(text));
  ASSERT_NE(late.find(sp::Field::kBodyText), nullptr);
  EXPECT_EQ(late.find(sp::Field::kBodyText)->text().size(), text.size());
  EXPECT_EQ(late.summary, "PUSH 10000 bytes \"xxxxxxxxxxxxxxxxxxxxxxxx...\"");
  text[4095] = '\x01';  // the last byte checked
  Decoded early = from(sp::kPush, message(text));
  EXPECT_EQ(early.find(sp::Field::kBodyText), nullptr);
  EXPECT_EQ(early.summary, "PUSH 10000 bytes");
}

TEST(SpMessage, SummaryPreviewShowsWhiteSpaceAsBlanks) {
  // The summary is one line: the preview's line breaks and tabs become spaces, the
  // body text field keeps them; only the first 24 characters are previewed.
  const std::string text = "GET\tkey\r\nvalue one\nvalue two\tand more";
  Decoded d = from(sp::kPush, message(text));
  EXPECT_EQ(d.summary, "PUSH 37 bytes \"GET key  value one value...\"");
  EXPECT_EQ(d.find(sp::Field::kBodyText)->text(), text);
  Decoded short_one = from(sp::kPush, message("a\r\nb"));
  EXPECT_EQ(short_one.summary, "PUSH 4 bytes \"a  b\"");
}

TEST(SpMessage, CStringBodyTextLeavesTheNulOut) {
  std::string body("hello\0", 6);
  Decoded d = from(sp::kPush, message(body));
  EXPECT_EQ(d.find(sp::Field::kBody)->length, 6u);
  EXPECT_EQ(d.find(sp::Field::kBodyText)->text(), "hello");
  EXPECT_EQ(d.summary, "PUSH 6 bytes \"hello\"");
}

TEST(SpMessage, StatelessDecodeShowsLengthAndPayload) {
  Decoded d = sp::decode_as(bytes(message(be32(0x80000003) + "abc")), std::nullopt);
  EXPECT_EQ(d.name, "MSG");
  EXPECT_EQ(value(d, sp::Field::kLength), 7u);
  const Field* p = d.find(sp::Field::kPayload);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->offset, 8u);
  EXPECT_EQ(p->length, 7u);
  EXPECT_EQ(d.find(sp::Field::kRequestId), nullptr);
  EXPECT_EQ(d.summary, "SP message 7 bytes");
}

TEST(SpMessage, HugeDeclaredLengthIsReportedNotTrusted) {
  // A PDU cut short by the caller: 2^63 declared, 4 bytes present.
  std::string pdu = be64(uint64_t{1} << 63) + be32(0x80000001);
  Decoded d = from(sp::kReq, pdu);
  EXPECT_EQ(value(d, sp::Field::kLength), uint64_t{1} << 63);
  EXPECT_TRUE(has_problem(d, ProblemKind::Malformed));
  EXPECT_EQ(value(d, sp::Field::kRequestId), 0x80000001u);
  EXPECT_EQ(d.find(sp::Field::kBody)->length, 0u);

  Decoded max = sp::decode_as(bytes(be64(~uint64_t{0})), std::nullopt);
  EXPECT_EQ(value(max, sp::Field::kLength), ~uint64_t{0});
  EXPECT_TRUE(has_problem(max, ProblemKind::Malformed));
}

TEST(SpMessage, TrailingBytesAfterTheMessageAreMalformed) {
  Decoded d = from(sp::kPush, message("abc") + "zz");
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Malformed);
  EXPECT_EQ(d.problems[0].offset, 11u);
  EXPECT_EQ(d.problems[0].length, 2u);
  EXPECT_EQ(d.find(sp::Field::kBody)->length, 3u);
}

TEST(SpMessage, ShorterThanTheLengthFieldIsMalformed) {
  Decoded d = sp::decode_as(bytes(hex("00 00 00")), sp::kReq);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].kind, ProblemKind::Malformed);
  EXPECT_TRUE(d.fields.empty());
}
