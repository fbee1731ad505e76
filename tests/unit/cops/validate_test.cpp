// RFC 2748 section 3: mandatory objects and their order per message type.
#include "cops/names.hpp"
#include "cops_test_util.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;

namespace {
int violations(const Buf& b) { return problems(decode(b).decoded, ProblemKind::Violation); }
std::string texts(const Buf& b) { return all_problems(decode(b).decoded); }
}  // namespace

TEST(CopsValidate, ValidMessagesAreQuiet) {
  EXPECT_EQ(violations(Msg(kREQ, 1)
                           .handle(1)
                           .context(1)
                           .obj(3, 1, cat({u32(1), u32(1)}))
                           .obj(4, 1, cat({u32(1), u32(1)}))
                           .obj(9, 1, u32(1))
                           .obj(9, 1, u32(2))
                           .context(1)
                           .obj(7, 1, u32(0))
                           .obj(16, 1, cat({u32(1), u32(1), u32(1)}))
                           .done()),
            0);
  EXPECT_EQ(violations(Msg(kDEC, 1).handle(1).context(1).decision(1).context(2).decision(2).done()), 0);
  EXPECT_EQ(violations(Msg(kDEC, 1).handle(1).error(2).done()), 0);
  EXPECT_EQ(violations(Msg(kOPN, 1).pep_id("p").obj(9, 1, u32(0)).obj(14, 1, cat({u32(1), u32(1)})).done()), 0);
  EXPECT_EQ(violations(Msg(kSSQ, 1).done()), 0);
}

TEST(CopsValidate, DecWithoutContextOrDecision) {
  auto r = decode(Msg(kDEC, 1).handle(1).done());
  ASSERT_NE(problem(r.decoded, ProblemKind::Violation), nullptr);
  EXPECT_EQ(problem(r.decoded, ProblemKind::Violation)->offset, 16u);  // after the Handle
  std::string t = texts(Msg(kDEC, 1).handle(1).done());
  EXPECT_NE(t.find("DEC without a mandatory Context + Decision (or Error) object (RFC 2748 3.2)"), std::string::npos)
      << t;
  t = texts(Msg(kDEC, 1).handle(1).context(1).done());
  EXPECT_NE(t.find("Decision: Flags"), std::string::npos) << t;
  t = texts(Msg(kDEC, 1).handle(1).decision(1).done());
  EXPECT_NE(t.find("without a mandatory Context"), std::string::npos) << t;
  EXPECT_EQ(violations(Msg(kDEC, 1).context(1).decision(1).done()), 1);  // no handle
}

TEST(CopsValidate, OpnWithoutPepId) {
  auto r = decode(Msg(kOPN, 1).obj(9, 1, u32(0)).done());
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->text, "OPN without a mandatory PEP Identification object (RFC 2748 3.6)");
  EXPECT_EQ(v->offset, 8u);
}

TEST(CopsValidate, MandatoryObjectsOfEachType) {
  EXPECT_EQ(violations(Msg(kREQ, 1).handle(1).done()), 1);  // no Context
  EXPECT_EQ(violations(Msg(kRPT, 1).handle(1).done()), 1);  // no Report-Type
  EXPECT_EQ(violations(Msg(kDRQ, 1).handle(1).done()), 1);  // no Reason
  EXPECT_EQ(violations(Msg(kCAT, 1).done()), 1);            // no KA timer
  EXPECT_EQ(violations(Msg(kCC, 1).done()), 1);             // no Error
}

TEST(CopsValidate, ObjectsNotAllowedOrOutOfOrder) {
  std::string t = texts(Msg(kKA, 0).handle(1).done());
  EXPECT_NE(t.find("Handle object is not allowed in KA"), std::string::npos) << t;
  t = texts(Msg(kREQ, 1).context(1).handle(1).done());
  EXPECT_NE(t.find("out of order"), std::string::npos) << t;
  // Integrity must be last.
  t = texts(Msg(kCAT, 1).obj(16, 1, cat({u32(1), u32(1), u32(1)})).ka_timer(3).done());
  EXPECT_NE(t.find("Keep-Alive Timer out of order"), std::string::npos) << t;
  // Two PEP-IDs.
  t = texts(Msg(kOPN, 1).pep_id("a").pep_id("b").done());
  EXPECT_NE(t.find("repeated"), std::string::npos) << t;
}

TEST(CopsValidate, KaMustUseClientTypeZero) {
  auto r = decode(Msg(kKA, 5).done());
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->offset, 2u);
}

// Found by fuzzing: a Decision data object without its Flags once stalled the walk.
TEST(CopsValidate, StrayDecisionDataTerminates) {
  std::string t = texts(Msg(kDEC, 2).handle(1).obj(6, 5, u32(0)).done());
  EXPECT_NE(t.find("DEC without a mandatory Context + Decision (or Error) object"), std::string::npos) << t;
  EXPECT_NE(t.find("Decision: Named Data out of order or repeated in DEC"), std::string::npos) << t;
}

TEST(CopsValidate, ClientTypeZeroOnlyForSecurityNegotiationAndKa) {
  auto r = decode(Msg(kREQ, 0).handle(1).context(1).done());
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->offset, 2u);
  EXPECT_NE(v->text.find("client-type 0"), std::string::npos);
  EXPECT_EQ(violations(Msg(kOPN, 0).pep_id("p").integrity_tls().done()), 0);
  EXPECT_EQ(violations(Msg(kCAT, 0).ka_timer(0).integrity_tls().done()), 0);
}
