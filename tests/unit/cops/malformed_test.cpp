// Lying lengths, padding counted in lengths, missing padding, truncation.
#include "cops/names.hpp"
#include "cops_test_util.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;

TEST(CopsMalformed, LengthCountingPaddingIsADeviation) {
  // PEP-ID "CMTS1\0" is 6 bytes: RFC length 10, a padding stack writes 12.
  Buf b = Msg(kOPN, kClientTypePcmm).obj_len_counts_padding(11, 1, cat({text("CMTS1"), {0}})).done();
  auto r = decode(b);
  const Decoded& d = r.decoded;
  EXPECT_EQ(uint_of(d, kObjectLength), 12u);
  EXPECT_EQ(text_of(d, kPepIdValue), "CMTS1");
  ASSERT_EQ(problems(d, ProblemKind::Deviation), 1) << all_problems(d);
  const auto* p = problem(d, ProblemKind::Deviation);
  EXPECT_EQ(p->offset, 18u);  // after the NUL
  EXPECT_EQ(p->length, 2u);
  EXPECT_EQ(problems(d, ProblemKind::Malformed) + problems(d, ProblemKind::Violation), 0) << all_problems(d);
  EXPECT_EQ(quartet::severity_of(p->kind), quartet::Severity::Note);
}

TEST(CopsMalformed, RfcPaddingIsShownAndQuiet) {
  auto r = decode(Msg(kOPN, 1).pep_id("CMTS1").done());
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kObjectLength), 10u);
  const quartet::Field* pad = field(r.decoded, kObjectPadding);
  ASSERT_NE(pad, nullptr);
  EXPECT_EQ(pad->offset, 18u);
  EXPECT_EQ(pad->length, 2u);
  EXPECT_EQ(field(r.decoded, kObject)->length, 12u);  // the group covers the padding
}

TEST(CopsMalformed, ExtraBytesInFixedObjectAreAViolation) {
  auto r = decode(Msg(kCAT, 1).obj(10, 1, cat({u16(0), u16(30), u32(0xdeadbeef)})).done());
  EXPECT_EQ(uint_of(r.decoded, kKATimerValue), 30u);
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr) << all_problems(r.decoded);
  EXPECT_EQ(v->offset, 16u);
  EXPECT_EQ(v->length, 4u);
}

TEST(CopsMalformed, NonZeroPaddingAndMissingPadding) {
  // Padding bytes that are not zero.
  Buf b = Msg(kOPN, 1).pep_id("ab").done();  // 3-byte PEP-ID + 1 pad
  b[15] = 0x77;
  auto r = decode(b);
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->offset, 15u);
  // No padding at all: the next object follows right after the PEP-ID.
  Buf unpadded = Msg(kOPN, 1).raw(cat({u16(7), {11, 1}, text("ab"), {0}})).ka_timer(1).done();
  // (KA timer is not allowed in OPN, but it shows the walk continues aligned to the real object)
  r = decode(unpadded);
  EXPECT_EQ(text_of(r.decoded, kPepIdValue), "ab");
  EXPECT_EQ(uint_of(r.decoded, kKATimerValue), 1u);
  EXPECT_EQ(field(r.decoded, kObject, 1)->offset, 15u);
  EXPECT_NE(all_problems(r.decoded).find("not padded"), std::string::npos) << all_problems(r.decoded);
}

TEST(CopsMalformed, ZeroObjectLength) {
  Buf b = Msg(kREQ, 1).handle(1).raw(cat({u16(0), {2, 1}, u32(8)})).done();
  auto r = decode(b);
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 16u);
  EXPECT_NE(m->text.find("length 0"), std::string::npos);
  EXPECT_NE(field(r.decoded, kHandleValue), nullptr);  // decoded so far
  EXPECT_EQ(r.message.objects.size(), 2u);
}

TEST(CopsMalformed, ObjectLengthBelowHeader) {
  auto r = decode(Msg(kREQ, 1).raw(cat({u16(3), {1, 1}, u32(1)})).done());
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 8u);
  EXPECT_NE(m->text.find("below the 4-byte object header"), std::string::npos);
}

TEST(CopsMalformed, ObjectLengthPastTheMessage) {
  Buf b = Msg(kREQ, 1).handle(0x1234).raw(cat({u16(200), {2, 1}, u16(8), u16(0)})).done();
  auto r = decode(b);
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 16u);
  EXPECT_NE(m->text.find("runs past the end"), std::string::npos);
  EXPECT_EQ(uint_of(r.decoded, kContextRType), 8u);  // decoded with what is there
  EXPECT_EQ(field(r.decoded, kObject, 1)->length, 8u);
}

TEST(CopsMalformed, TrailingBytesTooShortForAnObject) {
  auto r = decode(Msg(kKA, 0).raw({0, 0}).done());
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 8u);
  EXPECT_EQ(m->length, 2u);
}

// Every prefix of every valid message decodes without crashing and says what is wrong.
TEST(CopsMalformed, EveryPrefixOfValidMessages) {
  std::vector<Buf> msgs = {
      Msg(kREQ, 2)
          .handle(1)
          .context(8)
          .obj(9, 2, cat({pr_obj(1, 1, ber_oid({0x2b, 6, 1, 2, 1})), pr_obj(3, 1, {0x02, 1, 5, 0x04, 2, 'h', 'i'})}))
          .done(),
      Msg(kDEC, 1, 1).handle(1).context(1).decision(1).obj(6, 4, Buf{1, 2, 3}).done(),
      Msg(kRPT, 1, 1).handle(1).report(1).done(),
      Msg(kDRQ, 1).handle(1).reason(5).done(),
      Msg(kSSQ, 1).handle(1).done(),
      Msg(kOPN, 0).pep_id("pep1").integrity_tls().done(),
      Msg(kCAT, 0).ka_timer(30).obj(15, 1, cat({u16(0), u16(5)})).integrity_tls().done(),
      Msg(kCC, 1).error(12).obj(13, 1, cat({{1, 2, 3, 4}, u16(0), u16(3288)})).done(),
      Msg(kKA, 0).obj(16, 1, cat({u32(1), u32(2), Buf(16, 9)})).done(),
      Msg(kSSC, 1).handle(1).done(),
  };
  for (const Buf& full : msgs) {
    auto whole = decode(full);
    ASSERT_TRUE(whole.decoded.problems.empty()) << whole.decoded.summary << "\n" << all_problems(whole.decoded);
    for (size_t n = 0; n < full.size(); ++n) {
      Buf prefix(full.begin(), full.begin() + n);
      auto r = decode(prefix);
      EXPECT_GE(problems(r.decoded, ProblemKind::Malformed), 1) << whole.decoded.summary << " prefix " << n << "\n"
                                                                << all_problems(r.decoded);
      EXPECT_FALSE(r.decoded.summary.empty());
      for (const auto& f : r.decoded.fields) EXPECT_LE(f.offset + f.length, n);
    }
  }
}

// Each object's length field rewritten to every value: never a crash, fields stay in bounds.
TEST(CopsMalformed, EveryObjectLengthValue) {
  Buf base = Msg(kREQ, 2).handle(1).context(8).obj(9, 2, pr_obj(1, 1, ber_oid({0x2b, 6, 1}))).done();
  for (size_t at : {8u, 16u, 24u, 28u}) {
    for (unsigned v = 0; v < 64; ++v) {
      Buf b = base;
      b[at] = 0;
      b[at + 1] = uint8_t(v);
      auto r = decode(b);
      for (const auto& f : r.decoded.fields) EXPECT_LE(f.offset + f.length, b.size());
      // Below the header or beyond the padding can never be right (within the
      // padding, 13..16 say the same thing for the ClientSI).
      if (v < 4 || v > base[at + 1] + 3u) {
        EXPECT_FALSE(r.decoded.problems.empty()) << "offset " << at << " value " << v;
      }
    }
  }
}
