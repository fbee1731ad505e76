// COPS-PR (RFC 3084): S-Num/S-Type objects with BER decoding, and the
// client-specific decoder registry.
#include "cops/ber.hpp"
#include "cops/client_specific.hpp"
#include "cops/names.hpp"
#include "cops_test_util.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;

namespace {
// 1.3.6.1.2.1.2.2.1.5 and 1.3.6.1.4.1.12345.7 (12345 takes two base-128 octets).
const Buf kOidIf = {0x2b, 6, 1, 2, 1, 2, 2, 1, 5};
const Buf kOidEnt = {0x2b, 6, 1, 4, 1, 0xe0, 0x39, 7};
const Buf kEpd = cat({{0x02, 1, 5},                 // INTEGER 5
                      {0x02, 1, 0xfe},              // INTEGER -2
                      {0x04, 3, 'a', 'b', 'c'},     // OCTET STRING "abc"
                      {0x42, 2, 0x01, 0x2c},        // Unsigned32 300
                      {0x40, 4, 10, 0, 0, 1},       // IpAddress 10.0.0.1
                      {0x46, 5, 0x01, 0, 0, 0, 0},  // Counter64 2^32
                      {0x06, 3, 0x2b, 6, 1},        // OID 1.3.6.1
                      {0x05, 0}});                  // NULL
}  // namespace

TEST(CopsBer, OidText) {
  uint64_t last = 0;
  EXPECT_EQ(*ber::oid_text(view(kOidIf), &last), "1.3.6.1.2.1.2.2.1.5");
  EXPECT_EQ(last, 5u);
  EXPECT_EQ(*ber::oid_text(view(kOidEnt), &last), "1.3.6.1.4.1.12345.7");
  EXPECT_EQ(*ber::oid_text(view(Buf{0x88, 0x37, 3})), "2.999.3");  // X.690 example arc
  EXPECT_FALSE(ber::oid_text(view(Buf{})));
  EXPECT_FALSE(ber::oid_text(view(Buf{0x2b, 0x86})));  // last sub-identifier unfinished
  EXPECT_FALSE(ber::oid_text(view(Buf(12, 0xff))));    // arc beyond 64 bits
  EXPECT_EQ(*ber::integer(view(Buf{0xff, 0x38})), -200);
  EXPECT_EQ(*ber::unsigned_value(view(Buf{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})), UINT64_MAX);
}

TEST(CopsBer, TlvLengthForms) {
  ber::Tlv t;
  Buf longform = cat({{0x04, 0x81, 0x80}, Buf(0x80, 'x')});
  ASSERT_EQ(ber::read(view(longform), 0, longform.size(), t), ber::Status::Ok);
  EXPECT_EQ(t.value_offset, 3u);
  EXPECT_EQ(t.value_length, 0x80u);
  EXPECT_EQ(ber::read(view(Buf{0x04, 0x80}), 0, 2, t), ber::Status::Indefinite);
  EXPECT_EQ(ber::read(view(Buf{0x04, 0x85, 1, 1, 1, 1, 1}), 0, 7, t), ber::Status::TooLong);
  EXPECT_EQ(ber::read(view(Buf{0x04, 0x84, 0xff, 0xff, 0xff, 0xff}), 0, 6, t),
            ber::Status::Truncated);  // 4 GiB claimed, never allocated
}

TEST(CopsPr, RequestWithNamedClientSiPridAndEpd) {
  Buf clientsi = cat({pr_obj(1, 1, ber_oid(kOidIf)), pr_obj(3, 1, kEpd)});
  Buf b = Msg(kREQ, kClientTypeDiffServ).handle(1).context(8).obj(9, 2, clientsi).done();
  auto r = decode(b);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(field(d, kClientSiNamed), nullptr);  // decoded, not raw
  EXPECT_EQ(count(d, kPrObject), 2);
  EXPECT_EQ(field(d, kPrObject, 0)->text(), "Complete PRID");
  EXPECT_EQ(uint_of(d, kPrSNum, 0), 1u);
  EXPECT_EQ(uint_of(d, kPrSType, 0), 1u);
  EXPECT_EQ(uint_of(d, kPrLength, 0), 15u);
  EXPECT_EQ(text_of(d, kPrPrid), "1.3.6.1.2.1.2.2.1.5");
  EXPECT_EQ(uint_of(d, kPrPridInstance), 5u);
  // PRID at 12+8+4 (handle, context, ClientSI header) + 4 (PR header).
  EXPECT_EQ(field(d, kPrPrid)->offset, 32u);
  EXPECT_EQ(count(d, kObjectPadding), 2);  // the PRID's padding byte, the ClientSI's
  EXPECT_EQ(field(d, kPrObject, 0)->depth, field(d, kObject, 2)->depth + 1);
  // EPD attributes, typed.
  EXPECT_EQ(count(d, kPrEpdType), 8);
  EXPECT_EQ(uint_of(d, kPrEpdInteger, 0), 5u);
  EXPECT_EQ(static_cast<int32_t>(uint_of(d, kPrEpdInteger, 1)), -2);
  EXPECT_EQ(text_of(d, kPrEpdText), "abc");
  EXPECT_EQ(field(d, kPrEpdOctets)->length, 3u);
  EXPECT_EQ(uint_of(d, kPrEpdUnsigned), 300u);
  EXPECT_EQ(uint_of(d, kPrEpdIpAddress), 0x0a000001u);
  EXPECT_EQ(uint_of(d, kPrEpdUnsigned64), 0x100000000u);
  EXPECT_EQ(text_of(d, kPrEpdOid), "1.3.6.1");
  EXPECT_NE(field(d, kPrEpdNull), nullptr);
  EXPECT_EQ(uint_of(d, kPrEpdType, 3), 0x42u);
  EXPECT_STREQ(name_of(ber_type_names(), 0x42), "Unsigned32");
}

TEST(CopsPr, DecisionInstallAndRemoveWithPrefixPrid) {
  Buf install = cat({pr_obj(1, 1, ber_oid(kOidEnt)), pr_obj(3, 1, Buf{0x02, 1, 1})});
  Buf remove = cat({pr_obj(2, 1, ber_oid({0x2b, 6, 1, 4}))});
  Buf b = Msg(kDEC, kClientType3gppGo, 1)
              .handle(1)
              .context(8)
              .decision(1)
              .obj(6, 5, install)
              .context(8)
              .decision(2)
              .obj(6, 5, remove)
              .done();
  auto r = decode(b, quartet::Direction::ToClient);
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(text_of(d, kPrPrid), "1.3.6.1.4.1.12345.7");
  EXPECT_EQ(uint_of(d, kPrPridInstance), 7u);
  EXPECT_EQ(text_of(d, kPrPrefixPrid), "1.3.6.1.4");
  EXPECT_EQ(d.summary, "DEC Install,Remove handle=0x00000001");
}

TEST(CopsPr, ReportWithGperrCperrErrorPrid) {
  Buf clientsi = cat(
      {pr_obj(4, 1, cat({u16(8), u16(0)})), pr_obj(6, 1, ber_oid(kOidIf)), pr_obj(5, 1, cat({u16(3), u16(0x0007)}))});
  auto r = decode(Msg(kRPT, kClientTypePxPib, 1).handle(1).report(2).obj(9, 2, clientsi).done());
  const Decoded& d = r.decoded;
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
  EXPECT_EQ(uint_of(d, kPrGperrCode), 8u);
  EXPECT_STREQ(name_of(gperr_names(), 8), "invalidObjectPad");
  EXPECT_EQ(text_of(d, kPrErrorPrid), "1.3.6.1.2.1.2.2.1.5");
  EXPECT_EQ(uint_of(d, kPrErrorPridInstance), 5u);
  EXPECT_EQ(uint_of(d, kPrCperrCode), 3u);
  EXPECT_EQ(uint_of(d, kPrCperrSubcode), 7u);
  EXPECT_STREQ(name_of(cperr_names(), 3), "attrValueInvalid");
  EXPECT_STREQ(name_of(cperr_names(), 13), "priSpecificError");
  EXPECT_STREQ(name_of(gperr_names(), 11), "malformedDecision");
  EXPECT_EQ(r.decoded.summary, "RPT Failure handle=0x00000001");
}

TEST(CopsPr, RegistryAndFallback) {
  EXPECT_STREQ(registered_client_decoder(kClientTypeDiffServ)->name, "COPS-PR");
  EXPECT_STREQ(registered_client_decoder(kClientType3gppGo)->name, "COPS-PR");
  EXPECT_STREQ(registered_client_decoder(kClientTypePcmm)->name, "PacketCable Multimedia");
  EXPECT_STREQ(registered_client_decoder(kClientTypePacketCable)->name, "PacketCable DQoS");
  Buf clientsi = cat({pr_obj(1, 1, ber_oid(kOidIf))});
  // A private client-type carrying well-formed COPS-PR is recognised.
  auto r = decode(Msg(kREQ, 0x4001).handle(1).context(8).obj(9, 2, clientsi).done());
  EXPECT_EQ(text_of(r.decoded, kPrPrid), "1.3.6.1.2.1.2.2.1.5");
  // Anything else under such a client-type stays raw.
  r = decode(Msg(kREQ, 0x4001).handle(1).context(8).obj(9, 2, Buf{1, 2, 3, 4, 5, 6}).done());
  EXPECT_EQ(field(r.decoded, kPrObject), nullptr);
  EXPECT_EQ(field(r.decoded, kClientSiNamed)->length, 6u);
  EXPECT_TRUE(r.decoded.problems.empty()) << all_problems(r.decoded);
  // Signaled ClientSI is never COPS-PR.
  r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 1, clientsi).done());
  EXPECT_EQ(field(r.decoded, kPrObject), nullptr);
}

TEST(CopsPr, ProblemsInsideCopsPr) {
  // Unknown S-Num, XML S-Type, broken OID, lying S-Length.
  auto r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 2, pr_obj(9, 1, u32(0))).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1) << all_problems(r.decoded);
  r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 2, pr_obj(1, 2, text("<x/>"))).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 1) << all_problems(r.decoded);
  EXPECT_EQ(field(r.decoded, kPrData)->length, 4u);
  r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 2, pr_obj(1, 1, ber_oid({0x2b, 0x86}))).done());
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 34u);  // the OID value
  Buf lying = cat({u16(40), {1, 1}, ber_oid(kOidIf), {0}});
  r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 2, lying).done());
  m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr) << all_problems(r.decoded);
  EXPECT_EQ(m->offset, 28u);                                      // the S-Length
  EXPECT_EQ(text_of(r.decoded, kPrPrid), "1.3.6.1.2.1.2.2.1.5");  // decoded so far
}

TEST(CopsPr, SLengthCountingPaddingIsADeviation) {
  Buf prid = cat({u16(16), {1, 1}, ber_oid(kOidIf), {0}});  // 15 real bytes + 1 pad counted
  auto r = decode(Msg(kREQ, 2).handle(1).context(8).obj(9, 2, cat({prid, pr_obj(3, 1, {0x05, 0})})).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Deviation), 1) << all_problems(r.decoded);
  EXPECT_EQ(problem(r.decoded, ProblemKind::Deviation)->offset, 43u);
  EXPECT_EQ(problems(r.decoded, ProblemKind::Malformed), 0);
  EXPECT_NE(field(r.decoded, kPrEpdNull), nullptr);
}
