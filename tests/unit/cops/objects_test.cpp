// Every object of the IANA registry by C-Num/C-Type (RFC 2748 2.2, RFC 4261 3).
#include "cops/names.hpp"
#include "cops_test_util.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;

namespace {
const Buf kV6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
}

TEST(CopsObjects, RequestWithHandleContextInterfaces) {
  Buf b = Msg(kREQ, 1)
              .obj(1, 1, u32(0x00000001))
              .context(0x0001 | 0x0004, 0x0102)
              .obj(3, 1, cat({{192, 0, 2, 1}, u32(7)}))
              .obj(4, 2, cat({kV6, u32(9)}))
              .done();
  auto r = decode(b);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(count(d, kObject), 4);
  const quartet::Field* h = field(d, kHandleValue);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->offset, 12u);
  EXPECT_EQ(h->length, 4u);
  EXPECT_EQ(uint_of(d, kContextRType), 0x5u);
  EXPECT_EQ(uint_of(d, kContextRTypeIncoming), 1u);
  EXPECT_EQ(uint_of(d, kContextRTypeAllocation), 0u);
  EXPECT_EQ(uint_of(d, kContextRTypeOutgoing), 1u);
  EXPECT_EQ(uint_of(d, kContextRTypeConfig), 0u);
  EXPECT_EQ(uint_of(d, kContextMType), 0x0102u);
  EXPECT_EQ(uint_of(d, kInIfIpv4), 0xc0000201u);
  EXPECT_EQ(uint_of(d, kInIfIndex), 7u);
  const quartet::Field* v6 = field(d, kOutIfIpv6);
  ASSERT_NE(v6, nullptr);
  EXPECT_EQ(v6->length, 16u);
  EXPECT_EQ(uint_of(d, kOutIfIndex), 9u);
  EXPECT_EQ(d.summary, "REQ handle=0x00000001 in context Incoming-Message+Outgoing-Message");
  EXPECT_TRUE(d.is_request);
  // Object groups nest their header fields one level deeper.
  const quartet::Field* g = field(d, kObject, 1);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->text(), "Context");
  EXPECT_EQ(g->offset, 16u);
  EXPECT_EQ(g->length, 8u);
  EXPECT_EQ(field(d, kContextRType)->depth, g->depth + 1);
  EXPECT_EQ(uint_of(d, kObjectCNum, 2), 3u);
  EXPECT_EQ(uint_of(d, kObjectCType, 3), 2u);
  EXPECT_EQ(uint_of(d, kObjectLength, 3), 24u);
}

TEST(CopsObjects, ConfigurationRequestSummary) {
  auto r = decode(Msg(kREQ, 2).handle(1).context(8).done());
  EXPECT_EQ(r.decoded.summary, "REQ handle=0x00000001 in context Configuration");
}

TEST(CopsObjects, DecisionFlagsAndData) {
  Buf b = Msg(kDEC, 1, 1)
              .obj(1, 1, u16(0x1001))
              .context(1)
              .decision(1, 0x0003)
              .obj(6, 2, Buf{1, 2, 3, 4})
              .obj(6, 3, Buf{5, 6, 7, 8})
              .obj(6, 4, Buf{9, 10})
              .done();
  auto r = decode(b, quartet::Direction::ToClient);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kDecisionCommand), 1u);
  EXPECT_EQ(uint_of(d, kDecisionFlags), 3u);
  EXPECT_EQ(uint_of(d, kDecisionFlagTriggerError), 1u);
  EXPECT_EQ(uint_of(d, kDecisionFlagRequestState), 1u);
  EXPECT_EQ(field(d, kDecisionStateless)->length, 4u);
  EXPECT_EQ(field(d, kDecisionReplacement)->length, 4u);
  EXPECT_EQ(field(d, kDecisionClientSpecific)->length, 2u);
  EXPECT_EQ(d.summary, "DEC Install handle=0x1001");
  EXPECT_TRUE(d.is_response);
  EXPECT_STREQ(name_of(decision_command_names(), 2), "Remove");
  EXPECT_STREQ(name_of(decision_command_names(), 0), "NULL Decision");
}

TEST(CopsObjects, UnknownDecisionCommandAndFlags) {
  auto r = decode(Msg(kDEC, 1).handle(1).context(1).decision(7, 0x10).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 2) << all_problems(r.decoded);
}

TEST(CopsObjects, LpdpDecisionInRequest) {
  Buf b = Msg(kREQ, 1)
              .handle(2)
              .context(2)
              .obj(9, 1, Buf{0xaa, 0xbb, 0xcc, 0xdd})
              .context(2)
              .obj(7, 1, cat({u16(2), u16(1)}))
              .obj(7, 2, Buf{1, 1, 1, 1})
              .done();
  auto r = decode(b);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kLpdpCommand), 2u);
  EXPECT_EQ(uint_of(d, kLpdpFlagTriggerError), 1u);
  EXPECT_EQ(field(d, kLpdpStateless)->length, 4u);
  EXPECT_EQ(field(d, kClientSiSignaled)->length, 4u);
}

TEST(CopsObjects, ReasonWithUnknownObjectSubcode) {
  auto r = decode(Msg(kDRQ, 1).handle(3).reason(13, 0x2a01).done());
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kReasonCode), 13u);
  EXPECT_EQ(uint_of(d, kReasonSubcode), 0x2a01u);
  EXPECT_EQ(uint_of(d, kReasonSubcodeCNum), 0x2au);
  EXPECT_EQ(uint_of(d, kReasonSubcodeCType), 1u);
  EXPECT_EQ(d.summary, "DRQ handle=0x00000003 reason=Unknown COPS Object from PDP");
  r = decode(Msg(kDRQ, 1).handle(3).reason(5).done());
  EXPECT_EQ(r.decoded.summary, "DRQ handle=0x00000003 reason=Timeout");
  EXPECT_EQ(field(r.decoded, kReasonSubcodeCNum), nullptr);
  r = decode(Msg(kDRQ, 1).handle(3).reason(99).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1);
}

TEST(CopsObjects, ErrorCodesAndSecuritySubcodes) {
  // RFC 4261: CC with Error 15 sub-code 16/2 = Integrity-TLS preferred.
  auto r = decode(Msg(kCC, 0).error(15, 0x1002).done(), quartet::Direction::ToClient);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kErrorCode), 15u);
  EXPECT_EQ(uint_of(d, kErrorSubcode), 0x1002u);
  EXPECT_EQ(uint_of(d, kErrorSubcodeCNum), 16u);
  EXPECT_EQ(uint_of(d, kErrorSubcodeCType), 2u);
  EXPECT_EQ(uint_of(d, kErrorSecurity), 0x1002u);
  EXPECT_STREQ(name_of(security_subcode_names(), 0x1002), "Integrity-TLS supported/preferred");
  EXPECT_STREQ(name_of(security_subcode_names(), 0x1000), "No security");
  EXPECT_EQ(d.summary, "CC client-type=0 error=Authentication Required");
  EXPECT_TRUE(d.is_response);
  // Error 13 names the unknown object; others keep a plain sub-code.
  r = decode(Msg(kCC, 1).error(13, 0x3102).done());
  EXPECT_EQ(uint_of(r.decoded, kErrorSubcodeCNum), 0x31u);
  EXPECT_EQ(field(r.decoded, kErrorSecurity), nullptr);
  r = decode(Msg(kCC, 1).error(15, 0x1002).done());  // no RFC 4261 meaning outside client-type 0
  EXPECT_EQ(field(r.decoded, kErrorSecurity), nullptr);
  r = decode(Msg(kCC, 1).error(11).done());
  EXPECT_EQ(field(r.decoded, kErrorSubcodeCNum), nullptr);
  EXPECT_EQ(r.decoded.summary, "CC client-type=RSVP error=Shutting down");
  for (uint16_t code = 1; code <= 15; ++code) EXPECT_NE(name_of(error_names(), code), nullptr);
  r = decode(Msg(kCC, 1).error(16).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1);
}

TEST(CopsObjects, OpenWithPepIdClientSiLastPdpAndIntegrity) {
  Buf b = Msg(kOPN, 0x8008)
              .pep_id("pep1")
              .obj(9, 1, Buf{0, 8, 4, 1, 0, 0, 0, 4})  // DQoS Activity Count
              .obj(14, 1, cat({{10, 1, 2, 3}, u16(0), u16(3288)}))
              .obj(16, 1, cat({u32(0x11), u32(42), Buf(12, 0xab)}))
              .done();
  auto r = decode(b);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(text_of(d, kPepIdValue), "pep1");
  EXPECT_EQ(field(d, kPepIdValue)->length, 5u);  // with its NUL
  EXPECT_EQ(uint_of(d, kLastPdpIpv4), 0x0a010203u);
  EXPECT_EQ(uint_of(d, kLastPdpPort), 3288u);
  EXPECT_EQ(uint_of(d, kIntegrityKeyId), 0x11u);
  EXPECT_EQ(uint_of(d, kIntegritySequence), 42u);
  EXPECT_EQ(field(d, kIntegrityDigest)->length, 12u);
  EXPECT_EQ(d.summary, "OPN pep-id=\"pep1\" client-type=PacketCable-DQoS");
  EXPECT_TRUE(d.is_request);
}

TEST(CopsObjects, AcceptWithTimers) {
  auto r = decode(Msg(kCAT, 2).ka_timer(30).obj(15, 1, cat({u16(0), u16(60)})).done(), quartet::Direction::ToClient);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kKATimerValue), 30u);
  EXPECT_EQ(uint_of(d, kAcctTimerValue), 60u);
  EXPECT_EQ(field(d, kReserved), nullptr);  // zero reserved fields stay quiet
  EXPECT_EQ(d.summary, "CAT client-type=COPS-PR/DiffServ ka=30s acct=60s");
}

TEST(CopsObjects, CloseWithPdpRedirectV4AndV6) {
  auto r = decode(Msg(kCC, 1).error(12).obj(13, 1, cat({{192, 0, 2, 9}, u16(0), u16(3918)})).done());
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kPdpRedirectIpv4), 0xc0000209u);
  EXPECT_EQ(uint_of(r.decoded, kPdpRedirectPort), 3918u);
  r = decode(Msg(kCC, 1).error(12).obj(13, 2, cat({kV6, u16(0), u16(2126)})).done());
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  EXPECT_EQ(field(r.decoded, kPdpRedirectIpv6)->length, 16u);
  EXPECT_EQ(uint_of(r.decoded, kPdpRedirectPort), 2126u);
  r = decode(Msg(kOPN, 1).pep_id("p").obj(14, 2, cat({kV6, u16(0x55), u16(1)})).done());
  EXPECT_EQ(field(r.decoded, kLastPdpIpv6)->offset, 20u);
  EXPECT_EQ(uint_of(r.decoded, kReserved), 0x55u);  // non-zero reserved is shown
}

TEST(CopsObjects, ReportTypes) {
  auto r = decode(Msg(kRPT, 1, 1).handle(5).report(1).done());
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  EXPECT_EQ(uint_of(r.decoded, kReportTypeValue), 1u);
  EXPECT_EQ(r.decoded.summary, "RPT Success handle=0x00000005");
  EXPECT_TRUE(r.decoded.is_response);  // solicited by the DEC
  r = decode(Msg(kRPT, 1).handle(5).report(3).done());
  EXPECT_EQ(r.decoded.summary, "RPT Accounting handle=0x00000005");
  EXPECT_FALSE(r.decoded.is_response);
  r = decode(Msg(kRPT, 1).handle(5).report(4).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1);
}

TEST(CopsObjects, IntegrityTlsObject) {
  auto r = decode(Msg(kOPN, 0).pep_id("pep").integrity_tls(1).done());
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kIntegrityTlsFlags), 1u);
  EXPECT_EQ(uint_of(d, kIntegrityTlsStartTls), 1u);
  EXPECT_TRUE(r.message.integrity_tls);
  EXPECT_EQ(d.summary, "OPN pep-id=\"pep\" client-type=0 Integrity-TLS");
  EXPECT_EQ(field(d, kObject, 1)->text(), "Integrity-TLS");
  r = decode(Msg(kOPN, 0).pep_id("pep").integrity_tls(0x8001).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1);
}

TEST(CopsObjects, SyncMessages) {
  auto r = decode(Msg(kSSQ, 1).handle(9).done(), quartet::Direction::ToClient);
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  EXPECT_EQ(r.decoded.summary, "SSQ handle=0x00000009");
  EXPECT_TRUE(r.decoded.is_request);
  r = decode(Msg(kSSC, 1).done());
  EXPECT_EQ(r.decoded.summary, "SSC");
  EXPECT_TRUE(r.decoded.is_response);
}

TEST(CopsObjects, UnknownCNumAndCType) {
  auto r = decode(Msg(kREQ, 1).handle(1).context(1).obj(0x30, 1, Buf{1, 2, 3, 4}).done());
  const auto* u = problem(r.decoded, ProblemKind::Unknown);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->offset, 26u);  // the C-Num byte of the third object
  EXPECT_EQ(field(r.decoded, kObjectData)->length, 4u);
  r = decode(Msg(kREQ, 1).handle(1).context(1).obj(3, 9, Buf{1, 2, 3, 4}).done());
  u = problem(r.decoded, ProblemKind::Unknown);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->offset, 27u);  // the C-Type byte
  EXPECT_NE(u->text.find("In-Interface"), std::string::npos);
}

TEST(CopsObjects, ShortFixedObjectIsMalformed) {
  auto r = decode(Msg(kCAT, 1).obj(10, 1, u16(30)).done());
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr) << all_problems(r.decoded);
  EXPECT_EQ(m->offset, 12u);
  EXPECT_EQ(field(r.decoded, kKATimerValue), nullptr);
}

TEST(CopsObjects, PepIdWithoutNul) {
  auto r = decode(Msg(kOPN, 1).obj(11, 1, text("abcd")).done());
  EXPECT_EQ(text_of(r.decoded, kPepIdValue), "abcd");
  EXPECT_EQ(problems(r.decoded, ProblemKind::Violation), 1) << all_problems(r.decoded);
}

// The C-Num/C-Type pairs of the IANA registry, and nothing beyond them.
TEST(CopsObjects, RegistryPairsAllNamed) {
  const std::pair<int, int> registry[] = {{1, 1},  {2, 1},  {3, 1},  {3, 2},  {4, 1},  {4, 2},  {5, 1},  {6, 1},
                                          {6, 2},  {6, 3},  {6, 4},  {6, 5},  {7, 1},  {7, 2},  {7, 3},  {7, 4},
                                          {7, 5},  {8, 1},  {9, 1},  {9, 2},  {10, 1}, {11, 1}, {12, 1}, {13, 1},
                                          {13, 2}, {14, 1}, {14, 2}, {15, 1}, {16, 1}, {16, 2}};
  int named = 0;
  for (int cnum = 0; cnum < 256; ++cnum)
    for (int ctype = 0; ctype < 256; ++ctype) named += object_name(uint8_t(cnum), uint8_t(ctype)) != nullptr;
  EXPECT_EQ(named, int(std::size(registry)));
  for (auto [cnum, ctype] : registry) EXPECT_NE(object_name(uint8_t(cnum), uint8_t(ctype)), nullptr);
  EXPECT_STREQ(object_name(16, 2), "Integrity-TLS");
  EXPECT_STREQ(object_name(6, 5), "Decision: Named Data");
}
