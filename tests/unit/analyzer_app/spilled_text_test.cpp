// SpilledText: the HTML report's sessions table, moved to a scratch file as it
// grows, comes back whole and in order; when the disk is full it stays in memory.
#include "spilled_text.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "sink_harness.hpp"

namespace quartet::analyzer {
namespace {

// Rows of varied lengths, numbered, so that a lost, doubled or reordered piece shows.
std::string append_rows(SpilledText& t, size_t rows, bool bounded = true) {
  std::string expected;
  for (size_t i = 0; i < rows; ++i) {
    const std::string row = std::string(i ? ",[" : "[") + std::to_string(i) + ",\"" +
                            std::string(i % 97, static_cast<char>('a' + i % 26)) + "\"]";
    t.text() += row;
    expected += row;
    t.spill_when_full();
    if (bounded) {
      EXPECT_LT(t.text().size(), SpilledText::kMemory + 200) << "row " << i;
    }
  }
  return expected;
}

TEST(SpilledText, ComesBackWholeAndInOrderAcrossSpills) {
  for (size_t rows : {size_t{0}, size_t{3}, size_t{40000}}) {
    SpilledText t;
    const std::string expected = append_rows(t, rows);
    if (rows == 40000) {
      EXPECT_GT(expected.size(), 4 * SpilledText::kMemory);  // several spills, and a rest in memory
      EXPECT_LT(t.text().size(), SpilledText::kMemory);
    }
    harness::MemFile out;
    std::fputs("before|", out.f);
    t.write_to(out.f);
    std::fputs("|after", out.f);
    EXPECT_EQ(out.text(), "before|" + expected + "|after") << rows << " rows";
  }
}

// Run in a child process: the disk is full (a file size limit of one byte) from the
// first spill. The text then stays in memory, and comes back the same.
[[noreturn]] void spill_with_a_full_disk() {
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{1, RLIM_INFINITY};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) std::exit(2);
  SpilledText t;
  const std::string expected = append_rows(t, 20000, false);
  if (t.text().size() != expected.size()) std::exit(3);  // all of it held
  harness::MemFile out;
  t.write_to(out.f);
  std::exit(out.text() == expected ? 0 : 4);
}

TEST(SpilledText, StaysInMemoryWhenTheDiskIsFull) {
  EXPECT_EXIT(spill_with_a_full_disk(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace quartet::analyzer
