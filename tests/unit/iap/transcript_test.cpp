// The draft's section 4.4 transcript, message by message, through the public
// descriptor (framer + decoder), plus the BNF spellings of section 4.3.
#include <gtest/gtest.h>

#include "common/protocol.hpp"
#include "iap/decoder.hpp"
#include "iap_test_util.hpp"

using namespace quartet;
using namespace quartet::iap;
using enum quartet::iap::Field;
using namespace iap_test;

namespace {

Decoded decode_whole(std::string_view msg) {
  FrameResult r = P().frame(bytes(msg));
  EXPECT_EQ(r.status, FrameResult::Status::Complete) << msg;
  EXPECT_EQ(r.length, msg.size()) << msg;
  return P().decode(bytes(msg), Direction::ToServer);
}

TEST(IapTranscript, ConnectFromAnalyzer) {
  Decoded d = decode_whole("IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n");
  EXPECT_EQ(d.name, "CONNECT");
  EXPECT_EQ(d.summary, "CONNECT M.DOM.ORG");
  EXPECT_TRUE(d.is_request);
  EXPECT_EQ(uint_of(d, kType), uint64_t(MsgType::ConnectRequest));
  EXPECT_EQ(texts(d, kVersion), std::vector<std::string>{"IAP/0.3"});
  EXPECT_EQ(texts(d, kMethod), std::vector<std::string>{"CONNECT"});
  EXPECT_EQ(texts(d, kHost), std::vector<std::string>{"M.DOM.ORG"});
  const quartet::Field* host = d.find(kHost);
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(host->offset, 16u);
  EXPECT_EQ(host->length, 9u);
  EXPECT_TRUE(texts(d, kVia).empty());
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapTranscript, ConnectRelayedByProxy) {
  Decoded d = decode_whole("IAP/0.3 CONNECT M.DOM.ORG\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n");
  EXPECT_EQ(d.summary, "CONNECT M.DOM.ORG via 1 proxy");
  EXPECT_EQ(texts(d, kVia), std::vector<std::string>{"P.DOM.ORG"});
  EXPECT_EQ(uint_of(d, kViaCount), 1u);
  const quartet::Field* via = d.find(kVia);
  ASSERT_NE(via, nullptr);
  EXPECT_EQ(via->offset, 27u + 13u);  // second line, after "IAP/0.3 Via: "
  EXPECT_TRUE(d.problems.empty());
}

TEST(IapTranscript, ResponsesWithAndWithoutVia) {
  Decoded d = decode_whole("IAP/0.3 200\r\n\r\n");
  EXPECT_EQ(d.name, "200");
  EXPECT_EQ(d.summary, "200 OK");
  EXPECT_TRUE(d.is_response);
  EXPECT_EQ(uint_of(d, kStatusCode), 200u);
  EXPECT_EQ(uint_of(d, kType), uint64_t(MsgType::Response));
  EXPECT_TRUE(d.problems.empty());

  Decoded r = decode_whole("IAP/0.3 200\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n");
  EXPECT_EQ(r.summary, "200 OK via 1 proxy");
  EXPECT_EQ(texts(r, kVia), std::vector<std::string>{"P.DOM.ORG"});
}

TEST(IapTranscript, UpgradeAnd101) {
  Decoded u = decode_whole("IAP/0.3 Upgrade: TLS/1.0\r\n\r\n");
  EXPECT_EQ(u.name, "Upgrade");
  EXPECT_EQ(u.summary, "Upgrade TLS/1.0");
  EXPECT_EQ(uint_of(u, kType), uint64_t(MsgType::UpgradeRequest));
  EXPECT_EQ(texts(u, kUpgrade), std::vector<std::string>{"TLS/1.0"});
  EXPECT_TRUE(u.problems.empty());

  Decoded s = decode_whole("IAP/0.3 101\r\n\r\n");
  EXPECT_EQ(s.name, "101");
  EXPECT_EQ(s.summary, "101 Switching to TLS");
  EXPECT_EQ(uint_of(s, kStatusCode), 101u);
}

TEST(IapTranscript, ChannelSetupTranscriptForm) {
  Decoded d = decode_whole("IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Sender\r\n\r\n");
  EXPECT_EQ(d.name, "channel-setup");
  EXPECT_EQ(d.summary, "Channel setup IAP-Version 0.3, role Sender");
  EXPECT_EQ(uint_of(d, kType), uint64_t(MsgType::ChannelSetup));
  EXPECT_EQ(texts(d, kIapVersion), std::vector<std::string>{"0.3"});
  EXPECT_EQ(uint_of(d, kRole), uint64_t(Role::Sender));
  EXPECT_TRUE(d.problems.empty());
}

TEST(IapTranscript, ChannelSetupBnfFormHasUnprefixedRole) {
  // 4.3.4 writes the IAP-Role line without the version prefix.
  Decoded d = decode_whole("IAP/0.3 IAP-Version: 0.3\r\nIAP-Role: Receiver\r\n\r\n");
  EXPECT_EQ(uint_of(d, kRole), uint64_t(Role::Receiver));
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapTranscript, AlertWithoutBlankLine) {
  std::string msg = "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n" + alert64() + "\r\n\r\n";
  Decoded d = decode_whole(msg);
  EXPECT_EQ(d.name, "content");
  EXPECT_EQ(d.summary, "Alert application/x-idef-alert 64 bytes");
  EXPECT_EQ(uint_of(d, kType), uint64_t(MsgType::Content));
  EXPECT_EQ(texts(d, kContentType), std::vector<std::string>{"application/x-idef-alert"});
  EXPECT_EQ(uint_of(d, kContentLength), 64u);
  const quartet::Field* body = d.find(kBody);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->offset, 60u);  // 40 + 20 header bytes, no blank line
  EXPECT_EQ(body->length, 64u);
  EXPECT_EQ(msg.substr(body->offset, body->length), alert64());
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapTranscript, AlertWithBlankLineAsTheBnfHasIt) {
  // 4.3.5: header CRLF body CRLF, and 4.2 ends every message with CRLF;
  // "Content-Length: " SP +DIGIT puts two spaces before the digits.
  std::string msg = "Content-Type: application/x-idef-alert\r\nContent-Length:  64\r\n\r\n" + alert64() + "\r\n\r\n";
  Decoded d = decode_whole(msg);
  EXPECT_EQ(uint_of(d, kContentLength), 64u);
  const quartet::Field* body = d.find(kBody);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->offset, 63u);
  EXPECT_EQ(msg.substr(body->offset, body->length), alert64());
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapTranscript, WholeTranscriptBackToBackFramesIntoItsMessages) {
  const std::vector<std::string> analyzer_side = {
      "IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n",
      "IAP/0.3 Upgrade: TLS/1.0\r\n\r\n",
      "IAP/0.3 IAP-Version: 0.3\r\nIAP/0.3 IAP-Role: Sender\r\n\r\n",
      "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n" + alert64() + "\r\n\r\n",
      "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n\r\n" + alert64() + "\r\n\r\n",
  };
  std::string stream;
  for (const auto& m : analyzer_side) stream += m;
  std::string_view rest = stream;
  for (const auto& m : analyzer_side) {
    FrameResult r = P().frame(bytes(rest));
    ASSERT_EQ(r.status, FrameResult::Status::Complete);
    EXPECT_EQ(r.length, m.size());
    rest.remove_prefix(r.length);
  }
  EXPECT_TRUE(rest.empty());
}

TEST(IapDecode, HeaderNamesAreCaseInsensitiveAndUnknownHeadersAreFields) {
  Decoded d = decode_whole("content-type: text/xml\r\nCONTENT-LENGTH: 5\r\nX-Sensor-Id: s17\r\n\r\nhello\r\n\r\n");
  EXPECT_EQ(d.summary, "Content text/xml 5 bytes");
  EXPECT_EQ(uint_of(d, kContentLength), 5u);
  EXPECT_EQ(texts(d, kHeaderName), std::vector<std::string>{"X-Sensor-Id"});
  EXPECT_EQ(texts(d, kHeaderValue), std::vector<std::string>{"s17"});
  const quartet::Field* group = d.find(kHeader);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->depth, 0u);
  const quartet::Field* name = d.find(kHeaderName);
  EXPECT_EQ(name->depth, 1u);
}

TEST(IapDecode, StatusWithReasonPhraseAndRefusals) {
  Decoded d = decode_whole("IAP/0.3 403 Go away\r\n\r\n");
  EXPECT_EQ(uint_of(d, kStatusCode), 403u);
  EXPECT_EQ(texts(d, kStatusText), std::vector<std::string>{"Go away"});
  EXPECT_EQ(d.summary, "403 Go away");
  EXPECT_EQ(decode_whole("IAP/0.3 502\r\n\r\n").summary, "502 Bad Gateway");
  EXPECT_EQ(decode_whole("IAP/0.3 500\r\n\r\n").summary, "500 Internal Server Error");
  Decoded odd = decode_whole("IAP/0.3 299\r\n\r\n");
  EXPECT_TRUE(has_problem(odd, ProblemKind::Unknown, "299"));
}

TEST(IapDecode, ViaChainCountsHopsAndFindsLoops) {
  Decoded d = decode_whole("IAP/0.3 CONNECT m.example\r\nIAP/0.3 Via: p1.example\r\nIAP/0.3 Via: p2.example\r\n\r\n");
  EXPECT_EQ(d.summary, "CONNECT m.example via 2 proxies");
  EXPECT_EQ(uint_of(d, kViaCount), 2u);
  EXPECT_EQ(texts(d, kVia), (std::vector<std::string>{"p1.example", "p2.example"}));

  Decoded loop =
      decode_whole("IAP/0.3 CONNECT m.example\r\nIAP/0.3 Via: p1.example\r\nIAP/0.3 Via: P1.EXAMPLE\r\n\r\n");
  EXPECT_EQ(loop.summary, "CONNECT m.example via 2 proxies (loop)");
  EXPECT_TRUE(has_problem(loop, ProblemKind::Violation, "proxy loop"));
}

TEST(IapDecode, VersionAndShapeViolations) {
  Decoded v = decode_whole("IAP/0.4 CONNECT m\r\n\r\n");
  EXPECT_TRUE(has_problem(v, ProblemKind::Unknown, "IAP/0.4"));
  Decoded mixed = decode_whole("IAP/0.3 CONNECT m\r\nIAP/0.2 Via: p\r\n\r\n");
  EXPECT_TRUE(has_problem(mixed, ProblemKind::Violation, "IAP/0.2"));
  Decoded cs = decode_whole("IAP/0.3 IAP-Version: 0.2\r\nIAP/0.3 IAP-Role: Boss\r\n\r\n");
  EXPECT_TRUE(has_problem(cs, ProblemKind::Violation, "version mismatch"));
  EXPECT_TRUE(has_problem(cs, ProblemKind::Unknown, "Boss"));
  Decoded up = decode_whole("IAP/0.3 Upgrade: SSL/3.0\r\n\r\n");
  EXPECT_TRUE(has_problem(up, ProblemKind::Unknown, "SSL/3.0"));
  Decoded foreign = decode_whole("IAP/0.3 CONNECT m\r\nIAP/0.3 Upgrade: TLS/1.0\r\n\r\n");
  EXPECT_TRUE(has_problem(foreign, ProblemKind::Violation, "Upgrade header does not belong"));
  Decoded nolen = decode_whole("Content-Type: application/x-idef-alert\r\n\r\n");
  EXPECT_TRUE(has_problem(nolen, ProblemKind::Violation, "without Content-Length"));
  Decoded junk = decode_whole("IAP/0.3 CONNECT m\r\nthis is no header\r\n\r\n");
  EXPECT_TRUE(has_problem(junk, ProblemKind::Malformed, "not an IAP line"));
  EXPECT_EQ(texts(junk, kLine), std::vector<std::string>{"this is no header"});
}

TEST(IapDecode, BareLfAndStrayBlankLinesAreToleratedDeviations) {
  Decoded d = decode_whole("\r\nIAP/0.3 200\n\n");
  EXPECT_EQ(uint_of(d, kStatusCode), 200u);
  EXPECT_TRUE(has_problem(d, ProblemKind::Deviation, "bare LF"));
  EXPECT_TRUE(has_problem(d, ProblemKind::Deviation, "blank lines before"));
}

TEST(IapDescriptor, NamesPortsAndFieldTable) {
  EXPECT_EQ(P().filter_name, "iapx");
  EXPECT_EQ(P().long_name, "Intrusion Alert Protocol");
  ASSERT_EQ(P().default_tcp_ports.size(), 1u);
  EXPECT_EQ(P().default_tcp_ports[0], 4720);
  EXPECT_EQ(P().fields.size(), size_t(kFieldCount));
  EXPECT_STREQ(def_of(P().fields, kStatusCode).abbrev, "status.code");
  EXPECT_STREQ(name_of(def_of(P().fields, kStatusCode).names, 101), "Switching to TLS");
  EXPECT_STREQ(name_of(def_of(P().fields, kRole).names, 2), "Receiver");
}

}  // namespace
