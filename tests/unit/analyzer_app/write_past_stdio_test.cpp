// FileSink: small writes through stdio, large ones on the descriptor past stdio's
// buffer (write_past_stdio), in the order they were made; errors reach the stream.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "output.hpp"
#include "sink_harness.hpp"
#include "write_past_stdio.hpp"

using namespace quartet::analyzer;

namespace {

std::string file_text(std::FILE* f) {
  std::fflush(f);
  std::string s;
  char buf[65536];
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(fileno(f), buf, sizeof buf, at);
    if (n <= 0) return s;
    s.append(buf, static_cast<size_t>(n));
    at += n;
  }
}

// Pieces of every size class in turn: below the threshold (stdio), at it and past
// it (the descriptor), so each kind follows the other.
std::string write_mixed(ByteSink& sink) {
  std::string expect;
  const size_t from = FileSink::kPastStdioFrom;
  const size_t sizes[] = {5, from, 7, from - 1, 3 * from + 11, 1, 1, from + 1, 100};
  char c = 'a';
  for (const size_t n : sizes) {
    const std::string piece(n, c);
    c = c == 'z' ? 'a' : static_cast<char>(c + 1);
    sink.write(piece.data(), piece.size());
    expect += piece;
  }
  return expect;
}

TEST(WritePastStdio, LargeAndSmallWritesComeOutInOrder) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  FileSink sink(f);
  const std::string expect = write_mixed(sink);
  sink.flush();
  EXPECT_EQ(file_text(f), expect);
  std::fclose(f);
}

TEST(WritePastStdio, AStreamWithoutADescriptorTakesItAllThroughStdio) {
  harness::MemFile mem;
  ASSERT_NE(mem.f, nullptr);
  ASSERT_LT(fileno(mem.f), 0);
  FileSink sink(mem.f);
  const std::string expect = write_mixed(sink);
  EXPECT_EQ(mem.text(), expect);
}

// A failed write (a full disk) is left to stdio, whose error flag main reports.
TEST(WritePastStdio, WriteErrorsReachTheStream) {
  std::FILE* f = std::fopen("/dev/full", "w");
  if (!f) GTEST_SKIP() << "no /dev/full";
  FileSink sink(f);
  const std::string large(FileSink::kPastStdioFrom * 2, 'x');
  sink.write(large.data(), large.size());
  sink.flush();
  EXPECT_TRUE(std::ferror(f));
  std::fclose(f);
}

// Several pieces in one call, after what stdio holds.
TEST(WritePastStdio, PiecesFollowWhatStdioHolds) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  std::fputs("head;", f);
  std::string one(70000, '1'), two = "two;", three(5, '3');
  iovec v[] = {{one.data(), one.size()}, {two.data(), two.size()}, {three.data(), three.size()}};
  write_past_stdio(f, fileno(f), v, 3);
  std::fputs(";tail", f);
  EXPECT_EQ(file_text(f), "head;" + one + two + three + ";tail");
  std::fclose(f);
}

}  // namespace
