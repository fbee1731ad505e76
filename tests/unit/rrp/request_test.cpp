#include <gtest/gtest.h>

#include "rrp_test_util.hpp"

using namespace rrp_test;

namespace {
Decoded req(std::string_view s) { return decode(bytes(s), Direction::ToServer); }
}  // namespace

TEST(RrpRequest, RfcAddDomain) {
  Decoded d = req(kAddDomain);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_TRUE(d.is_request);
  EXPECT_FALSE(d.is_response);
  EXPECT_EQ(d.name, "add");
  EXPECT_EQ(d.summary, "add example.com period=10");
  EXPECT_EQ(text_of(d, kCommand), "add");
  EXPECT_EQ(text_of(d, kEntity), "Domain");
  const quartet::Field* dn = d.find(kDomainName);
  ASSERT_TRUE(dn);
  EXPECT_EQ(dn->text(), "example.com");
  EXPECT_EQ(dn->offset, kAddDomain.find("example.com"));
  EXPECT_EQ(dn->length, 11u);
  EXPECT_EQ(dn->depth, 2);  // request > attribute > domain_name
  auto ns = all(d, kNameServer);
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[0]->text(), "ns1.registrarA.com");
  EXPECT_EQ(ns[1]->text(), "ns2.registrarA.com");
  EXPECT_EQ(uint_of(d, kOptPeriod), 10u);
  EXPECT_EQ(text_of(d, kOptName), "Period");
  EXPECT_EQ(all(d, kAttribute).size(), 3u);
  EXPECT_EQ(all(d, kOption).size(), 1u);
  EXPECT_EQ(all(d, kAttrValue).size(), 0u);  // every attribute has its own field
  const quartet::Field* group = d.find(kRequest);
  ASSERT_TRUE(group);
  EXPECT_EQ(group->offset, 0u);
  EXPECT_EQ(group->length, kAddDomain.size());
  EXPECT_EQ(group->text(), "add example.com period=10");
  EXPECT_EQ(all(d, kAttribute)[0]->text(), "DomainName:example.com");
}

TEST(RrpRequest, LiteralsAreCaseInsensitive) {
  Decoded d = req("ADD\r\nentityname:nameserver\r\nNAMESERVER:ns1.example.com\r\nipaddress:192.0.2.1\r\n.\r\n");
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(d.name, "add");
  EXPECT_EQ(text_of(d, kCommand), "add");
  EXPECT_EQ(text_of(d, kEntity), "NameServer");
  EXPECT_EQ(text_of(d, kNameServer), "ns1.example.com");
  EXPECT_EQ(text_of(d, kIpAddress), "192.0.2.1");
  EXPECT_EQ(text_of(d, kAttrName), "NAMESERVER");  // the name as written
}

TEST(RrpRequest, RfcAddNameServerAndIpv6) {
  Decoded d = req(kAddNameServer);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(d.summary, "add ns1.registrarA.com");
  auto ips = all(d, kIpAddress);
  ASSERT_EQ(ips.size(), 2u);
  EXPECT_EQ(ips[1]->text(), "198.41.1.12");
  // RFC 3632 2.3: IPv6 addresses in IPAddress.
  Decoded v6 = req("add\r\nEntityName:NameServer\r\nNameServer:ns1.example.com\r\nIPAddress:2001:db8::1\r\n.\r\n");
  EXPECT_TRUE(v6.problems.empty()) << dump(v6);
  EXPECT_EQ(text_of(v6, kIpAddress), "2001:db8::1");
}

TEST(RrpRequest, SessionPasswordsAreSensitiveAndNotLeaked) {
  Decoded d = req(kSessionNewPassword);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(d.name, "session");
  EXPECT_EQ(d.summary, "session id=registrarA (password change)");
  EXPECT_EQ(text_of(d, kOptId), "registrarA");
  EXPECT_EQ(text_of(d, kOptPassword), "i-am-registrarA");
  EXPECT_EQ(text_of(d, kOptNewPassword), "new-password-for-registrarA");
  auto defs = fields();
  EXPECT_TRUE(def_of(defs, kOptPassword).sensitive);
  EXPECT_TRUE(def_of(defs, kOptNewPassword).sensitive);
  EXPECT_FALSE(def_of(defs, kOptId).sensitive);
  for (const auto& f : d.fields) {
    if (f.is(kOptPassword) || f.is(kOptNewPassword)) continue;
    EXPECT_EQ(f.text().find("password-for"), std::string_view::npos) << defs[f.id].abbrev;
    EXPECT_EQ(f.text().find("i-am-registrarA"), std::string_view::npos) << defs[f.id].abbrev;
  }
  EXPECT_EQ(d.summary.find("i-am"), std::string::npos);
  // Option groups show their line, a password's only its name.
  auto groups = all(d, kOption);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0]->text(), "-Id:registrarA");
  EXPECT_EQ(groups[1]->text(), "-Password");
  EXPECT_EQ(groups[2]->text(), "-NewPassword");
  EXPECT_EQ(req(kSession).summary, "session id=registrarA");
}

TEST(RrpRequest, PasswordLineWithoutColonShowsOnlyTheName) {
  Decoded d = req("session\r\n-Id:registrarA\r\n-Password hunter2\r\n.\r\n");
  EXPECT_TRUE(problem(d, ProblemKind::Malformed, "option line without ':'")) << dump(d);
  auto names = all(d, kOptName);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1]->text(), "Password");
  for (const auto& f : d.fields) EXPECT_EQ(f.text().find("hunter2"), std::string_view::npos);
  Decoded glued = req("session\r\n-Id:registrarA\r\n-NewPasswordhunter2\r\n.\r\n");
  EXPECT_EQ(all(glued, kOptName)[1]->text(), "NewPassword");
}

TEST(RrpRequest, ModRemovalIsAFlag) {
  Decoded d = req(kModDomain);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  auto ns = all(d, kNameServer);
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_EQ(ns[0]->text(), "ns3.registrarA.com");
  EXPECT_EQ(ns[1]->text(), "ns1.registrarA.com");  // without the '='
  auto rm = all(d, kAttrRemove);
  ASSERT_EQ(rm.size(), 1u);
  EXPECT_EQ(*rm[0]->uint(), 1u);
  EXPECT_EQ(rm[0]->offset, kModDomain.find("com=") + 3);
  EXPECT_EQ(rm[0]->length, 1u);
  // The flag belongs to the second attribute group.
  EXPECT_GT(rm[0]->offset, ns[1]->offset);
}

TEST(RrpRequest, RfcModNameServer) {
  Decoded d = req(kModNameServer);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(d.summary, "mod ns1.registrarA.com");
  EXPECT_EQ(text_of(d, kNewNameServer), "ns2.registrarA.com");
  auto ips = all(d, kIpAddress);
  ASSERT_EQ(ips.size(), 2u);
  EXPECT_EQ(ips[1]->text(), "198.41.1.11");
  EXPECT_EQ(all(d, kAttrRemove).size(), 1u);
}

TEST(RrpRequest, OptionsBeforeAttributes) {
  Decoded d = req(kTransfer);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(d.summary, "transfer example.com approve=Yes");
  EXPECT_EQ(text_of(d, kOptApprove), "Yes");
  EXPECT_EQ(text_of(d, kEntity), "Domain");
}

TEST(RrpRequest, RenewDescribeQuitCheckStatus) {
  Decoded r = req(kRenew);
  EXPECT_TRUE(r.problems.empty()) << dump(r);
  EXPECT_EQ(uint_of(r, kOptPeriod), 9u);
  EXPECT_EQ(uint_of(r, kOptExpirationYear), 2001u);
  EXPECT_EQ(r.summary, "renew example.com period=9");

  Decoded d = req(kDescribe);
  EXPECT_TRUE(d.problems.empty()) << dump(d);
  EXPECT_EQ(text_of(d, kOptTarget), "Protocol");
  EXPECT_EQ(d.summary, "describe target=Protocol");

  Decoded q = req(kQuit);
  EXPECT_TRUE(q.problems.empty()) << dump(q);
  EXPECT_EQ(q.summary, "quit");
  EXPECT_EQ(q.fields.size(), 2u);  // request + command

  Decoded c = req(kCheckDomain);
  EXPECT_TRUE(c.problems.empty()) << dump(c);
  EXPECT_EQ(c.summary, "check example.com");

  Decoded s = req(kStatusNameServer);
  EXPECT_TRUE(s.problems.empty()) << dump(s);
  EXPECT_EQ(s.name, "status");
  EXPECT_EQ(text_of(s, kNameServer), "ns1.registrarA.com");
}

TEST(RrpRequest, BareLfIsToleratedAndReported) {
  Decoded d = req("check\nEntityName:Domain\nDomainName:example.com\r\n.\n");
  EXPECT_EQ(text_of(d, kDomainName), "example.com");
  EXPECT_EQ(d.problems.size(), 1u) << dump(d);
  const Problem* p = problem(d, ProblemKind::Deviation, "3 lines end in a bare LF");
  ASSERT_TRUE(p) << dump(d);
  EXPECT_EQ(p->offset, 0u);
  EXPECT_EQ(severity_of(p->kind), Severity::Note);
}

TEST(RrpRequest, UnknownCommand) {
  Decoded d = req("Frobnicate\r\nEntityName:Domain\r\n.\r\n");
  EXPECT_EQ(d.name, "frobnicate");
  EXPECT_EQ(text_of(d, kCommand), "Frobnicate");
  const Problem* p = problem(d, ProblemKind::Unknown, "unknown command \"Frobnicate\"");
  ASSERT_TRUE(p) << dump(d);
  EXPECT_EQ(p->offset, 0u);
  EXPECT_EQ(p->length, 10u);
}

TEST(RrpRequest, CommandWithTrailingText) {
  Decoded d = req("check example.com\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n");
  EXPECT_EQ(d.name, "check");
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "text after the command word")) << dump(d);
}

TEST(RrpRequest, GrammarViolations) {
  EXPECT_TRUE(problem(req("check\r\nDomainName:example.com\r\n.\r\n"), ProblemKind::Violation,
                      "CHECK without an EntityName line"));
  EXPECT_TRUE(problem(req("add\r\nEntityName:NameServer\r\nNameServer:ns1.example.com\r\n.\r\n"),
                      ProblemKind::Violation, "ADD NameServer without IPAddress (RFC 2832 4.3.1; servers answer 504)"));
  EXPECT_TRUE(problem(req("check\r\nEntityName:Domain\r\nDomainName:x.com\r\n-Period:2\r\n.\r\n"),
                      ProblemKind::Violation,
                      "-Period is not an option of CHECK Domain (RFC 2832 4.3.2; servers answer 501)"));
  EXPECT_TRUE(problem(req("session\r\n-Id:registrarA\r\n.\r\n"), ProblemKind::Violation,
                      "SESSION without -Password (RFC 2832 4.3.8; servers answer 509)"));
  EXPECT_TRUE(problem(req("renew\r\nEntityName:NameServer\r\nNameServer:ns1.example.com\r\n.\r\n"),
                      ProblemKind::Violation, "RENEW is not defined for EntityName:NameServer"));
  EXPECT_TRUE(problem(req("quit\r\nEntityName:Domain\r\n.\r\n"), ProblemKind::Violation, "QUIT takes no EntityName"));
  EXPECT_TRUE(problem(req("check\r\nEntityName:Host\r\nDomainName:x.com\r\n.\r\n"), ProblemKind::Violation,
                      "EntityName \"Host\" is neither Domain nor NameServer"));
  EXPECT_TRUE(problem(req("check\r\nEntityName:Domain\r\nDomainName:a.com\r\nDomainName:b.com\r\n.\r\n"),
                      ProblemKind::Violation, "DomainName appears 2 times"));
  EXPECT_TRUE(problem(req("add\r\nEntityName:Domain\r\nDomainName:a.com\r\nNewNameServer:ns.a.com\r\n.\r\n"),
                      ProblemKind::Violation, "NewNameServer is not an attribute of ADD Domain"));
  EXPECT_TRUE(problem(req("add\r\nEntityName:Domain\r\nDomainName:a.com\r\nNameServer:ns.a.com=\r\n.\r\n"),
                      ProblemKind::Violation, "removal) outside a MOD"));
  EXPECT_TRUE(problem(req("transfer\r\n-Approve:Maybe\r\nEntityName:Domain\r\nDomainName:a.com\r\n.\r\n"),
                      ProblemKind::Violation, "-Approve must be Yes or No"));
  EXPECT_TRUE(problem(req("add\r\nEntityName:Domain\r\nDomainName:a.com\r\nRegistrant:Bob\r\n.\r\n"),
                      ProblemKind::Unknown, "attribute \"Registrant\""));
  EXPECT_TRUE(problem(req("add\r\nEntityName:Domain\r\nDomainName:a.com\r\n-Color:blue\r\n.\r\n"), ProblemKind::Unknown,
                      "option -Color"));
}

TEST(RrpRequest, NonNumericPeriodKeepsTheText) {
  Decoded d = req("add\r\nEntityName:Domain\r\nDomainName:a.com\r\n-Period:five\r\n.\r\n");
  EXPECT_EQ(d.find(kOptPeriod), nullptr);
  EXPECT_EQ(text_of(d, kOptValue), "five");
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "-Period value \"five\" is not a number")) << dump(d);
}

TEST(RrpRequest, FourteenNameServers) {
  std::string s = "add\r\nEntityName:Domain\r\nDomainName:a.com\r\n";
  for (int i = 0; i < 14; ++i) s += "NameServer:ns" + std::to_string(i) + ".a.com\r\n";
  s += ".\r\n";
  Decoded d = req(s);
  EXPECT_EQ(all(d, kNameServer).size(), 14u);
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "14 name servers; at most 13")) << dump(d);
}

TEST(RrpRequest, MalformedLinesAndFraming) {
  Decoded nocolon = req("check\r\nEntityName:Domain\r\nDomainName example.com\r\n.\r\n");
  EXPECT_TRUE(problem(nocolon, ProblemKind::Malformed, "without ':'")) << dump(nocolon);
  EXPECT_EQ(text_of(nocolon, kAttrName), "DomainName example.com");

  Decoded trailing = req(std::string(kQuit) + "junk");
  const Problem* p = problem(trailing, ProblemKind::Malformed, "4 bytes after");
  ASSERT_TRUE(p) << dump(trailing);
  EXPECT_EQ(p->offset, kQuit.size());

  Decoded empty = req(".\r\n");
  EXPECT_TRUE(problem(empty, ProblemKind::Malformed, "terminator without")) << dump(empty);
  EXPECT_TRUE(problem(req(""), ProblemKind::Malformed, "empty PDU"));

  Decoded blank = req("check\r\n\r\nEntityName:Domain\r\nDomainName:a.com\r\n.\r\n");
  EXPECT_TRUE(problem(blank, ProblemKind::Violation, "empty line")) << dump(blank);
  EXPECT_EQ(text_of(blank, kDomainName), "a.com");

  Decoded high = req("check\r\nEntityName:Domain\r\nDomainName:caf\xc3\xa9.com\r\n.\r\n");
  const Problem* h = problem(high, ProblemKind::Violation, "byte 0xc3");
  ASSERT_TRUE(h) << dump(high);
  EXPECT_EQ(h->offset, 40u);
}

// Every proper prefix decodes what it has and reports the missing terminator;
// run under ASan/UBSan this is also the truncation robustness check.
TEST(RrpRequest, EveryPrefixReportsTruncation) {
  for (std::string_view pdu : {kAddDomain, kModDomain, kSessionNewPassword, kTransfer}) {
    for (size_t n = 1; n + 2 < pdu.size(); ++n) {
      Decoded d = req(pdu.substr(0, n));
      ASSERT_TRUE(problem(d, ProblemKind::Malformed, "without its \".\" terminator")) << n << ": " << dump(d);
      ASSERT_TRUE(d.find(kCommand)) << n;
      for (const auto& f : d.fields) ASSERT_LE(f.offset + f.length, n) << n;
    }
  }
}

// Every request form of RFC 2832 4.3 decodes without a problem, with its summary.
TEST(RrpRequest, EveryRfcFormIsClean) {
  struct Case {
    std::string_view pdu, summary;
  };
  const Case cases[] = {
      {kAddDomain, "add example.com period=10"},
      {kAddNameServer, "add ns1.registrarA.com"},
      {kCheckDomain, "check example.com"},
      {"check\r\nEntityName:NameServer\r\nNameServer:ns1.registrarA.com\r\n.\r\n", "check ns1.registrarA.com"},
      {"del\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n", "del example.com"},
      {"del\r\nEntityName:NameServer\r\nNameServer:ns1.registrarA.com\r\n.\r\n", "del ns1.registrarA.com"},
      {kDescribe, "describe target=Protocol"},
      {"describe\r\n.\r\n", "describe"},
      {kModDomain, "mod example.com"},
      {"mod\r\nEntityName:Domain\r\nDomainName:example.com\r\nStatus:REGISTRAR-LOCK\r\n.\r\n", "mod example.com"},
      {kModNameServer, "mod ns1.registrarA.com"},
      {kQuit, "quit"},
      {kRenew, "renew example.com period=9"},
      {kSession, "session id=registrarA"},
      {kSessionNewPassword, "session id=registrarA (password change)"},
      {"status\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n", "status example.com"},
      {kStatusNameServer, "status ns1.registrarA.com"},
      {"transfer\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n", "transfer example.com"},
      {kTransfer, "transfer example.com approve=Yes"},
      {"transfer\r\n-Approve:No\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n",
       "transfer example.com approve=No"},
  };
  for (const Case& c : cases) {
    Decoded d = req(c.pdu);
    EXPECT_TRUE(d.problems.empty()) << dump(d);
    EXPECT_EQ(d.summary, c.summary);
    EXPECT_EQ(d.name, d.summary.substr(0, d.summary.find(' ')));
  }
}
