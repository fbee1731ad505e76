// PacketCable S-objects decoded from byte-exact vectors built from the
// specification's layouts (PKT-SP-MM-I05 6.4.2 for PCMM, the DQoS sheet).
#include "cops/packetcable/names.hpp"
#include "pktc_test_util.hpp"

using namespace pktc_test;
using namespace quartet::cops::packetcable;

namespace {

TEST(PcmmDecode, GateSetWithServiceClassName) {
  Buf data =
      cat({tid(36563, 4), amid(1, 0x4d2), sub4(10, 32, 110, 180), gate_spec(), scn(7, "extrm_up"), classifier()});
  auto r = decode(dec(kPcmm, data));
  EXPECT_EQ(r.decoded.summary, "DEC Gate-Set trans=36563 sub=10.32.110.180 SCN=extrm_up");
  EXPECT_EQ(uint_of(r.decoded, kPcmmTransId), 36563u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmCmd), 4u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidAppType), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmAmidTag), 0x4d2u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmSubscriberIpv4), 0x0a206eb4u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsFlags), 3u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsDirection), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsDscpEnable), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsDscpTos), 0xb8u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsDscpTosMask), 0xfcu);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsPriority), 5u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsPreemption), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsConfigurable), 0u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsT1), 200u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsT3), 300u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGsT4), 60u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpEnvelope), 7u);
  EXPECT_EQ(text_of(r.decoded, kPcmmTpScn), "extrm_up");
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsProtocol), 17u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsDstIpv4), 0xc000020au);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsDstPort), 5060u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsPriority), 64u);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
  ASSERT_TRUE(r.message.gate);
  EXPECT_EQ(r.message.gate->envelope, 7);
}

TEST(PcmmDecode, ByteExactGateSetAckFromTheSpecLayout) {
  // RPT, solicited; ClientSI 9/1 with TransactionID(17, Gate-Set-Ack) AMID(0, 7)
  // SubscriberID 192.0.2.1 GateID 0x7f6e0105, written out by hand.
  const Buf pdu = {
      0x11, 0x03, 0x80, 0x0a, 0x00, 0x00, 0x00, 0x3c,  // header: v1 solicited RPT PCMM len 60
      0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x10, 0x01,  // Handle
      0x00, 0x08, 0x0c, 0x01, 0x00, 0x01, 0x00, 0x00,  // Report-Type Success
      0x00, 0x24, 0x09, 0x01,                          // ClientSI, length 36
      0x00, 0x08, 0x01, 0x01, 0x00, 0x11, 0x00, 0x05,  // TransactionID 17 / 5
      0x00, 0x08, 0x02, 0x01, 0x00, 0x00, 0x00, 0x07,  // AMID 0 / 7
      0x00, 0x08, 0x03, 0x01, 0xc0, 0x00, 0x02, 0x01,  // SubscriberID
      0x00, 0x08, 0x04, 0x01, 0x7f, 0x6e, 0x01, 0x05,  // GateID
  };
  auto r = decode(pdu, quartet::Direction::ToClient);
  EXPECT_EQ(r.decoded.summary, "RPT Gate-Set-Ack trans=17 gate=0x7f6e0105 sub=192.0.2.1");
  EXPECT_EQ(uint_of(r.decoded, kPcmmGateId), 0x7f6e0105u);
  EXPECT_EQ(count(r.decoded, kPcmmObject), 4);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
}

TEST(PcmmDecode, BestEffortI05ThreeSets) {
  Buf set = cat({{1, 0, 0, 0},
                 u32(0x1ff),
                 u32(1000000),
                 u32(3044),
                 u32(64000),
                 u16(100),
                 u16(1522),
                 u32(0x10),
                 u32(0x20),
                 u32(0x1)});
  ASSERT_EQ(set.size(), 36u);
  Buf tp = sobj(7, 3, cat({{7, 0, 0, 0}, set, set, set}));
  ASSERT_EQ(tp.size(), 116u);
  auto r = decode(dec(kPcmm, cat({tid(3, 4), amid(1, 1), sub4(1, 2, 3, 4), gate_spec(), tp, classifier()})));
  EXPECT_EQ(text_of(r.decoded, kPcmmTpLayout), "I05");
  EXPECT_EQ(count(r.decoded, kPcmmTpSet), 3);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpMaxSustainedRate, 2), 1000000u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpMaxConcatBurst), 1522u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpAttrAggregation), 1u);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
}

TEST(PcmmDecode, BestEffortLength80WithThreeEnvelopesIsI03) {
  Buf set = cat({{1, 0, 0, 0}, u32(0), u32(500000), u32(3044), u32(0), u16(100), u16(0)});
  ASSERT_EQ(set.size(), 24u);
  Buf tp = sobj(7, 3, cat({{7, 0, 0, 0}, set, set, set}));
  ASSERT_EQ(tp.size(), 80u);  // also I05 with two 36-byte sets, which cannot serve 3 envelopes
  auto r = decode(dec(kPcmm, cat({tid(3, 4), amid(1, 1), sub4(1, 2, 3, 4), gate_spec(), tp, classifier()})));
  EXPECT_EQ(text_of(r.decoded, kPcmmTpLayout), "I03");
  EXPECT_EQ(count(r.decoded, kPcmmTpSet), 3);
  EXPECT_EQ(count(r.decoded, kPcmmTpMaxConcatBurst), 0);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpMaxSustainedRate, 2), 500000u);
}

TEST(PcmmDecode, UgsI04TwoSetsAndFlowSpecFloats) {
  Buf ugs_set = cat({u32(0x17f), u16(232), {1, 0}, u32(20000), u32(800), u32(2), u32(4)});
  ASSERT_EQ(ugs_set.size(), 24u);
  Buf ugs = sobj(7, 6, cat({{3, 0, 0, 0}, ugs_set, ugs_set}));
  auto r = decode(dec(kPcmm, cat({tid(5, 4), amid(1, 1), sub4(1, 2, 3, 4), gate_spec(), ugs, classifier()})));
  EXPECT_EQ(text_of(r.decoded, kPcmmTpLayout), "I04");
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpGrantSize, 1), 232u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpGrantsPerInterval), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTpNominalGrant), 20000u);

  // Flow Spec: r = 12000.0f (0x463b8000), b = 1500.0f, p = 25000.5f, m, M, R, S.
  Buf fs = sobj(7, 1,
                cat({{1, 2, 0, 0},
                     u32(0x463b8000),
                     u32(0x44bb8000),
                     u32(0x46c35100),
                     u32(64),
                     u32(1500),
                     u32(0x463b8000),
                     u32(800)}));
  auto f = decode(dec(kPcmm, cat({tid(6, 4), amid(1, 1), sub4(1, 2, 3, 4), gate_spec(), fs, classifier()})));
  EXPECT_EQ(uint_of(f.decoded, kPcmmTpServiceNumber), 2u);
  EXPECT_EQ(text_of(f.decoded, kPcmmTpTokenRate), "12000");
  EXPECT_EQ(text_of(f.decoded, kPcmmTpTokenSize), "1500");
  EXPECT_EQ(text_of(f.decoded, kPcmmTpPeakRate), "25000.5");
  EXPECT_EQ(uint_of(f.decoded, kPcmmTpSlackTerm), 800u);
}

TEST(PcmmDecode, ExtendedAndIpv6ClassifiersAndIpv6Subscriber) {
  Buf ext = sobj(6, 2,
                 cat({u16(6),
                      {0, 0},
                      {192, 0, 2, 0},
                      {255, 255, 255, 0},
                      {10, 0, 0, 1},
                      {255, 255, 255, 255},
                      u16(1024),
                      u16(2047),
                      u16(80),
                      u16(80),
                      u16(7),
                      {100, 1, 0},
                      {0, 0, 0}}));
  ASSERT_EQ(ext.size(), 40u);
  Buf v6a = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
  Buf v6b = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0x01, 0x10, 0, 0, 0, 0, 0, 0, 0, 0xb4};
  Buf v6 = sobj(6, 3,
                cat({{0x01, 0x20, 0x28, 0xfc},
                     u32(0x00012345),
                     u16(257),
                     {128, 64},
                     v6a,
                     v6b,
                     u16(0),
                     u16(65535),
                     u16(5004),
                     u16(5005),
                     u16(3),
                     {64, 1, 3},
                     {0, 0, 0}}));
  ASSERT_EQ(v6.size(), 64u);
  auto r = decode(dec(kPcmm, cat({tid(8, 4), amid(1, 1), sobj(3, 2, v6b), gate_spec(), scn(1, "be"), ext, v6})));
  EXPECT_EQ(r.decoded.summary, "DEC Gate-Set trans=8 sub=2001:db8:0:110::b4 SCN=be");
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsSrcMask), 0xffffff00u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsSrcPortEnd), 2047u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsId), 7u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsActivation), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsFlowLabelEnable), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsFlowLabel), 0x12345u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsNextHeader), 257u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsDstPrefixLen), 64u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmClsAction, 1), 3u);
  EXPECT_NE(field(r.decoded, kPcmmClsSrcIpv6), nullptr);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
}

TEST(PcmmDecode, ErrorNamesTheMissingObject) {
  auto r = decode(rpt(kPcmm, cat({tid(17, 6), amid(1, 1), sub4(1, 2, 3, 4), error(6, 0x0600)}), 2),
                  quartet::Direction::ToClient);
  EXPECT_EQ(r.decoded.summary, "RPT Gate-Set-Err trans=17 sub=1.2.3.4: Missing Required Object (6)");
  EXPECT_EQ(uint_of(r.decoded, kPcmmErrorSubcodeSNum), 6u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmErrorSubcodeSType), 0u);
  auto e =
      decode(rpt(kPcmm, cat({tid(17, 6), amid(1, 1), sub4(1, 2, 3, 4), error(1, 0)}), 2), quartet::Direction::ToClient);
  EXPECT_EQ(e.decoded.summary, "RPT Gate-Set-Err trans=17 sub=1.2.3.4: Insufficient Resources (1)");
  // The error answer is the problem copsx.pktc.error_reply, a note by its kind.
  bool error_reply = false;
  for (const auto& p : e.decoded.problems)
    if (p.id == "copsx.pktc.error_reply") {
      error_reply = true;
      EXPECT_EQ(p.kind, quartet::ProblemKind::ErrorReply);
      EXPECT_EQ(quartet::severity_of(p.kind), quartet::Severity::Note);
    }
  EXPECT_TRUE(error_reply) << all_problems(e.decoded);
  // Codes 20-23 follow the specification, not the built-in dissector's older numbering.
  EXPECT_STREQ(quartet::name_of(pcmm_error_names(), 20), "DOCSIS 1.0 CM");
  EXPECT_STREQ(quartet::name_of(pcmm_error_names(), 23), "Unauthorized PSID");
}

TEST(PcmmDecode, ReportStateEventInfoUsageAndTheSmallObjects) {
  Buf bcid = cat({u32(0x5e0a1b2c), text("CMTS0007"), text("+0100000"), u32(42)});
  Buf egi = sobj(8, 1, cat({{10, 0, 0, 50}, u16(1813), u16(0), {10, 0, 0, 51}, u16(1814), u16(0), bcid}));
  ASSERT_EQ(egi.size(), 44u);
  Buf data = cat({tid(0, 15), amid(1, 1), sub4(1, 2, 3, 4), gate_id(0x106), sobj(15, 1, cat({u16(1), u16(3)})),
                  sobj(12, 1, u32(95)), sobj(13, 1, cat({u32(0), u32(20480)})), egi,
                  sobj(9, 1, cat({u32(0), u32(1048576)})), sobj(10, 1, u32(3600)), sobj(11, 1, text("AMdata01")),
                  sobj(16, 1, cat({u16(4), u16(0)})), sobj(17, 1, u32(0x1234)), sobj(18, 1, {0, 0, 1, 1}),
                  sobj(19, 1, u32(0xc0ffee01)), sobj(21, 1, cat({text("bob"), {0}})), sobj(22, 1, u32(0xabc))});
  auto r = decode(rpt(kPcmm, data, 3, 0), quartet::Direction::ToClient);
  EXPECT_EQ(r.decoded.summary, "RPT Gate-Report-State trans=0 gate=0x00000106 sub=1.2.3.4 state=Idle/Closed");
  EXPECT_EQ(uint_of(r.decoded, kPcmmGateStateReason), 3u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGateTime), 95u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmGateUsage), 20480u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmEgiSecondaryPort), 1814u);
  EXPECT_EQ(text_of(r.decoded, kPktcBcidElementId), "CMTS0007");
  EXPECT_EQ(uint_of(r.decoded, kPktcBcidEventCounter), 42u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmVolumeLimit), 1048576u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmTimeLimit), 3600u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmVersionMajor), 4u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmPsid), 0x1234u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmSynchReportType), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmSynchType), 1u);
  EXPECT_EQ(uint_of(r.decoded, kPcmmMsgReceiptKey), 0xc0ffee01u);
  EXPECT_EQ(text_of(r.decoded, kPcmmUserId), "bob");
  EXPECT_EQ(uint_of(r.decoded, kPcmmSharedResourceId), 0xabcu);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
}

TEST(PcmmDecode, OpnVersionInfo) {
  auto r = decode(Msg(6, kPcmm).pep_id("cmts").obj(9, 1, sobj(16, 1, cat({u16(4), u16(0)}))).done());
  EXPECT_EQ(r.decoded.summary, "OPN pep-id=\"cmts\" client-type=PCMM version=4.0");
}

TEST(DqosDecode, GateSetWithGateSpecRemoteGateAndSurveillance) {
  Buf spec = sobj(5, 1,
                  cat({{1, 17, 0, 1},
                       {10, 1, 2, 3},
                       {192, 0, 2, 20},
                       u16(5004),
                       u16(16384),
                       {0xb8, 0, 0, 0},
                       u16(250),
                       u16(0),
                       u16(200),
                       u16(300),
                       u32(0x463b8000),
                       u32(0x43200000),
                       u32(0x463b8000),
                       u32(80),
                       u32(160),
                       u32(0x463b8000),
                       u32(800)}));
  ASSERT_EQ(spec.size(), 60u);
  Buf key = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  Buf rgi = sobj(6, 1, cat({{192, 0, 2, 99}, u16(2126), u16(0), u32(0x2002), u16(100), {0, 0, 0, 0}, key, {0, 0}}));
  Buf bcid = cat({u32(1), text("CMS00001"), text("+0100000"), u32(7)});
  Buf es = sobj(10, 1, cat({{10, 0, 0, 60}, u16(5555), u16(1), {10, 0, 0, 61}, u16(5556), u16(0), u32(77), bcid}));
  ASSERT_EQ(es.size(), 48u);
  Buf data = cat({sobj(1, 1, cat({u16(2), u16(4)})), sobj(2, 1, {10, 1, 2, 3}), sobj(3, 1, u32(0x1001)),
                  sobj(4, 1, u32(4)), spec, rgi, es});
  auto r = decode(dec(kDqos, data));
  EXPECT_EQ(r.decoded.summary, "DEC Gate-Set trans=2 gate=0x00001001 sub=10.1.2.3");
  EXPECT_EQ(uint_of(r.decoded, kDqosGsDirection), 1u);
  EXPECT_EQ(uint_of(r.decoded, kDqosGsProtocol), 17u);
  EXPECT_EQ(uint_of(r.decoded, kDqosGsSessionClass), 1u);
  EXPECT_EQ(uint_of(r.decoded, kDqosGsDstPort), 16384u);
  EXPECT_EQ(uint_of(r.decoded, kDqosGsT8), 300u);
  EXPECT_EQ(text_of(r.decoded, kDqosGsTokenSize), "160");
  EXPECT_EQ(uint_of(r.decoded, kDqosActivityCount), 4u);
  EXPECT_EQ(uint_of(r.decoded, kDqosRgiGateId), 0x2002u);
  EXPECT_EQ(field(r.decoded, kDqosRgiKey)->length, 16u);
  EXPECT_EQ(uint_of(r.decoded, kDqosEsCccId), 77u);
  EXPECT_EQ(r.decoded.problems.size(), 0u) << all_problems(r.decoded);
}

TEST(DqosDecode, GateCloseReasonAndError) {
  auto r = decode(
      rpt(kDqos, cat({sobj(1, 1, cat({u16(0), u16(14)})), sobj(3, 1, u32(0x1001)), sobj(13, 1, cat({u16(1), u16(5)}))}),
          3, 0),
      quartet::Direction::ToClient);
  EXPECT_EQ(r.decoded.summary, "RPT Gate-Close trans=0 gate=0x00001001 reason=Gate Close Operation");
  auto e = decode(rpt(kDqos, cat({sobj(1, 1, cat({u16(4), u16(6)})), sobj(9, 1, cat({u16(1), u16(0)}))}), 2),
                  quartet::Direction::ToClient);
  EXPECT_EQ(e.decoded.summary, "RPT Gate-Set-Err trans=4: No gates currently available (1)");
}

}  // namespace
