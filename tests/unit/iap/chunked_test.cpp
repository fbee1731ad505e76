// Chunked-Body (draft 4.2 imports it from HTTP/1.1): framing, fields, lies.
#include <gtest/gtest.h>

#include "common/protocol.hpp"
#include "iap/decoder.hpp"
#include "iap_test_util.hpp"

using namespace quartet;
using namespace quartet::iap;
using enum quartet::iap::Field;
using namespace iap_test;

namespace {

const std::string kChunked =
    "Content-Type: application/x-idef-alert\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n"
    "7;note=x\r\n, world\r\n"
    "0\r\nX-Check: 1\r\n\r\n"
    "\r\n\r\n";

TEST(IapChunked, FramesEveryPrefixAndDecodesChunks) {
  // The last chunk ends the body: the framer does not wait for the CRLF CRLF after it.
  const size_t last_chunk_end = kChunked.size() - 4;
  for (size_t n = 0; n < last_chunk_end; ++n) {
    FrameResult r = frame(std::string_view(kChunked).substr(0, n));
    ASSERT_EQ(r.status, FrameResult::Status::NeedMore) << n;
    EXPECT_LE(r.length, kChunked.size()) << n;
  }
  for (size_t n : {last_chunk_end, last_chunk_end + 2}) {
    FrameResult r = frame(std::string_view(kChunked).substr(0, n));
    ASSERT_EQ(r.status, FrameResult::Status::Complete) << n;
    EXPECT_EQ(r.length, n);
  }
  FrameResult r = frame(kChunked + "IAP/0.3 200\r\n\r\n");
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, kChunked.size());

  Decoded d = P().decode(bytes(kChunked), Direction::ToServer);
  EXPECT_EQ(d.summary, "Alert application/x-idef-alert 12 bytes chunked");
  EXPECT_EQ(texts(d, kTransferEncoding), std::vector<std::string>{"chunked"});
  std::vector<uint64_t> sizes;
  std::string data;
  for (const auto& f : d.fields) {
    if (f.is(kChunkSize)) sizes.push_back(*f.uint());
    if (f.is(kChunkData)) data += kChunked.substr(f.offset, f.length);
  }
  EXPECT_EQ(sizes, (std::vector<uint64_t>{5, 7, 0}));
  EXPECT_EQ(data, "hello, world");
  EXPECT_TRUE(d.problems.empty()) << d.problems[0].text;
}

TEST(IapChunked, TranscriptFormWithoutBlankLine) {
  std::string msg = "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n3\r\nabc\r\n0\r\n\r\n";
  FrameResult r = frame(msg + "Content-Type: x\r\n");
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, msg.size());
  Decoded d = P().decode(bytes(msg), Direction::ToServer);
  EXPECT_EQ(d.summary, "Content text/plain 3 bytes chunked");
}

TEST(IapChunked, LiesAndAbsurdSizes) {
  // The chunk says 9 but only 5 bytes precede the CRLF: the next bytes are no line end.
  EXPECT_EQ(frame("Transfer-Encoding: chunked\r\n\r\n9\r\nhello\r\n0\r\n\r\n").status, FrameResult::Status::Invalid);
  FrameResult big = frame("Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n");
  EXPECT_EQ(big.status, FrameResult::Status::Invalid);
  FrameResult large = frame("Transfer-Encoding: chunked\r\n\r\n7fffffff\r\n");
  EXPECT_EQ(large.status, FrameResult::Status::Invalid);
  EXPECT_EQ(large.length, 0x7fffffffu);
  EXPECT_EQ(frame("Transfer-Encoding: chunked\r\n\r\nzz\r\n").status, FrameResult::Status::Invalid);
  // Content-Length governs when both are present, and the pair is reported.
  std::string both = "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc\r\n\r\n";
  FrameResult r = frame(both);
  ASSERT_EQ(r.status, FrameResult::Status::Complete);
  EXPECT_EQ(r.length, both.size());
  Decoded d = P().decode(bytes(both), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Violation, "Content-Length governs"));
}

TEST(IapChunked, TruncatedChunkedBodyKeepsTheCompleteChunks) {
  std::string cut = kChunked.substr(0, 90);
  Decoded d = P().decode(bytes(cut), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Malformed, "no last chunk"));
  EXPECT_EQ(uint_of(d, kChunkSize), 5u);
}

TEST(IapChunked, OtherTransferCodingsAreUnknown) {
  Decoded d = P().decode(bytes("Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nab\r\n\r\n"), Direction::ToServer);
  EXPECT_TRUE(has_problem(d, ProblemKind::Unknown, "gzip"));
  EXPECT_EQ(uint_of(d, kContentLength), 2u);
}

}  // namespace
