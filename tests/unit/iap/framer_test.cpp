// IAP framer and heuristic: every prefix, both blank-line forms, lying and absurd
// lengths, garbage, truncation.
#include <gtest/gtest.h>

#include "common/protocol.hpp"
#include "iap/decoder.hpp"
#include "iap_test_util.hpp"

using namespace quartet;
using namespace quartet::iap;
using enum quartet::iap::Field;
using namespace iap_test;

namespace {

std::string transcript_alert() {
  return "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n" + alert64() + "\r\n\r\n";
}
std::string bnf_alert() {
  return "Content-Type: application/x-idef-alert\r\nContent-Length: 64\r\n\r\n" + alert64() + "\r\n\r\n";
}

// Every proper prefix needs more; when the framer already names a total it is
// never beyond the message (no caller waits for bytes that will not come).
void every_prefix(const std::string& msg) {
  for (size_t n = 0; n < msg.size(); ++n) {
    FrameResult r = frame(std::string_view(msg).substr(0, n));
    ASSERT_EQ(r.status, FrameResult::Status::NeedMore) << "prefix " << n << " of " << msg.size();
    EXPECT_LE(r.length, msg.size()) << "prefix " << n;
    if (r.length != 0) {
      EXPECT_GT(r.length, n) << "prefix " << n;
    }
  }
  FrameResult full = frame(msg);
  ASSERT_EQ(full.status, FrameResult::Status::Complete);
  EXPECT_EQ(full.length, msg.size());
  FrameResult more = frame(msg + "IAP/0.3 200\r\n\r\n");
  ASSERT_EQ(more.status, FrameResult::Status::Complete);
  EXPECT_EQ(more.length, msg.size());
}

TEST(IapFramer, EveryPrefixOfEverySetupMessage) {
  every_prefix("IAP/0.3 CONNECT M.DOM.ORG\r\n\r\n");
  every_prefix("IAP/0.3 CONNECT M.DOM.ORG\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n");
  every_prefix("IAP/0.3 200\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n");
  every_prefix("IAP/0.3 Upgrade: TLS/1.0\r\n\r\n");
  every_prefix("IAP/0.3 101\r\n\r\n");
  every_prefix("IAP/0.3 IAP-Version: 0.3\r\nIAP-Role: Sender\r\n\r\n");
}

TEST(IapFramer, EveryPrefixOfBothContentForms) {
  every_prefix(transcript_alert());
  every_prefix(bnf_alert());
  every_prefix("Content-Type: text/xml\r\nContent-Length: 9\r\n<a>x</a>\n\r\n\r\n");
}

TEST(IapFramer, NeedMoreNamesTheTotalOnceContentLengthIsKnown) {
  std::string msg = transcript_alert();
  // Headers + the first body byte: the body start is known, so is the total.
  FrameResult r = frame(std::string_view(msg).substr(0, 61));
  EXPECT_EQ(r.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(r.length, msg.size());
  std::string bnf = bnf_alert();
  FrameResult b = frame(std::string_view(bnf).substr(0, 70));
  EXPECT_EQ(b.status, FrameResult::Status::NeedMore);
  EXPECT_EQ(b.length, bnf.size());
}

TEST(IapFramer, ContentLengthGovernsNotTheLineStructure) {
  // A body full of CRLFs and text lines that look like headers ends where
  // Content-Length says, in the BNF form.
  std::string body = "\r\n\r\nVia: x\r\nIAP/0.3 200\r\n\r\n";
  std::string msg =
      "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body + "\r\n\r\n";
  FrameResult r = frame(msg + "IAP/0.3 200\r\n\r\n");
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, msg.size());
  Decoded d = P().decode(bytes(msg), Direction::ToServer);
  const quartet::Field* f = d.find(kBody);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(msg.substr(f->offset, f->length), body);
}

TEST(IapFramer, TranscriptBodyStartingWithCrlfIsFoundByItsTrailer) {
  // Transcript form whose body begins with CRLF: the blank line is body, which
  // only Content-Length (and the CRLF CRLF after the body) can tell.
  std::string body = "\r\n<alert/>";
  std::string msg = "Content-Type: text/xml\r\nContent-Length: 10\r\n" + body + "\r\n\r\n";
  FrameResult r = frame(msg + "Content-Type: x\r\n");
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, msg.size());
  Decoded d = P().decode(bytes(msg), Direction::ToServer);
  const quartet::Field* f = d.find(kBody);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(msg.substr(f->offset, f->length), body);
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapFramer, LyingContentLengthTooLongSwallowsNoMoreThanItSays) {
  // Declares 70 for a 64-byte body: the message ends 70 bytes after the headers,
  // inside the next message, and the decoder says the length is suspect.
  std::string next = "IAP/0.3 200\r\n\r\n";
  std::string msg = "Content-Type: application/x-idef-alert\r\nContent-Length: 70\r\n" + alert64() + "\r\n\r\n" + next;
  FrameResult r = frame(msg);
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, 60u + 70u);
  Decoded d = P().decode(bytes(std::string_view(msg).substr(0, r.length)), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Violation, "Content-Length may be wrong"));
}

TEST(IapFramer, LyingContentLengthTooShortLeavesGarbageThatIsRejected) {
  std::string msg = "Content-Type: application/x-idef-alert\r\nContent-Length: 10\r\n" + alert64() + "\r\n\r\n";
  FrameResult r = frame(msg);
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, 70u);  // no line end after 10 body bytes: the message stops there
  FrameResult rest = frame(std::string_view(msg).substr(r.length));
  EXPECT_EQ(rest.status, FrameResult::Status::Invalid);
}

TEST(IapFramer, AbsurdNegativeOverflowingAndConflictingLengths) {
  FrameResult big = frame("Content-Type: a/b\r\nContent-Length: 9223372036854775808\r\n\r\n");
  EXPECT_EQ(big.status, FrameResult::Status::Invalid);
  EXPECT_EQ(big.length, 9223372036854775808ull);
  FrameResult over = frame("Content-Length: 99999999999999999999999\r\n\r\n");
  EXPECT_EQ(over.status, FrameResult::Status::Invalid);
  EXPECT_EQ(over.length, ~uint64_t{0});
  FrameResult just = frame("Content-Length: " + std::to_string(kMaxPduBytes + 1) + "\r\n\r\n");
  EXPECT_EQ(just.status, FrameResult::Status::Invalid);
  EXPECT_EQ(just.length, kMaxPduBytes + 1);
  FrameResult neg = frame("Content-Length: -5\r\n\r\n");
  EXPECT_EQ(neg.status, FrameResult::Status::Invalid);
  EXPECT_NE(neg.reason.find("negative"), std::string_view::npos);
  FrameResult word = frame("Content-Length: ten\r\n\r\n");
  EXPECT_EQ(word.status, FrameResult::Status::Invalid);
  FrameResult two = frame("Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello\r\n\r\n");
  EXPECT_EQ(two.status, FrameResult::Status::Invalid);
}

TEST(IapFramer, GarbageAndTlsRecordsAreNotIap) {
  EXPECT_EQ(frame(std::string("\x16\x03\x01\x00\xa5\x01", 6)).status, FrameResult::Status::Invalid);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\n\r\n").status, FrameResult::Status::Invalid);
  EXPECT_EQ(frame(std::string("\x00SP\x00", 4)).status, FrameResult::Status::Invalid);
  // Control bytes inside a setup header block.
  EXPECT_EQ(frame(std::string("IAP/0.3 CONNECT m\x01\r\n\r\n")).status, FrameResult::Status::Invalid);
}

TEST(IapFramer, HeaderBlockWithoutEndIsBounded) {
  std::string s = "IAP/0.3 CONNECT m\r\n";
  while (s.size() <= 16 * 1024) s += "IAP/0.3 Via: proxy.example\r\n";
  FrameResult r = frame(s);
  EXPECT_EQ(r.status, FrameResult::Status::Invalid);
  std::string line(17 * 1024, 'a');
  EXPECT_EQ(frame("IAP/0.3 " + line).status, FrameResult::Status::Invalid);
  EXPECT_EQ(frame("IAP/0.3 CONNECT m\r\n" + std::string(100, 'x')).status, FrameResult::Status::NeedMore);
}

TEST(IapFramer, MissingOrShortTrailerStillFrames) {
  std::string bare = "Content-Length: 3\r\n\r\nabcIAP/0.3 200\r\n\r\n";
  FrameResult r = frame(bare);
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, 24u);
  std::string one = "Content-Length: 3\r\n\r\nabc\r\nIAP/0.3 200\r\n\r\n";
  FrameResult o = frame(one);
  ASSERT_EQ(o.status, FrameResult::Status::Complete);
  EXPECT_EQ(o.length, 26u);
  Decoded d = P().decode(bytes(std::string_view(one).substr(0, o.length)), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Deviation, "one line end"));
}

TEST(IapDecodeMalformed, TruncatedBodyAndHeaderBlock) {
  std::string msg = transcript_alert();
  Decoded d = P().decode(bytes(std::string_view(msg).substr(0, 80)), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Malformed, "20 of the 64 bytes"));
  const quartet::Field* body = d.find(kBody);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->length, 20u);
  Decoded h = P().decode(bytes("IAP/0.3 CONNECT m\r\nIAP/0.3 Via: p"), Direction::ToServer);
  EXPECT_TRUE(has_problem(h, ProblemKind::Malformed, "truncated"));
  EXPECT_EQ(texts(h, kHost), std::vector<std::string>{"m"});
  Decoded g = P().decode(bytes(std::string("\x16\x03\x01", 3)), Direction::ToServer);
  EXPECT_FALSE(g.problems.empty());
  EXPECT_EQ(g.problems[0].kind, ProblemKind::Malformed);
}

TEST(IapDecodeMalformed, EveryPrefixDecodesWithAProblemAndNeverPastItsBytes) {
  // A proper prefix of one message is truncated, and says so; the whole message has
  // no problem. The bytes of a second message after a complete first one are
  // reported as extra bytes (the decoder is given one PDU at a time).
  const std::string connect = "IAP/0.3 CONNECT M.DOM.ORG\r\nIAP/0.3 Via: P.DOM.ORG\r\n\r\n";
  for (const std::string& one : {connect, transcript_alert(), bnf_alert()}) {
    for (size_t n = 0; n <= one.size(); ++n) {
      Decoded d = P().decode(bytes(std::string_view(one).substr(0, n)), Direction::ToServer);
      for (const auto& f : d.fields) EXPECT_LE(size_t{f.offset} + f.length, n) << "prefix " << n;
      const bool has_body = one.find("Content-Length: 64") != std::string::npos;
      if (has_body && n >= one.size() - 4) {
        // Only the closing blank line is missing: Content-Length says the body is
        // complete, and the decoder takes all of it (the framer waits for the
        // blank line, so it never hands over such a prefix from a live stream).
        const quartet::Field* body = d.find(kBody);
        ASSERT_NE(body, nullptr) << "prefix " << n;
        EXPECT_EQ(body->length, 64u) << "prefix " << n;
      } else if (n < one.size()) {
        EXPECT_TRUE(has_problem(d, ProblemKind::Malformed, "truncated")) << "prefix " << n << " of " << one.size();
      } else {
        EXPECT_TRUE(d.problems.empty()) << d.problems.front().text;
      }
    }
  }
  const std::string two = connect + transcript_alert();
  for (size_t n = connect.size() + 1; n <= two.size(); ++n) {
    Decoded d = P().decode(bytes(std::string_view(two).substr(0, n)), Direction::ToServer);
    for (const auto& f : d.fields) EXPECT_LE(size_t{f.offset} + f.length, n) << "prefix " << n;
    EXPECT_TRUE(has_problem(d, ProblemKind::Malformed,
                            std::to_string(n - connect.size()) + (n - connect.size() == 1 ? " byte" : " bytes") +
                                " after the end of the message"))
        << "prefix " << n;
  }
}

TEST(IapProbe, VersionLinesAndContentStarts) {
  EXPECT_EQ(P().probe(bytes("IAP/0.3 CONNECT x\r\n")), Probe::Yes);
  EXPECT_EQ(P().probe(bytes("IAP/1")), Probe::Yes);
  EXPECT_EQ(P().probe(bytes("IA")), Probe::NeedMore);
  EXPECT_EQ(P().probe(bytes("IAP/")), Probe::NeedMore);
  EXPECT_EQ(P().probe(bytes("")), Probe::NeedMore);
  EXPECT_EQ(P().probe(bytes("content-type: application/x-idef-alert\r\n")), Probe::Yes);
  EXPECT_EQ(P().probe(bytes("Content-Length: 64\r\n")), Probe::Yes);
  EXPECT_EQ(P().probe(bytes("Content-")), Probe::NeedMore);
  EXPECT_EQ(P().probe(bytes("IAP/x")), Probe::No);
  EXPECT_EQ(P().probe(bytes("GET / HTTP/1.1\r\n")), Probe::No);
  EXPECT_EQ(P().probe(bytes(std::string("\x16\x03\x01", 3))), Probe::No);
  EXPECT_EQ(P().probe(bytes(std::string("\x00SP\x00", 4))), Probe::No);
}

}  // namespace
