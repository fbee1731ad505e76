// TCP payloads of real nanomsg 1.1.5 (nanocat) and nng 1.5.2 (nngcat) peers,
// captured on 127.0.0.1 (Debian bookworm packages), replayed segment by
// segment through the framer and the session machine as the analyzer does.
// "C" is the dialing side (ToServer), "S" the listening side (ToClient).
#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "sp/fields.hpp"
#include "sp/framer.hpp"
#include "sp/session.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;

namespace {

struct Segment {
  char from;  // 'C' or 'S'
  const char* hex;
};

struct Replay {
  std::vector<MessageRecord> records;
  std::vector<Direction> dirs;
  sp::SpSession session;
  std::deque<std::string> pdus;  // decoded text fields point into these
};

// Reassembles each direction with the framer and feeds whole PDUs in order.
void replay(Replay& r, std::initializer_list<Segment> segments) {
  std::string buf[2];
  uint64_t index = 0;
  TimeNs ts = 0;
  for (const Segment& s : segments) {
    int side = s.from == 'C' ? 0 : 1;
    Direction dir = side == 0 ? Direction::ToServer : Direction::ToClient;
    buf[side] += hex(s.hex);
    ts += 1'000'000;  // 1 ms between segments
    for (;;) {
      FrameResult f = sp::frame(bytes(buf[side]));
      ASSERT_NE(f.status, FrameResult::Status::Invalid);
      if (f.status != FrameResult::Status::Complete) break;
      r.pdus.push_back(buf[side].substr(0, static_cast<size_t>(f.length)));
      buf[side].erase(0, static_cast<size_t>(f.length));
      r.records.push_back(r.session.on_pdu(dir, bytes(r.pdus.back()), ts, index++));
      r.dirs.push_back(dir);
    }
  }
  EXPECT_TRUE(buf[0].empty());
  EXPECT_TRUE(buf[1].empty());
}

std::vector<std::string> summaries(const Replay& r) {
  std::vector<std::string> out;
  for (const auto& m : r.records) out.push_back(m.decoded.summary);
  return out;
}

bool clean(const Replay& r) {
  for (const auto& m : r.records)
    if (!m.decoded.problems.empty() || !m.transition.problems.empty()) return false;
  return true;
}

}  // namespace

TEST(SpRealTraffic, NanomsgReqRep) {
  // nanocat --rep --bind ... --data world / nanocat --req --connect ... --data hello
  Replay r;
  replay(r, {{'S', "0053500000310000"},
             {'C', "0053500000300000"},
             {'C', "0000000000000009aaca1fed68656c6c6f"},
             {'S', "0000000000000009aaca1fed776f726c64"}});
  EXPECT_EQ(summaries(r),
            (std::vector<std::string>{"SP header REP (v0)", "SP header REQ (v0)", "REQ id=0xaaca1fed 5 bytes \"hello\"",
                                      "REP id=0xaaca1fed 5 bytes \"world\""}));
  EXPECT_TRUE(clean(r));
  EXPECT_EQ(*r.records[3].transition.response_to, 2u);
  EXPECT_EQ(*r.records[3].transition.latency, 1'000'000);
  EXPECT_EQ(r.session.state(), "data");
}

TEST(SpRealTraffic, NngReqAgainstNanomsgRep) {
  Replay r;
  replay(r, {{'S', "0053500000310000"},
             {'C', "0053500000300000"},
             {'C', "000000000000000aa4f7e5cf6e6e67726571"},
             {'S', "0000000000000009a4f7e5cf6e6e726570"}});
  EXPECT_EQ(r.records[2].decoded.summary, "REQ id=0xa4f7e5cf 6 bytes \"nngreq\"");
  EXPECT_EQ(*r.records[3].transition.response_to, 2u);
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NngPairV1) {
  Replay r;
  replay(r, {{'S', "0053500000110000"},
             {'C', "0053500000110000"},
             {'S', "000000000000000800000001706f6e67"},
             {'C', "00000000000000080000000170696e67"}});
  EXPECT_EQ(summaries(r), (std::vector<std::string>{"SP header PAIR (v1)", "SP header PAIR (v1)",
                                                    "MSG hops=1 4 bytes \"pong\"", "MSG hops=1 4 bytes \"ping\""}));
  EXPECT_EQ(value(r.records[2].decoded, sp::Field::kHops), 1u);
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NngSurveyorRespondent) {
  Replay r;
  replay(r, {{'C', "0053500000630000"},
             {'S', "0053500000620000"},
             {'S', "00000000000000079065a86577686f"},
             {'C', "00000000000000069065a8656d65"}});
  EXPECT_EQ(r.records[2].decoded.summary, "SURVEY id=0x9065a865 3 bytes \"who\"");
  EXPECT_EQ(r.records[3].decoded.summary, "RESPONSE id=0x9065a865 2 bytes \"me\"");
  EXPECT_EQ(value(r.records[3].decoded, sp::Field::kSurveyId), 0x9065a865u);
  EXPECT_EQ(*r.records[3].transition.response_to, 2u);
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NanomsgPubSubInOneSegment) {
  // Two publications; here both arrive in one TCP segment.
  Replay r;
  replay(r, {{'S', "0053500000200000"},
             {'C', "0053500000210000"},
             {'S',
              "000000000000000d746f7069632e612068656c6c6f"
              "000000000000000d746f7069632e612068656c6c6f"}});
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[3].decoded.summary, "PUB 13 bytes \"topic.a hello\"");
  EXPECT_EQ(r.session.messages(Direction::ToClient), 2u);
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NanomsgBus) {
  Replay r;
  replay(r, {{'C', "0053500000700000"},
             {'S', "0053500000700000"},
             {'S', "000000000000000462757341"},
             {'C', "000000000000000462757342"}});
  EXPECT_EQ(r.records[2].decoded.summary, "BUS 4 bytes \"busA\"");
  EXPECT_EQ(r.records[3].decoded.summary, "BUS 4 bytes \"busB\"");
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NanomsgPairAgainstNngPair0) {
  Replay r;
  replay(r, {{'S', "0053500000100000"},
             {'C', "0053500000100000"},
             {'C', "0000000000000003703062"},
             {'S', "0000000000000003703061"}});
  EXPECT_EQ(r.records[2].decoded.summary, "MSG 3 bytes \"p0b\"");
  EXPECT_EQ(r.records[2].decoded.find(sp::Field::kHops), nullptr);
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NngPushPull) {
  Replay r;
  replay(r, {{'C', "0053500000500000"}, {'S', "0053500000510000"}, {'C', "00000000000000046a6f6231"}});
  EXPECT_EQ(r.records[2].decoded.summary, "PUSH 4 bytes \"job1\"");
  EXPECT_TRUE(clean(r));
}

TEST(SpRealTraffic, NanomsgPairV0DialingNngPairV1IsRefused) {
  // nngcat --pair1 --listen / nanocat --pair --connect: both send their header,
  // then both close (FIN) without a message; nanocat redials again and again.
  Replay r;
  replay(r, {{'S', "0053500000110000"}, {'C', "0053500000100000"}});
  ASSERT_EQ(r.records.size(), 2u);
  ASSERT_EQ(r.records[1].transition.problems.size(), 1u);
  EXPECT_EQ(r.records[1].transition.problems[0].kind, ProblemKind::Violation);
  EXPECT_EQ(r.session.state(), "incompatible");
}
