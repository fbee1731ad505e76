// Common header, op-codes, client-types, framer and probe (RFC 2748 2.1).
#include "cops/framer.hpp"
#include "cops/names.hpp"
#include "cops/packetcable/fields.hpp"
#include "cops_test_util.hpp"

using namespace cops_test;
using namespace quartet::cops;
using enum quartet::cops::Field;
using quartet::FrameResult;
using quartet::Probe;

TEST(CopsHeader, DecodesEveryHeaderField) {
  Buf b = Msg(kKA, 0, 1).done();
  auto r = decode(b, quartet::Direction::ToClient);
  const Decoded& d = r.decoded;
  EXPECT_EQ(uint_of(d, kHeaderVersion), 1u);
  EXPECT_EQ(uint_of(d, kHeaderFlags), 1u);
  EXPECT_EQ(uint_of(d, kHeaderSolicited), 1u);
  EXPECT_EQ(uint_of(d, kHeaderOpcode), 9u);
  EXPECT_EQ(uint_of(d, kHeaderClientType), 0u);
  EXPECT_EQ(uint_of(d, kHeaderLength), 8u);
  const quartet::Field* hdr = field(d, kHeader);
  ASSERT_NE(hdr, nullptr);
  EXPECT_EQ(hdr->length, 8u);
  EXPECT_EQ(field(d, kHeaderOpcode)->depth, hdr->depth + 1);
  EXPECT_EQ(field(d, kHeaderLength)->offset, 4u);
  EXPECT_EQ(d.name, "KA");
  EXPECT_EQ(d.summary, "KA");
  EXPECT_TRUE(d.is_response);  // KA from the PDP echoes the PEP's
  EXPECT_TRUE(d.problems.empty()) << all_problems(d);
}

TEST(CopsHeader, AllTenOpCodesHaveNames) {
  const char* abbrevs[] = {"REQ", "DEC", "RPT", "DRQ", "SSQ", "OPN", "CAT", "CC", "KA", "SSC"};
  for (uint8_t op = 1; op <= 10; ++op) {
    auto r = decode(Msg(op, 0).done());
    EXPECT_EQ(r.decoded.name, abbrevs[op - 1]);
    EXPECT_EQ(r.message.opcode, op);
    EXPECT_NE(name_of(opcode_names(), op), nullptr);
    EXPECT_EQ(problems(r.decoded, ProblemKind::Unknown), 0) << all_problems(r.decoded);
  }
}

TEST(CopsHeader, UnknownOpCodeAndVersion) {
  auto r = decode(Msg(11, 0, 0, 2).done());
  EXPECT_EQ(r.decoded.name, "COPS");
  EXPECT_EQ(r.decoded.summary, "COPS op-code 11");
  const auto* u = problem(r.decoded, ProblemKind::Unknown);
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->offset, 1u);
  const auto* v = problem(r.decoded, ProblemKind::Violation);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->offset, 0u);
  EXPECT_NE(v->text.find("version 2"), std::string::npos);
}

TEST(CopsHeader, UndefinedFlagBits) {
  auto r = decode(Msg(kKA, 0, 0x4).done());
  EXPECT_EQ(problems(r.decoded, ProblemKind::Violation), 1) << all_problems(r.decoded);
}

TEST(CopsHeader, ClientTypeNamesAndRanges) {
  EXPECT_NE(std::string(name_of(client_type_names(), 0x8008)).find("PacketCable Dynamic"), std::string::npos);
  EXPECT_NE(std::string(name_of(client_type_names(), 0x800a)).find("PacketCable Multimedia"), std::string::npos);
  EXPECT_NE(std::string(name_of(client_type_names(), 0x8009)).find("3GPP"), std::string::npos);
  EXPECT_NE(std::string(name_of(client_type_names(), 2)).find("DiffServ"), std::string::npos);
  EXPECT_NE(std::string(name_of(client_type_names(), 1)).find("RSVP"), std::string::npos);
  EXPECT_EQ(client_type_label(0x4123), "Private Use");
  EXPECT_EQ(client_type_label(0x9000), "First Come First Served (unregistered)");
  EXPECT_EQ(client_type_label(0x0100), "Unassigned");
  EXPECT_EQ(client_type_short(0x800a), "PCMM");
  EXPECT_EQ(client_type_short(0x4001), "0x4001");
}

TEST(CopsHeader, MessageLengthMismatch) {
  Buf b = Msg(kREQ, 1).handle(1).context(8).done();
  // Declared longer than the bytes given: truncated.
  Buf longer = b;
  longer[7] = uint8_t(b.size() + 8);
  auto r = decode(longer);
  const auto* m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, 4u);
  EXPECT_NE(m->text.find("truncated"), std::string::npos);
  EXPECT_EQ(*r.message.rtype, 8u);  // decoded so far is kept
  // Declared shorter: the extra bytes are reported at the declared end.
  Buf extra = b;
  extra.insert(extra.end(), {0, 0, 0, 0});
  r = decode(extra);
  m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->offset, b.size());
  EXPECT_EQ(m->length, 4u);
  // Below the header size.
  r = decode(Msg(kKA, 0).done(4));
  m = problem(r.decoded, ProblemKind::Malformed);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->text.find("below the 8-byte header"), std::string::npos);
}

TEST(CopsFramer, NeedMoreCompleteInvalid) {
  Buf b = Msg(kOPN, 2).pep_id("pep1").done();
  ASSERT_EQ(b.size(), 20u);
  auto f = frame(view(Buf{}));
  EXPECT_EQ(f.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(f.length, 8u);
  f = frame(view(Buf(b.begin(), b.begin() + 5)));
  EXPECT_EQ(f.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(f.length, 8u);
  f = frame(view(Buf(b.begin(), b.begin() + 8)));
  EXPECT_EQ(f.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(f.length, 20u);  // total known from the header
  f = frame(view(b));
  EXPECT_EQ(f.status, FrameResult::Status::Complete);
  EXPECT_EQ(f.length, 20u);
  Buf two = cat({b, b});
  f = frame(view(two));
  EXPECT_EQ(f.status, FrameResult::Status::Complete);
  EXPECT_EQ(f.length, 20u);
}

TEST(CopsFramer, InvalidVersionShortAndHugeLengths) {
  auto f = frame(view(Msg(kKA, 0, 0, 2).done()));
  EXPECT_EQ(f.status, FrameResult::Status::Invalid);
  f = frame(view(Msg(kKA, 0).done(7)));
  EXPECT_EQ(f.status, FrameResult::Status::Invalid);
  EXPECT_EQ(f.length, 7u);
  f = frame(view(Msg(kKA, 0).done(0xffffffffu)));
  EXPECT_EQ(f.status, FrameResult::Status::Invalid);
  EXPECT_EQ(f.length, 0xffffffffu);  // the declared length is reported
  f = frame(view(Msg(kKA, 0).done(quartet::kMaxPduBytes + 1)));
  EXPECT_EQ(f.status, FrameResult::Status::Invalid);
  f = frame(view(Msg(kKA, 0).done(quartet::kMaxPduBytes)));
  EXPECT_EQ(f.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(f.length, quartet::kMaxPduBytes);
}

TEST(CopsProbe, RecognisesCopsAndRejectsOthers) {
  EXPECT_EQ(probe(view(Msg(kOPN, 2).pep_id("pep1").done())), Probe::Yes);
  EXPECT_EQ(probe(view(Msg(kKA, 0).done())), Probe::Yes);
  EXPECT_EQ(probe(view(Buf{0x10, 0x06, 0x00})), Probe::NeedMore);
  EXPECT_EQ(probe(view(Buf{0x10, 0x06, 0x00, 0x02, 0, 0, 0, 20, 0})), Probe::NeedMore);
  EXPECT_EQ(probe(view(text("GET / HTTP/1.1\r\n"))), Probe::No);
  EXPECT_EQ(probe(view(Buf{0x00, 'S', 'P', 0x00, 0x00, 0x31, 0, 0})), Probe::No);
  EXPECT_EQ(probe(view(Msg(12, 0).done())), Probe::No);                       // op-code 12
  EXPECT_EQ(probe(view(Msg(kOPN, 2).obj(40, 1, u32(0)).done())), Probe::No);  // C-Num 40
  EXPECT_EQ(probe(view(Msg(kREQ, 1).done())), Probe::No);                     // an 8-byte REQ cannot be
}

TEST(CopsProtocol, Descriptor) {
  const auto& p = protocol();
  EXPECT_EQ(p.filter_name, "copsx");
  EXPECT_EQ(p.short_name, "COPS");
  EXPECT_NE(p.long_name, "Common Open Policy Service");
  ASSERT_EQ(p.default_tcp_ports.size(), 3u);
  EXPECT_EQ(p.default_tcp_ports[0], 3288);
  EXPECT_EQ(p.default_tcp_ports[1], 2126);
  EXPECT_EQ(p.default_tcp_ports[2], 3918);
  // COPS fields, then the PacketCable ones.
  ASSERT_EQ(p.fields.size(), size_t{quartet::cops::packetcable::kEndField});
  // Abbrevs unique, every Bool has a width and a mask.
  for (size_t i = 0; i < p.fields.size(); ++i) {
    for (size_t j = i + 1; j < p.fields.size(); ++j) EXPECT_STRNE(p.fields[i].abbrev, p.fields[j].abbrev);
    if (p.fields[i].type == quartet::FieldType::Bool) {
      EXPECT_NE(p.fields[i].width, 0) << p.fields[i].abbrev;
      EXPECT_NE(p.fields[i].bitmask, 0u) << p.fields[i].abbrev;
    }
  }
  auto d = p.decode(view(Msg(kKA, 0).done()), quartet::Direction::ToServer);
  EXPECT_EQ(d.name, "KA");
  EXPECT_TRUE(d.is_request);
}
