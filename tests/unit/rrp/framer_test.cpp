#include <gtest/gtest.h>

#include "rrp_test_util.hpp"
#include "rrp/framer.hpp"

using namespace rrp_test;
using Status = FrameResult::Status;

namespace {

void expect_complete(std::string_view s, uint64_t len) {
  FrameResult r = frame(bytes(s));
  EXPECT_EQ(r.status, Status::Complete) << s;
  EXPECT_EQ(r.length, len) << s;
}

}  // namespace

TEST(RrpFramer, CompleteAtTheDotLine) {
  expect_complete(kAddDomain, kAddDomain.size());
  expect_complete(kAddDomainReply, kAddDomainReply.size());
  expect_complete(kQuit, 9);
  expect_complete(kBanner, kBanner.size());
}

TEST(RrpFramer, StopsAtTheFirstOfTwoPdus) {
  std::string two = std::string(kSession) + std::string(kQuit);
  expect_complete(two, kSession.size());
  expect_complete(std::string(kOk) + std::string(kQuitReply), kOk.size());
}

TEST(RrpFramer, EveryPrefixOfARequestNeedsMore) {
  for (std::string_view pdu : {kAddDomain, kModNameServer, kSessionNewPassword, kStatusNameServerReply, kBanner}) {
    for (size_t n = 0; n < pdu.size(); ++n) {
      FrameResult r = frame(bytes(pdu.substr(0, n)));
      ASSERT_EQ(r.status, Status::NeedMore) << "prefix " << n << " of " << pdu;
    }
    expect_complete(pdu, pdu.size());
  }
}

TEST(RrpFramer, BareLfTerminatorAndLines) {
  std::string_view lf = "check\nEntityName:Domain\nDomainName:example.com\n.\nquit\n";
  expect_complete(lf, lf.find(".\n") + 2);
  for (size_t n = 0; n < lf.find(".\n") + 2; ++n)
    ASSERT_EQ(frame(bytes(lf.substr(0, n))).status, Status::NeedMore) << n;
}

TEST(RrpFramer, DotsInsideLinesDoNotTerminate) {
  std::string_view s = "check\r\nEntityName:Domain\r\nDomainName:.\r\n..\r\n.x\r\n";
  EXPECT_EQ(frame(bytes(s)).status, Status::NeedMore);
  std::string done = std::string(s) + ".\r\n";
  expect_complete(done, done.size());
}

TEST(RrpFramer, BinaryIsInvalid) {
  const char tls[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
  FrameResult r = frame(bytes(std::string_view(tls, sizeof tls - 1)));
  EXPECT_EQ(r.status, Status::Invalid);
  EXPECT_FALSE(r.reason.empty());
  EXPECT_EQ(frame(bytes(std::string_view("add\0\r\n.\r\n", 9))).status, Status::Invalid);
  EXPECT_EQ(frame(bytes("check\r\nEntityName:Domain\x1b[0m\r\n.\r\n")).status, Status::Invalid);
  // Application data of the TLS connection RRP normally runs in.
  EXPECT_EQ(frame(bytes(std::string_view("\x17\x03\x03\x00\x20", 5))).status, Status::Invalid);
  // Bytes >= 0x80 that are not UTF-8: Latin-1, a lone continuation byte, 0xff.
  EXPECT_EQ(frame(bytes("add\r\nDomainName:caf\xe9.com\r\n.\r\n")).status, Status::Invalid);
  EXPECT_EQ(frame(bytes("add\r\n\x80\r\n.\r\n")).status, Status::Invalid);
  EXPECT_EQ(frame(bytes("add\r\n\xff\r\n.\r\n")).status, Status::Invalid);
  EXPECT_EQ(frame(bytes("add\r\n\xc3(\r\n.\r\n")).status, Status::Invalid);
}

// A raw UTF-8 domain name is what 510 "Invalid encoding" (RFC 3632) answers: the
// block is framed, the decoder reports the byte.
TEST(RrpFramer, Non7BitBytesAreFramedAndReported) {
  std::string_view s = "add\r\nEntityName:Domain\r\nDomainName:caf\xc3\xa9.com\r\n.\r\n";
  expect_complete(s, s.size());
  for (size_t n = 0; n < s.size(); ++n)  // including the cut inside "\xc3\xa9"
    ASSERT_EQ(frame(bytes(s.substr(0, n))).status, Status::NeedMore) << n;
  expect_complete("add\r\nDomainName:\xe4\xbe\x8b\xe5\xad\x90.\xf0\x9f\x98\x80\r\n.\r\n", 32);
  Decoded d = decode(bytes(s), Direction::ToServer);
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "byte 0xc3 at offset 38 is not 7-bit ASCII")) << dump(d);
}

TEST(RrpFramer, NoTerminatorWithin64KiBIsInvalid) {
  std::string lines;
  while (lines.size() < kMaxBlockBytes + 100) lines += "NameServer:ns1.registrarA.com\r\n";
  FrameResult r = frame(bytes(lines));
  EXPECT_EQ(r.status, Status::Invalid);
  EXPECT_NE(r.reason.find("64 KiB"), std::string_view::npos);
  EXPECT_EQ(frame(bytes(std::string_view(lines).substr(0, 4000))).status, Status::NeedMore);
}

TEST(RrpProbe, ClientCommandWords) {
  EXPECT_EQ(probe(bytes(kSession)), Probe::Yes);
  EXPECT_EQ(probe(bytes("SESSION\r\n")), Probe::Yes);
  EXPECT_EQ(probe(bytes("Describe\n")), Probe::Yes);
  EXPECT_EQ(probe(bytes("sess")), Probe::NeedMore);
  EXPECT_EQ(probe(bytes("GET / HTTP/1.1\r\n")), Probe::No);
  EXPECT_EQ(probe(bytes("USER anonymous\r\n")), Probe::No);
  // QUIT alone is also SMTP's, FTP's and POP3's: RRP's comes with its "." line.
  EXPECT_EQ(probe(bytes(kQuit)), Probe::Yes);
  EXPECT_EQ(probe(bytes("QUIT\r\n")), Probe::NeedMore);
  EXPECT_EQ(probe(bytes("QUIT\r\n221 2.0.0 Bye\r\n")), Probe::No);
}

TEST(RrpProbe, ServerGreetingAndResponses) {
  EXPECT_EQ(probe(bytes(kBanner)), Probe::Yes);
  EXPECT_EQ(probe(bytes(kOk)), Probe::Yes);
  EXPECT_EQ(probe(bytes(kQuitReply)), Probe::Yes);
  EXPECT_EQ(probe(bytes("530 Authentication failed\r\n")), Probe::Yes);
  // Other line protocols greet with three digits too.
  EXPECT_EQ(probe(bytes("220 mail.example.com ESMTP Postfix\r\n")), Probe::No);
  EXPECT_EQ(probe(bytes("200 news.example.com NNRP ready\r\n")), Probe::No);
}

TEST(RrpProbe, BinaryIsNo) {
  EXPECT_EQ(probe(bytes(std::string_view("\x16\x03\x01\x00\xa5", 5))), Probe::No);
  EXPECT_EQ(probe(bytes(std::string_view("\0SP\0\0\x30\0\0", 8))), Probe::No);
  EXPECT_EQ(probe(bytes(std::string(2000, 'a'))), Probe::No);
}
