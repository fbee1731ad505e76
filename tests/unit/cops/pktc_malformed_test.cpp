// Bad PacketCable input: each case is one clear problem, and the rest of the
// message is still decoded.
#include "pktc_test_util.hpp"

using namespace pktc_test;
using namespace quartet::cops::packetcable;

namespace {

bool has_id(const Decoded& d, std::string_view id) {
  for (const auto& p : d.problems)
    if (p.id == id) return true;
  return false;
}

TEST(PktcMalformed, ObjectTooShortIsReportedAndTheNextObjectDecoded) {
  Buf short_gate_spec = sobj(5, 1, {0x01, 0, 0, 0});  // GateSpec needs 12 body bytes
  auto r = decode(dec(kPcmm, cat({tid(1, 4), short_gate_spec, amid(1, 2), sub4(1, 2, 3, 4)})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Malformed, "GateSpec is too short")) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsFlags), 1u);  // what fits is still shown
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidTag), 2u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmSubscriberIpv4), 0x01020304u);
}

TEST(PktcMalformed, LengthPastTheEndOfTheContainer) {
  Buf lying = cat({u16(40), {4, 1}, u32(0x77)});  // GateID claiming 40 bytes
  auto r = decode(dec(kPcmm, cat({tid(1, 7), amid(1, 2), lying})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Malformed, "runs past the end")) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTransId), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidTag), 2u);
  // What the lying object does hold is still shown.
  EXPECT_EQ(r.decoded.summary, "DEC Gate-Info trans=1 gate=0x00000077");
}

TEST(PktcMalformed, LengthBelowTheHeaderStopsTheWalkOnly) {
  auto r = decode(dec(kPcmm, cat({tid(9, 10), cat({u16(2), {4, 1}, u32(5)})})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Malformed, "below the 4-byte object header"));
  EXPECT_EQ(uint_of(r.decoded, kPcmmTransId), 9u);
  EXPECT_EQ(uint_of(r.decoded, quartet::cops::Field::kDecisionCommand), 1u);  // COPS objects before it
}

TEST(PktcMalformed, UnknownSTypeAndSNumAreIgnoredAndTheRestDecoded) {
  auto r = decode(dec(kPcmm, cat({tid(1, 4), sobj(6, 9, u32(1)), sobj(99, 1, u32(2)), amid(3, 4), sub4(1, 1, 1, 1),
                                  gate_spec(), scn(1, "up"), classifier()})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Unknown, "unknown S-Type 9 for Classifier (S-Num 6)"))
      << all_problems(r.decoded);
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Unknown, "unknown PCMM S-Num 99"));
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidAppType), 3u);
  EXPECT_EQ(count(r.decoded, kPcmmObjectData), 2);
  // The Gate-Set still has its mandatory objects: no missing-object violation.
  EXPECT_EQ(problems(r.decoded, ProblemKind::Violation), 0) << all_problems(r.decoded);
}

TEST(PktcMalformed, MissingMandatoryObjects) {
  auto r = decode(dec(kPcmm, cat({tid(1, 4), amid(1, 2), sub4(1, 2, 3, 4), gate_spec(), scn(7, "up")})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Violation, "Gate-Set without Classifier"));
  auto n = decode(dec(kPcmm, cat({amid(1, 2)})));
  EXPECT_TRUE(has_problem(n.decoded, ProblemKind::Violation, "without a TransactionID"));
  auto w = decode(dec(kPcmm, cat({tid(1, 5), amid(1, 2), sub4(1, 2, 3, 4), gate_id(1)})));
  EXPECT_TRUE(has_problem(w.decoded, ProblemKind::Violation, "Gate-Set-Ack carried in a DEC"));
}

TEST(PktcMalformed, ProblemsCarryStableIds) {
  auto r = decode(dec(kPcmm, cat({tid(1, 4), amid(1, 2), sub4(1, 2, 3, 4), gate_spec(), scn(7, "up")})));
  EXPECT_TRUE(has_id(r.decoded, "copsx.pcmm.gate_set.missing_classifier")) << all_problems(r.decoded);
  auto n = decode(dec(kPcmm, cat({amid(1, 2)})));
  EXPECT_TRUE(has_id(n.decoded, "copsx.pktc.trans_id_missing"));
  auto w = decode(dec(kPcmm, cat({tid(1, 5), amid(1, 2), sub4(1, 2, 3, 4), gate_id(1)})));
  EXPECT_TRUE(has_id(w.decoded, "copsx.pktc.wrong_message"));
  Buf lying = cat({u16(40), {4, 1}, u32(0x77)});
  auto l = decode(dec(kPcmm, cat({tid(1, 7), amid(1, 2), lying})));
  EXPECT_TRUE(has_id(l.decoded, "copsx.pktc.object.length_past_end")) << all_problems(l.decoded);
  // Every PacketCable problem has an id: none falls back to its kind alone.
  for (const auto* d : {&r.decoded, &n.decoded, &w.decoded, &l.decoded})
    for (const auto& p : d->problems) EXPECT_FALSE(p.id.empty()) << p.text;
}

TEST(PktcMalformed, UnpaddedLengthAndCountedPadding) {
  // UserID "abc" + NUL: S-Length 8 counts its padding (the norm); one with S-Length 7
  // followed by a zero byte leaves the padding out (a note), then the AMID still decodes.
  Buf unpadded = cat({u16(6), {21, 1}, text("ab"), {0, 0}});
  auto r = decode(dec(kPcmm, cat({tid(1, 4), unpadded, amid(5, 6)})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Deviation, "leaves out its 2 padding byte(s)"))
      << all_problems(r.decoded);
  EXPECT_EQ(text_of(r.decoded, kPcmmUserId), "ab");
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidTag), 6u);
  // A GateID with 4 zero bytes more than its layout: counted padding, a note.
  auto p = decode(dec(kPcmm, cat({tid(1, 7), amid(1, 1), sub4(1, 1, 1, 1), sobj(4, 1, cat({u32(7), u32(0)}))})));
  EXPECT_TRUE(has_problem(p.decoded, ProblemKind::Deviation, "longer than its layout"));
  EXPECT_EQ(uint_of(p.decoded, kPcmmGateId), 7u);
}

TEST(PktcMalformed, TrafficProfileLengthFittingNoIssue) {
  Buf tp = sobj(7, 3, cat({{7, 0, 0, 0}, Buf(20, 0)}));
  auto r = decode(dec(kPcmm, cat({tid(1, 4), tp, amid(1, 1)})));
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Malformed, "fits no issue's layout")) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidTag), 1u);
}

TEST(PktcMalformed, TrailingBytesTooShortForAHeader) {
  auto r = decode(dec(kDqos, cat({sobj(1, 1, cat({u16(1), u16(1)})), {0x00, 0x05, 0x00}})));
  // Three bytes, not all zero: not padding, too short for a header.
  EXPECT_TRUE(has_problem(r.decoded, ProblemKind::Malformed, "too short for an object header"))
      << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kDqosCmd), 1u);
}

// Every prefix of a full Gate-Set decodes without crashing and keeps what it can.
TEST(PktcMalformed, EveryTruncationOfAGateSet) {
  Buf full =
      dec(kPcmm,
          cat({tid(36563, 4), amid(1, 0x4d2), sub4(10, 32, 110, 180), gate_spec(), scn(7, "extrm_up"), classifier()}));
  for (size_t n = 0; n < full.size(); ++n) {
    Buf cut(full.begin(), full.begin() + static_cast<long>(n));
    auto r = decode(cut);
    if (n >= 8) {
      EXPECT_GT(problems(r.decoded, ProblemKind::Malformed), 0) << n;
    }
  }
}

}  // namespace
