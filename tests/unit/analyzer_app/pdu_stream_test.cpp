// PduStream: zero-copy framing, reassembly across chunks, Invalid and gap handling.
#include <gtest/gtest.h>

#include "fake_protocols.hpp"
#include "pdu_stream.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

struct Recorder : PduHandler {
  std::vector<std::string> pdus;
  std::vector<const std::byte*> where;
  std::vector<std::string> warnings;
  std::string stop_at;  // on_pdu returns false for this PDU
  bool on_pdu(Bytes pdu, TimeNs) override {
    pdus.emplace_back(as_text(pdu));
    where.push_back(pdu.data());
    return pdus.back() != stop_at;
  }
  void on_stream_warning(std::string text, TimeNs) override { warnings.push_back(std::move(text)); }
};

TEST(PduStream, WholePdusInOneChunkAreViewsOfTheChunk) {
  PduStream st(fake::kLen);
  Recorder r;
  const std::string chunk = fake::len_pdu("HELLO") + fake::len_pdu("WORLD") + fake::len_pdu("X");
  st.feed(fake::bytes(chunk), 1, r);
  ASSERT_EQ(r.pdus.size(), 3u);
  EXPECT_EQ(r.pdus[1], fake::len_pdu("WORLD"));
  EXPECT_EQ(r.where[0], reinterpret_cast<const std::byte*>(chunk.data()));
  EXPECT_EQ(r.where[2], reinterpret_cast<const std::byte*>(chunk.data()) + 14);
  EXPECT_EQ(st.buffered(), 0u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(PduStream, PduSplitByteByByteIsReassembled) {
  PduStream st(fake::kLen);
  Recorder r;
  const std::string all = fake::len_pdu("ABCDEFGH") + fake::len_pdu("IJ");
  for (char c : all) st.feed(as_bytes(std::string_view(&c, 1)), 1, r);
  ASSERT_EQ(r.pdus.size(), 2u);
  EXPECT_EQ(r.pdus[0], fake::len_pdu("ABCDEFGH"));
  EXPECT_EQ(r.pdus[1], fake::len_pdu("IJ"));
  EXPECT_EQ(st.buffered(), 0u);
}

TEST(PduStream, TailOfOneChunkCompletedByTheNextThenZeroCopyAgain) {
  PduStream st(fake::kLen);
  Recorder r;
  const std::string a = fake::len_pdu("FIRST"), b = fake::len_pdu("SECOND"), c = fake::len_pdu("THIRD");
  const std::string chunk1 = a + b.substr(0, 3);
  const std::string chunk2 = b.substr(3) + c;
  st.feed(fake::bytes(chunk1), 1, r);
  EXPECT_EQ(st.buffered(), 3u);
  st.feed(fake::bytes(chunk2), 2, r);
  ASSERT_EQ(r.pdus.size(), 3u);
  EXPECT_EQ(r.pdus[1], b);
  // The PDU after the split one is framed in place, in chunk2.
  EXPECT_EQ(r.where[2], reinterpret_cast<const std::byte*>(chunk2.data()) + (b.size() - 3));
}

TEST(PduStream, BinaryInvalidStopsTheDirection) {
  PduStream st(fake::kLen);
  Recorder r;
  st.feed(fake::bytes(fake::len_pdu("OK") + "\xff\xff" + fake::len_pdu("LOST")), 1, r);
  ASSERT_EQ(r.pdus.size(), 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("bad marker"), std::string::npos);
  EXPECT_NE(r.warnings[0].find("stopped"), std::string::npos);
  EXPECT_TRUE(st.stopped());
  st.feed(fake::bytes(fake::len_pdu("MORE")), 2, r);
  EXPECT_EQ(r.pdus.size(), 1u);
}

TEST(PduStream, DeclaredLengthBeyondLimitIsInvalidNotBuffered) {
  // A framer that claims 2^40 bytes: reported, nothing allocated.
  Recorder r;
  struct Huge {
    static FrameResult frame(Bytes) { return FrameResult::need(uint64_t{1} << 40); }
  };
  Protocol p = fake::kLen;
  p.frame = Huge::frame;
  PduStream big(p);
  big.feed(fake::bytes("abc"), 1, r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("1099511627776"), std::string::npos);
  EXPECT_EQ(big.buffered(), 0u);
}

TEST(PduStream, TextInvalidSkipsToNextLineAndResumes) {
  PduStream st(fake::kTxt);
  Recorder r;
  st.feed(fake::bytes("HELLO\n!garbage line\nWORLD\n"), 1, r);
  ASSERT_EQ(r.pdus.size(), 2u);
  EXPECT_EQ(r.pdus[1], "WORLD\n");
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("line starts with !"), std::string::npos);
  EXPECT_EQ(r.warnings[1], "resynchronised after skipping 14 bytes");
}

TEST(PduStream, TextResyncSkipsLinesTheProbeRejects) {
  PduStream st(fake::kTxt);
  Recorder r;
  // After the bad line, "lower" lines are rejected by the probe until "NEXT".
  st.feed(fake::bytes("!bad\nlower one\nlower"), 1, r);
  EXPECT_TRUE(r.pdus.empty());
  st.feed(fake::bytes(" two\nNEXT\n"), 2, r);
  ASSERT_EQ(r.pdus.size(), 1u);
  EXPECT_EQ(r.pdus[0], "NEXT\n");
  EXPECT_EQ(r.warnings.back(), "resynchronised after skipping 25 bytes");
}

TEST(PduStream, BinaryGapResumesWhenAPduStartsRightAfterIt) {
  PduStream st(fake::kLenResync);
  Recorder r;
  const std::string a = fake::len_pdu("ALPHA");
  st.feed(fake::bytes(a.substr(0, 4)), 1, r);  // partial PDU, then bytes lost
  st.gap(2, r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "partial PDU of 4 bytes dropped at the gap");
  st.feed(fake::bytes(fake::len_pdu("BETA") + fake::len_pdu("GAMMA")), 3, r);
  ASSERT_EQ(r.pdus.size(), 2u);
  EXPECT_EQ(r.pdus[0], fake::len_pdu("BETA"));
  EXPECT_FALSE(st.stopped());
}

// Without a resync hook (SP) nothing is looked for after a gap.
TEST(PduStream, BinaryGapWithoutResyncHookStops) {
  PduStream st(fake::kLen);
  Recorder r;
  st.gap(1, r);
  st.feed(fake::bytes(std::string("xyz") + fake::len_pdu("BETA")), 2, r);
  EXPECT_TRUE(r.pdus.empty());
  EXPECT_TRUE(st.stopped());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("no PDU start found after the gap"), std::string::npos);
}

TEST(PduStream, BinaryWithResyncHookFindsTheNextHeaderAfterAGap) {
  PduStream st(fake::kLenResync);
  Recorder r;
  st.gap(1, r);
  st.feed(fake::bytes(std::string("xyz") + fake::len_pdu("BETA")), 2, r);
  ASSERT_EQ(r.pdus.size(), 1u);
  EXPECT_EQ(r.pdus[0], fake::len_pdu("BETA"));
  EXPECT_EQ(r.warnings.back(), "resynchronised after skipping 3 bytes");
  EXPECT_FALSE(st.stopped());
}

TEST(PduStream, BinaryWithResyncHookSkipsAnInvalidFrameAcrossChunks) {
  PduStream st(fake::kLenResync);
  Recorder r;
  // 0xff: the framer's invalid marker; the next header starts in the second chunk.
  st.feed(fake::bytes(fake::len_pdu("ONE") + "\xff\x01q"), 1, r);
  st.feed(fake::bytes("rs" + fake::len_pdu("TWO")), 2, r);
  ASSERT_EQ(r.pdus.size(), 2u);
  EXPECT_EQ(r.pdus[1], fake::len_pdu("TWO"));
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("bad marker; looking for the next message"), std::string::npos);
  EXPECT_EQ(r.warnings[1], "resynchronised after skipping 5 bytes");
}

TEST(PduStream, TextGapSkipsThePartialLine) {
  PduStream st(fake::kTxt);
  Recorder r;
  st.feed(fake::bytes("HEL"), 1, r);
  st.gap(2, r);
  st.feed(fake::bytes("tail of a line\nAFTER\n"), 3, r);
  ASSERT_EQ(r.pdus.size(), 1u);
  EXPECT_EQ(r.pdus[0], "AFTER\n");
  EXPECT_EQ(r.warnings.front(), "partial PDU of 3 bytes dropped at the gap");
  EXPECT_EQ(r.warnings.back(), "resynchronised after skipping 15 bytes");
}

TEST(PduStream, HandlerStopHandsTheRestBack) {
  PduStream st(fake::kLen);
  Recorder r;
  r.stop_at = fake::len_pdu("STARTTLS");
  const std::string chunk = fake::len_pdu("STARTTLS") + "\x16\x03\x01";
  Bytes rest = st.feed(fake::bytes(chunk), 1, r);
  EXPECT_EQ(r.pdus.size(), 1u);
  EXPECT_EQ(as_text(rest), "\x16\x03\x01");
  EXPECT_TRUE(st.stopped());
}

TEST(PduStream, HandlerStopInsideBufferKeepsTheBufferedRest) {
  PduStream st(fake::kLen);
  Recorder r;
  const std::string p = fake::len_pdu("STARTTLS");
  r.stop_at = p;
  st.feed(fake::bytes(p.substr(0, 5)), 1, r);
  const std::string chunk = p.substr(5) + "TLSBYTES";
  Bytes rest = st.feed(fake::bytes(chunk), 2, r);
  ASSERT_EQ(r.pdus.size(), 1u);
  // The stream appended only what the PDU needed, so the rest is still in the chunk.
  EXPECT_EQ(as_text(rest), "TLSBYTES");
  EXPECT_TRUE(st.take_buffered().empty());
}

TEST(PduStream, TextWithoutLineEndIsBoundedNotBufferedForever) {
  PduStream st(fake::kTxt);
  Recorder r;
  const std::string block(64 * 1024, 'A');
  for (int i = 0; i < 20; ++i) st.feed(fake::bytes(block), i, r);  // 1.25 MiB, no newline
  EXPECT_LE(st.buffered(), PduStream::kMaxUnknownLength + block.size());
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].find("no PDU boundary within the buffer limit"), std::string::npos);
}

// A 4-byte big-endian length that counts itself, for PDUs of megabytes (kLen's is 16 bits).
struct Len32 {
  static FrameResult frame(Bytes b) {
    if (b.size() < 4) return FrameResult::need(0);
    const uint64_t n = uint64_t{std::to_integer<uint8_t>(b[0])} << 24 | uint64_t{std::to_integer<uint8_t>(b[1])} << 16 |
                       uint64_t{std::to_integer<uint8_t>(b[2])} << 8 | std::to_integer<uint8_t>(b[3]);
    if (n < 4) return FrameResult::invalid("short", n);
    return n <= b.size() ? FrameResult::complete(n) : FrameResult::need(n);
  }
  static Protocol protocol() {
    Protocol p = fake::kLen;
    p.frame = frame;
    return p;
  }
  static std::string pdu(size_t total, char fill) {
    std::string s(total, fill);
    for (int i = 0; i < 4; ++i) s[static_cast<size_t>(i)] = static_cast<char>(total >> (24 - 8 * i) & 0xff);
    return s;
  }
};

// Feeds `s` in chunks of `step` bytes.
void feed_in_steps(PduStream& st, std::string_view s, size_t step, PduHandler& h) {
  for (size_t at = 0; at < s.size(); at += step) st.feed(as_bytes(s.substr(at, step)), 1, h);
}

TEST(PduStream, DeclaredLengthIsNotAllocatedBeforeItsBytesCome) {
  // 16 MiB declared, 100 bytes sent (a length that lies, or a peer that stops):
  // the buffer holds about what came, not the 16 MiB.
  const Protocol p = Len32::protocol();
  PduStream st(p);
  Recorder r;
  const std::string big = Len32::pdu(16u << 20, 'x');
  st.feed(as_bytes(std::string_view(big).substr(0, 100)), 1, r);
  EXPECT_EQ(st.buffered(), 100u);
  EXPECT_LE(st.memory_held(), 4096u);
  // Once kTrustedLengthBytes are here, the buffer's next growth is to the whole PDU.
  feed_in_steps(st, std::string_view(big).substr(100, 2 * PduStream::kTrustedLengthBytes), 1460, r);
  EXPECT_GE(st.memory_held(), big.size());
  EXPECT_TRUE(r.pdus.empty());
  EXPECT_TRUE(r.warnings.empty());
}

TEST(PduStream, LargePduIsWholeAndItsBufferGivenBackAfterIt) {
  const Protocol p = Len32::protocol();
  PduStream st(p);
  Recorder r;
  const std::string big = Len32::pdu(3u << 20, 'L'), small = Len32::pdu(10, 's');
  feed_in_steps(st, big + small, 1460, r);
  ASSERT_EQ(r.pdus.size(), 2u);
  EXPECT_EQ(r.pdus[0], big);
  EXPECT_EQ(r.pdus[1], small);
  EXPECT_EQ(st.buffered(), 0u);
  // An open connection that carried one 3 MiB message does not keep 3 MiB.
  EXPECT_LE(st.memory_held(), PduStream::kKeptBufferBytes);
  // Split PDUs up to kKeptBufferBytes keep their buffer (no allocation per PDU).
  const std::string mid = Len32::pdu(PduStream::kKeptBufferBytes / 2, 'm');
  feed_in_steps(st, mid + mid, 1000, r);
  ASSERT_EQ(r.pdus.size(), 4u);
  EXPECT_EQ(r.pdus[3], mid);
  EXPECT_GT(st.memory_held(), 0u);
}

TEST(PduStream, LargePartialPduDroppedAtAGapGivesItsBufferBack) {
  const Protocol p = Len32::protocol();
  PduStream st(p);
  Recorder r;
  const std::string big = Len32::pdu(2u << 20, 'g');
  feed_in_steps(st, std::string_view(big).substr(0, 1u << 20), 1460, r);
  EXPECT_GE(st.memory_held(), big.size());
  st.gap(2, r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "partial PDU of 1048576 bytes dropped at the gap");
  EXPECT_LE(st.memory_held(), PduStream::kKeptBufferBytes);
}

TEST(PduStream, UnfinishedPduIsNamedWithWhatCameOfIt) {
  const Protocol p = Len32::protocol();
  PduStream st(p);
  Recorder r;
  EXPECT_EQ(st.unfinished_pdu("the end of the capture"), "");  // nothing begun
  const std::string big = Len32::pdu(5000, 'u');
  st.feed(as_bytes(std::string_view(big).substr(0, 1460)), 1, r);
  EXPECT_EQ(st.unfinished_pdu("the end of the capture"),
            "LEN message cut short by the end of the capture: 1460 of 5000 bytes");
  st.feed(as_bytes(std::string_view(big).substr(1460)), 2, r);
  EXPECT_EQ(st.unfinished_pdu("the connection's close"), "");  // finished: decoded
  // A length not yet known (two bytes of a four-byte length field).
  st.feed(as_bytes(std::string_view(big).substr(0, 2)), 3, r);
  EXPECT_EQ(st.unfinished_pdu("the connection's reset"),
            "LEN message cut short by the connection's reset: 2 bytes, its end not seen");
  // Bytes skipped while resynchronising are no message.
  PduStream text(fake::kTxt);
  text.feed(fake::bytes("!bad line without its end"), 1, r);
  EXPECT_EQ(text.unfinished_pdu("the end of the capture"), "");
}

}  // namespace

TEST(PduStream, PartialPdusOfAllStreamsStayWithinTheirBudget) {
  // Three connections each send most of a 100 KiB message at once, in turns, with a
  // budget for 250 KiB: the third message's bytes would pass it, so that message is
  // given up (said, the rest of it skipped) and the message after it decodes. The first
  // two, whole in the end, decode; what is held never passes the limit.
  const Protocol p = Len32::protocol();
  PduBudget budget{.limit = 250u << 10};
  PduStream a(p, &budget), b(p, &budget), c(p, &budget);
  Recorder ra, rb, rc;
  const std::string big = Len32::pdu(100u << 10, 'B'), next = Len32::pdu(10, 'n');
  size_t peak = 0;
  for (size_t at = 0; at < big.size(); at += 1460) {
    for (auto [st, r] : {std::pair{&a, &ra}, std::pair{&b, &rb}, std::pair{&c, &rc}}) {
      st->feed(as_bytes(std::string_view(big).substr(at, 1460)), 1, *r);
      peak = std::max(peak, budget.held.load());
    }
  }
  for (auto [st, r] : {std::pair{&a, &ra}, std::pair{&b, &rb}, std::pair{&c, &rc}}) st->feed(fake::bytes(next), 2, *r);
  EXPECT_LE(peak, budget.limit);
  EXPECT_EQ(ra.pdus, (std::vector<std::string>{big, next}));
  EXPECT_EQ(rb.pdus, (std::vector<std::string>{big, next}));
  EXPECT_TRUE(ra.warnings.empty());
  ASSERT_EQ(rc.warnings.size(), 1u);
  EXPECT_EQ(rc.pdus, std::vector<std::string>{next});
  EXPECT_TRUE(
      rc.warnings[0].starts_with("LEN message of 102400 bytes not decoded: the partial messages held in memory "
                                 "reach their budget of 250 KiB; skipping its other "))
      << rc.warnings[0];
  // Each stream's buffer went back to the budget when its message ended.
  EXPECT_EQ(budget.held, a.memory_held() + b.memory_held() + c.memory_held());
}

TEST(PduStream, BudgetCountsBuffersUntilTheStreamsAreGone) {
  const Protocol p = Len32::protocol();
  PduBudget budget;
  {
    PduStream st(p, &budget);
    Recorder r;
    const std::string big = Len32::pdu(1u << 20, 'x');
    st.feed(as_bytes(std::string_view(big).substr(0, 50'000)), 1, r);
    EXPECT_EQ(budget.held, st.memory_held());
    EXPECT_GE(budget.held, 50'000u);
    PduStream moved(std::move(st));  // as a connection's stream is kept once made
    EXPECT_EQ(budget.held, moved.memory_held());
    EXPECT_EQ(st.memory_held(), 0u);
  }
  EXPECT_EQ(budget.held, 0u);
}

TEST(PduStream, TextWithoutItsEndPastTheBudgetResynchronises) {
  // A line protocol's PDU has no length until its end: given up, the stream looks for
  // the next line that can start one, as after invalid bytes.
  PduBudget budget{.limit = 4096};
  PduStream st(fake::kTxt, &budget);
  Recorder r;
  for (int i = 0; i < 10; ++i) st.feed(fake::bytes(std::string(1000, 'A')), 1, r);
  st.feed(fake::bytes("\nNEXT LINE\n"), 2, r);
  ASSERT_EQ(r.warnings.size(), 2u) << r.warnings[0];
  EXPECT_TRUE(r.warnings[0].starts_with("TXT message of unknown length (")) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("; skipping to the next line"), std::string::npos) << r.warnings[0];
  EXPECT_TRUE(r.warnings[1].starts_with("resynchronised after skipping ")) << r.warnings[1];
  EXPECT_EQ(r.pdus, std::vector<std::string>{"NEXT LINE\n"});
  EXPECT_LE(budget.held, budget.limit);
}
