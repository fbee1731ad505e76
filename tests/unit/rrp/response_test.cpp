#include <gtest/gtest.h>

#include "rrp_test_util.hpp"

using namespace rrp_test;

namespace {
Decoded resp(std::string_view s) { return decode(bytes(s), Direction::ToClient); }
}  // namespace

TEST(RrpResponse, RfcAddReplyWithSpacedAttributeNames) {
  Decoded d = resp(kAddDomainReply);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_TRUE(d.is_response);
  EXPECT_FALSE(d.is_request);
  EXPECT_EQ(d.name, "200");
  EXPECT_EQ(d.summary, "200 Command completed successfully");
  EXPECT_EQ(uint_of(d, kCode), 200u);
  EXPECT_EQ(text_of(d, kText), "Command completed successfully");
  EXPECT_EQ(text_of(d, kAttrName), "registration expiration date");
  EXPECT_EQ(text_of(d, kExpirationDate), "2009-09-22 10:27:00.0");  // split at the first ':' only
  EXPECT_EQ(text_of(d, kStatus), "ACTIVE");
  EXPECT_EQ(text_of(d, kResponse), "200 Command completed successfully");
  EXPECT_EQ(text_of(d, kAttribute), "registration expiration date:2009-09-22 10:27:00.0");
  const quartet::Field* code = d.find(kCode);
  EXPECT_EQ(code->offset, 0u);
  EXPECT_EQ(code->length, 3u);
  const quartet::Field* exp = d.find(kExpirationDate);
  EXPECT_EQ(exp->offset, kAddDomainReply.find("2009"));
}

TEST(RrpResponse, RfcStatusNameServerReply) {
  Decoded d = resp(kStatusNameServerReply);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(text_of(d, kIpAddress), "198.42.1.11");
  EXPECT_EQ(text_of(d, kRegistrar), "registrarA");
  EXPECT_EQ(text_of(d, kTransferDate), "1999-09-22 10:27:00.0");
  EXPECT_EQ(text_of(d, kCreatedDate), "1998-09-22 10:27:00.0");
  EXPECT_EQ(text_of(d, kCreatedBy), "registrarA");
  EXPECT_EQ(text_of(d, kUpdatedDate), "2002-09-22 10:27:00.0");
  EXPECT_EQ(text_of(d, kUpdatedBy), "registrarA");
  EXPECT_EQ(all(d, kAttribute).size(), 7u);
  EXPECT_EQ(all(d, kAttrValue).size(), 0u);
}

TEST(RrpResponse, CheckAndDescribeReplies) {
  Decoded c = resp("213 Name server not available\r\nipAddress:198.41.1.11\r\n.\r\n");
  EXPECT_TRUE(c.problems.empty()) << dump(c);
  EXPECT_EQ(c.summary, "213 Name server not available");
  EXPECT_EQ(text_of(c, kIpAddress), "198.41.1.11");
  Decoded d = resp("200 Command completed successfully\r\nProtocol versions: 1.1.0\r\n.\r\n");
  EXPECT_EQ(text_of(d, kProtocolVersion), "1.1.0");
  Decoded other = resp("200 Command completed successfully\r\nfavourite colour:blue\r\n.\r\n");
  EXPECT_TRUE(other.problems.empty()) << dump(other);  // servers may add attributes
  EXPECT_EQ(text_of(other, kAttrValue), "blue");
}

TEST(RrpResponse, EveryRfcCodeHasItsMeaning) {
  size_t n = 0;
  for (const auto& c : kResponseCodes) {
    std::string s = std::to_string(c.value) + " " + c.name + "\r\n.\r\n";
    Decoded d = resp(s);
    EXPECT_TRUE(d.problems.empty()) << dump(d);
    EXPECT_EQ(uint_of(d, kCode), c.value);
    EXPECT_EQ(d.name, std::to_string(c.value));
    ++n;
  }
  EXPECT_EQ(n, 46u);  // 44 of RFC 2832 + 510 and 557 of RFC 3632
  EXPECT_STREQ(response_meaning(510), "Invalid encoding");
  EXPECT_STREQ(response_meaning(557), "Name server locked");
  EXPECT_STREQ(response_meaning(547), "Invalid command sequence");
  EXPECT_EQ(response_meaning(299), nullptr);
  EXPECT_EQ(def_of(fields(), kCode).names.size(), 46u);
  for (uint64_t code : {220, 420, 520, 521}) EXPECT_TRUE(closes_connection(code)) << code;
  for (uint64_t code : {200, 421, 530, 547}) EXPECT_FALSE(closes_connection(code)) << code;
}

TEST(RrpResponse, UnknownCodeAndMissingText) {
  Decoded u = resp("299 Something new\r\n.\r\n");
  EXPECT_EQ(uint_of(u, kCode), 299u);
  EXPECT_TRUE(problem(u, ProblemKind::Unknown, "response code 299")) << dump(u);
  Decoded bare = resp("530\r\n.\r\n");
  EXPECT_EQ(bare.summary, "530 Authentication failed");  // the RFC's words stand in
  EXPECT_TRUE(problem(bare, ProblemKind::Violation, "without a description")) << dump(bare);
  Decoded why = resp("520 Server closing connection. Client should try opening new connection; timeout\r\n.\r\n");
  EXPECT_TRUE(why.problems.empty()) << dump(why);
  EXPECT_EQ(text_of(why, kText), "Server closing connection. Client should try opening new connection; timeout");
  EXPECT_EQ(text_of(why, kReason), "timeout");
  EXPECT_EQ(resp(kOk).find(kReason), nullptr);
}

TEST(RrpResponse, MalformedAttributeLine) {
  Decoded d = resp("200 Command completed successfully\r\nno colon here\r\n.\r\n");
  EXPECT_TRUE(problem(d, ProblemKind::Malformed, "without ':'")) << dump(d);
  EXPECT_EQ(text_of(d, kAttrValue), "no colon here");
}

TEST(RrpGreeting, BannerBlock) {
  Decoded d = resp(kBanner);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_FALSE(d.is_request);
  EXPECT_FALSE(d.is_response);
  EXPECT_EQ(d.name, "greeting");
  EXPECT_EQ(d.summary, "greeting NSI Registry RRP Server version 1.1.0");
  EXPECT_EQ(text_of(d, kGreetingServer), "NSI Registry");
  EXPECT_EQ(text_of(d, kGreetingVersion), "1.1.0");
  auto lines = all(d, kGreetingLine);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]->text(), "Build 2000-05-01 14:00");

  Decoded angle = resp("<Registry> RRP Server version 2.0.0\r\n.\r\n");
  EXPECT_EQ(text_of(angle, kGreetingServer), "<Registry>");
  EXPECT_EQ(text_of(angle, kGreetingVersion), "2.0.0");
}

TEST(RrpGreeting, ServerTextThatIsNeither) {
  Decoded d = resp("hello there\r\n.\r\n");
  EXPECT_EQ(d.name, "greeting");
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "neither a response")) << dump(d);
}

TEST(RrpResponse, RfcStatusDomainReply) {
  Decoded d = resp(
      "200 Command completed successfully\r\nnameserver:ns1.registrarA.com\r\nnameserver:ns2.registrarA.com\r\n"
      "registration expiration date:2010-09-22 10:27:00.0\r\nregistrar:registrarA\r\n"
      "registrar transfer date:1999-09-22 10:27:00.0\r\nstatus:ACTIVE\r\ncreated date:1998-09-22 10:27:00.0\r\n"
      "created by:registrarA\r\nupdated date:1999-09-22 10:27:00.0\r\nupdated by:registrarA\r\n.\r\n");
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  auto ns = all(d, kNameServer);
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[1]->text(), "ns2.registrarA.com");
  EXPECT_EQ(text_of(d, kExpirationDate), "2010-09-22 10:27:00.0");
  EXPECT_EQ(text_of(d, kCreatedDate), "1998-09-22 10:27:00.0");
  EXPECT_EQ(text_of(d, kUpdatedBy), "registrarA");
  EXPECT_EQ(all(d, kAttribute).size(), 10u);
  EXPECT_EQ(all(d, kAttrValue).size(), 0u);
}
