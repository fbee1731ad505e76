// SP/TCP framing: the 8-byte header, 64-bit length-prefixed messages, lengths
// that cannot be buffered, and every prefix of a stream.
#include <gtest/gtest.h>

#include <vector>

#include "sp/types.hpp"
#include "sp/framer.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;
using Status = FrameResult::Status;

TEST(SpFramer, HeaderIsOnePduOfEightBytes) {
  std::string h = header(sp::kReq) + message("xx");
  FrameResult r = sp::frame(bytes(h));
  EXPECT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.length, 8u);
}

TEST(SpFramer, HeaderPrefixNeedsEightBytes) {
  std::string h = header(sp::kRep);
  for (size_t n = 2; n < 8; ++n) {
    FrameResult r = sp::frame(bytes(h).first(n));
    EXPECT_EQ(r.status, Status::NeedMore) << n;
    EXPECT_EQ(r.length, 8u) << n;
  }
  // One zero byte could start a header or a message length: total unknown.
  FrameResult one = sp::frame(bytes(h).first(1));
  EXPECT_EQ(one.status, Status::NeedMore);
  EXPECT_EQ(one.length, 0u);
  EXPECT_EQ(sp::frame({}).status, Status::NeedMore);
}

TEST(SpFramer, HeaderWithBadVersionOrReservedIsStillCutAtEight) {
  std::string h = hex("00 53 50 01 00 30 12 34");
  FrameResult r = sp::frame(bytes(h));
  EXPECT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.length, 8u);
}

TEST(SpFramer, MessageNeedsLengthThenTotal) {
  std::string m = message("hello");  // 8 + 5
  EXPECT_EQ(sp::frame(bytes(m).first(7)).length, 0u);
  FrameResult r = sp::frame(bytes(m).first(8));
  EXPECT_EQ(r.status, Status::NeedMore);
  EXPECT_EQ(r.length, 13u);
  r = sp::frame(bytes(m));
  EXPECT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.length, 13u);
}

TEST(SpFramer, EmptyMessageIsEightBytes) {
  std::string m = message("");
  FrameResult r = sp::frame(bytes(m));
  EXPECT_EQ(r.status, Status::Complete);
  EXPECT_EQ(r.length, 8u);
}

TEST(SpFramer, HugeLengthsAreInvalidWithTheDeclaredValue) {
  // Only the 8 length bytes are present: the framer must judge without waiting
  // for (or allocating) 2^63 bytes.
  for (uint64_t declared : {uint64_t{1} << 63, ~uint64_t{0}, uint64_t{1} << 32, uint64_t{kMaxPduBytes} - 7}) {
    std::string m = be64(declared);
    FrameResult r = sp::frame(bytes(m));
    EXPECT_EQ(r.status, Status::Invalid) << declared;
    EXPECT_EQ(r.length, declared);
    EXPECT_FALSE(r.reason.empty());
  }
}

TEST(SpFramer, LargestAcceptedLengthFillsKMaxPduBytes) {
  std::string m = be64(kMaxPduBytes - 8);
  FrameResult r = sp::frame(bytes(m));
  EXPECT_EQ(r.status, Status::NeedMore);
  EXPECT_EQ(r.length, kMaxPduBytes);
}

TEST(SpFramer, NearMissMagicIsAMessageWithAnImpossibleLength) {
  std::string m = hex("00 53 51 00 00 30 00 00");
  EXPECT_EQ(sp::frame(bytes(m)).status, Status::Invalid);
}

namespace {

// Cuts a stream into PDUs the way the analyzer's reassembler does.
std::vector<size_t> cut(const std::string& stream) {
  std::vector<size_t> lengths;
  size_t pos = 0;
  while (pos < stream.size()) {
    FrameResult r = sp::frame(bytes(stream).subspan(pos));
    if (r.status != Status::Complete) break;
    lengths.push_back(static_cast<size_t>(r.length));
    pos += static_cast<size_t>(r.length);
  }
  return lengths;
}

}  // namespace

TEST(SpFramer, SeveralMessagesInOneBuffer) {
  std::string stream = header(sp::kPub) + message("a") + message("") + message(std::string(300, 'x'));
  EXPECT_EQ(cut(stream), (std::vector<size_t>{8, 9, 8, 308}));
}

TEST(SpFramer, EveryPrefixOfAStream) {
  // Feed one byte at a time: at each step the framer must say NeedMore until
  // the PDU is whole, then Complete with exactly its length, never more than
  // it was given.
  std::string stream =
      header(sp::kReq) + message(be32(0x80000001) + "ping") + message(be32(0x80000002) + std::string(70, 'y'));
  const std::vector<size_t> expected = {8, 16, 82};
  std::string buf;
  std::vector<size_t> got;
  for (char c : stream) {
    buf.push_back(c);
    for (;;) {
      FrameResult r = sp::frame(bytes(buf));
      ASSERT_NE(r.status, Status::Invalid) << buf.size();
      if (r.status == Status::NeedMore) {
        if (r.length) {
          EXPECT_GT(r.length, buf.size());
        }
        break;
      }
      ASSERT_LE(r.length, buf.size());
      got.push_back(static_cast<size_t>(r.length));
      buf.erase(0, static_cast<size_t>(r.length));
    }
  }
  EXPECT_TRUE(buf.empty());
  EXPECT_EQ(got, expected);
}

TEST(SpProbe, YesOnAWholeHeaderOnly) {
  std::string h = header(sp::kSurveyor) + message("x");
  EXPECT_EQ(sp::probe(bytes(h)), Probe::Yes);
  for (size_t n = 0; n < 8; ++n) EXPECT_EQ(sp::probe(bytes(h).first(n)), Probe::NeedMore) << n;
  EXPECT_EQ(sp::probe(bytes(hex("00 53 50 01 00 30 00 00"))), Probe::No);  // version 1
  EXPECT_EQ(sp::probe(bytes(hex("00 53 50 00 00 30 00 01"))), Probe::No);  // reserved
  EXPECT_EQ(sp::probe(bytes(hex("00 53 51"))), Probe::No);
  std::string http = "GET / HTTP/1.1\r\n";
  EXPECT_EQ(sp::probe(bytes(http)), Probe::No);
  EXPECT_EQ(sp::probe(bytes(message("hello"))), Probe::No);
}
