// Gate semantics in the COPS session: answers paired by Transaction ID (not in
// DEC order), Gate IDs learned from the Ack, states over time, errors named,
// commands unanswered at close.
#include "cops/session.hpp"
#include "pktc_test_util.hpp"
#include "../support/test_times.hpp"

using namespace pktc_test;
using quartet::Direction;
using quartet::MessageRecord;

namespace {

using quartet::test::kMs;

// The PDP dials the CMTS: the CMTS (PEP) is the TCP server, Direction::ToClient.
class Conn {
 public:
  Conn() : s_(quartet::cops::protocol().new_session()) {
    pep(Msg(6, kPcmm).pep_id("cmts").done(), 0);
    pdp(Msg(7, kPcmm).ka_timer(30).done(), 1 * kMs);
    pep(Msg(1, kPcmm).handle(0x1001).context(8).done(), 2 * kMs);
  }
  MessageRecord pep(const Buf& b, quartet::TimeNs ts) { return push(Direction::ToClient, b, ts); }
  MessageRecord pdp(const Buf& b, quartet::TimeNs ts) { return push(Direction::ToServer, b, ts); }
  quartet::Session& session() { return *s_; }

 private:
  MessageRecord push(Direction d, const Buf& b, quartet::TimeNs ts) {
    keep_.push_back(std::make_unique<Buf>(b));
    return s_->on_pdu(d, view(*keep_.back()), ts, index_++);
  }
  std::unique_ptr<quartet::Session> s_;
  std::vector<std::unique_ptr<Buf>> keep_;
  uint64_t index_ = 0;
};

std::string events(const MessageRecord& r) {
  std::string s;
  for (const auto& e : r.transition.events) s += e.text + "\n";
  return s;
}

Buf gate_set(uint16_t trans, uint8_t envelope) {
  return dec(kPcmm,
             cat({tid(trans, 4), amid(1, 2), sub4(10, 0, 0, 1), gate_spec(), scn(envelope, "up"), classifier()}));
}
Buf ack(uint16_t trans, uint16_t cmd, uint32_t gid) {
  return rpt(kPcmm, cat({tid(trans, cmd), amid(1, 2), sub4(10, 0, 0, 1), gate_id(gid)}));
}

TEST(PktcGates, AnswersOutOfOrderPairByTransactionId) {
  Conn c;
  c.pdp(gate_set(10, 7), 10 * kMs);  // index 3
  c.pdp(gate_set(11, 1), 11 * kMs);  // index 4
  auto a = c.pep(ack(11, 5, 0x7f6e0111), 12 * kMs);
  EXPECT_EQ(a.transition.response_to, 4u);
  EXPECT_EQ(a.transition.latency, 1 * kMs);
  EXPECT_STREQ(a.transition.link_group, "gate");
  EXPECT_EQ(events(a), "gate 0x7f6e0111 set \u2192 authorized (Gate-Set-Ack after 1.000 ms)\n");
  auto b = c.pep(ack(10, 5, 0x7f6e0105), 13'600'000);
  EXPECT_EQ(b.transition.response_to, 3u);
  EXPECT_EQ(events(b), "gate 0x7f6e0105 set \u2192 committed (Gate-Set-Ack after 3.600 ms)\n");
  EXPECT_TRUE(b.transition.problems.empty());
  EXPECT_TRUE(c.session().on_close().empty());
}

TEST(PktcGates, GateIdLearnedFromTheAckTiesLaterCommands) {
  Conn c;
  c.pdp(gate_set(1, 7), 10 * kMs);
  c.pep(ack(1, 5, 0xabc), 11 * kMs);
  auto rs =
      c.pep(rpt(kPcmm,
                cat({tid(0, 15), amid(1, 2), sub4(10, 0, 0, 1), gate_id(0xabc), sobj(15, 1, cat({u16(1), u16(5)})),
                     sobj(12, 1, u32(0)), sobj(13, 1, cat({u32(0), u32(0)}))}),
                3, 0),
            12 * kMs);
  EXPECT_EQ(events(rs),
            "gate 0x00000abc committed \u2192 idle/closed (Gate-Report-State: Inactivity "
            "timer expired due to Service Flow inactivity (timer T3 expiration))\n");
  c.pdp(dec(kPcmm, cat({tid(2, 10), amid(1, 2), sub4(10, 0, 0, 1), gate_id(0xabc)})), 13 * kMs);
  auto del = c.pep(rpt(kPcmm, cat({tid(2, 11), amid(1, 2), gate_id(0xabc)})), 14 * kMs);
  EXPECT_EQ(events(del), "gate 0x00000abc delete \u2192 deleted (Gate-Delete-Ack after 1.000 ms)\n");
  auto notes = c.session().closing_notes();
  ASSERT_GE(notes.size(), 2u);
  EXPECT_EQ(notes[1], "gate 0x00000abc sub=10.0.0.1 SCN=up: committed \u2192 idle/closed \u2192 deleted");
}

TEST(PktcGates, ErrorsAreNamedAndUnansweredCommandsReportedAtClose) {
  Conn c;
  c.pdp(gate_set(17, 7), 10 * kMs);
  auto err = c.pep(rpt(kPcmm, cat({tid(17, 6), amid(1, 2), sub4(10, 0, 0, 1), error(1, 0)}), 2), 11 * kMs);
  EXPECT_EQ(events(err), "Gate-Set-Err trans=17: Insufficient Resources (1) (after 1.000 ms)\n");
  c.pdp(gate_set(18, 7), 12 * kMs);
  auto close = c.session().on_close();
  ASSERT_EQ(close.size(), 1u);
  EXPECT_EQ(close[0].text, "Gate-Set trans=18 #5 never answered");
  auto notes = c.session().closing_notes();
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0], "gates: 0 seen, 1 command(s) answered, 1 error(s), 1 unanswered");
  EXPECT_EQ(notes.back(), "Gate-Set-Err trans=17: Insufficient Resources (1)");
}

TEST(PktcGates, AnswerWithoutCommandIsASequenceProblem) {
  Conn c;
  auto a = c.pep(ack(99, 5, 1), 10 * kMs);
  EXPECT_FALSE(a.transition.response_to);
  ASSERT_EQ(a.transition.problems.size(), 1u);
  EXPECT_EQ(a.transition.problems[0].text,
            "Gate-Set-Ack trans=99 answers no outstanding Gate-Set with that Transaction ID");
}

TEST(PktcGates, DqosAllocSetOpenClose) {
  Conn c;  // client-type PCMM opened; DQoS below uses its own client-type on the same machine
  auto open = [&](uint16_t t, uint16_t cmd, const Buf& more = {}) {
    return cat({sobj(1, 1, cat({u16(t), u16(cmd)})), sobj(2, 1, {10, 1, 2, 3}), more});
  };
  c.pep(Msg(6, kDqos).pep_id("cmts").done(), 3 * kMs);
  c.pdp(Msg(7, kDqos).ka_timer(30).done(), 4 * kMs);
  c.pdp(dec(kDqos, open(1, 1)), 10 * kMs);
  auto alloc = c.pep(rpt(kDqos, open(1, 2, sobj(3, 1, u32(0x1001)))), 11 * kMs);
  EXPECT_EQ(events(alloc), "gate 0x00001001 alloc \u2192 allocated (Gate-Alloc-Ack after 1.000 ms)\n");
  c.pdp(dec(kDqos, open(2, 4, sobj(3, 1, u32(0x1001)))), 12 * kMs);
  auto set = c.pep(rpt(kDqos, open(2, 5, sobj(3, 1, u32(0x1001)))), 13 * kMs);
  EXPECT_EQ(events(set), "gate 0x00001001 set \u2192 authorized (Gate-Set-Ack after 1.000 ms)\n");
  auto go = c.pep(rpt(kDqos, open(0, 13, sobj(3, 1, u32(0x1001))), 3, 0), 14 * kMs);
  EXPECT_EQ(events(go), "gate 0x00001001 authorized \u2192 committed (Gate-Open)\n");
  auto gc = c.pep(rpt(kDqos, open(0, 14, cat({sobj(3, 1, u32(0x1001)), sobj(13, 1, cat({u16(1), u16(7)}))})), 3, 0),
                  15 * kMs);
  EXPECT_EQ(events(gc),
            "gate 0x00001001 committed \u2192 closed (Gate-Close: Timer T8 expiration; "
            "Service Flow inactivity in the upstream direction)\n");
}

}  // namespace
