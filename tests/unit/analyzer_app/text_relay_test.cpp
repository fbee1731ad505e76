// The relay between a decoding worker and the output stage (--threads): every
// session comes out as it went in, in whatever order it is taken, from memory or,
// beyond the memory limit, from the temporary file; space is reused once released.
#include <gtest/gtest.h>
#include <pty.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "output_gather.hpp"
#include "sink_harness.hpp"
#include "text_relay.hpp"

namespace quartet::analyzer {
namespace {

// Session i's text: its length varies with i, and its bytes with i, `salt` and
// where they are.
std::string text_of(size_t i, size_t salt = 0) {
  std::string s;
  const size_t n = (i * 37) % 101;
  for (size_t k = 0; k < n; ++k) s.push_back(static_cast<char>('!' + (i * 7 + salt * 3 + k) % 90));
  return s;
}

TextRelay::Span add(TextRelay& r, size_t i, size_t salt = 0) {
  const std::string t = text_of(i, salt);
  const TextRelay::Span s{r.end(), t.size()};
  r.append(t.data(), t.size());
  r.hold(s);
  return s;
}

std::string take(TextRelay& r, TextRelay::Span s) {
  harness::MemFile out;  // no file descriptor: the gather writes through stdio
  OutputGather g(out.f);
  EXPECT_TRUE(r.take(s, g));
  g.flush();
  return out.text();
}

TEST(TextRelay, SessionsComeBackWholeInAnyOrder) {
  TextRelay r(1u << 20, 16);  // 16-byte chunks: most sessions span several
  std::vector<TextRelay::Span> spans;
  for (size_t i = 0; i < 200; ++i) spans.push_back(add(r, i));
  ASSERT_TRUE(r.publish());
  std::vector<size_t> order(spans.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  for (size_t i : order) EXPECT_EQ(take(r, spans[i]), text_of(i)) << i;
  EXPECT_EQ(r.file_bytes(), 0u);  // within the memory limit: no file
}

// Nothing is readable before it is published.
TEST(TextRelay, UnpublishedSessionsCannotBeTaken) {
  TextRelay r(1u << 20, 16);
  const TextRelay::Span s = add(r, 5);
  harness::MemFile out;
  OutputGather g(out.f);
  EXPECT_FALSE(r.take(s, g));
  ASSERT_TRUE(r.publish());
  EXPECT_EQ(take(r, s), text_of(5));
}

// Sessions held beyond the memory limit move to the file, and come back from it;
// memory stays at the limit (plus the chunk being filled).
TEST(TextRelay, BeyondItsMemoryHeldSessionsGoToTheFile) {
  TextRelay r(64, 16);  // four chunks in memory
  std::vector<TextRelay::Span> spans;
  for (size_t i = 0; i < 100; ++i) {
    spans.push_back(add(r, i));
    ASSERT_TRUE(r.publish());
    EXPECT_LE(r.memory_bytes(), 64u + 16u) << i;
  }
  EXPECT_GT(r.file_bytes(), 0u);
  for (size_t i = 0; i < spans.size(); ++i) EXPECT_EQ(take(r, spans[i]), text_of(i)) << i;
}

// A released session's space serves the next ones: memory and file stop growing
// when the output keeps up, however much goes through.
TEST(TextRelay, ReleasedSpaceIsReused) {
  TextRelay r(64, 16);
  std::vector<TextRelay::Span> waiting;
  uint64_t file_after_first_round = 0;
  for (size_t round = 0; round < 20; ++round) {
    // The same lengths each round, other bytes: stale ones would show.
    for (size_t i = 0; i < 30; ++i) waiting.push_back(add(r, i, round));
    ASSERT_TRUE(r.publish());
    for (size_t i = 0; i < waiting.size(); ++i) EXPECT_EQ(take(r, waiting[i]), text_of(i, round)) << round;
    waiting.clear();
    if (round == 0) file_after_first_round = r.file_bytes();
    EXPECT_LE(r.memory_bytes(), 64u + 16u);
  }
  EXPECT_GT(file_after_first_round, 0u);
  // Each round overflows as much as the first, into slots released since.
  EXPECT_LE(r.file_bytes(), file_after_first_round + 16u);
}

// A session being formatted is not held yet: its first chunks are not given up,
// even when every session held before it was released.
TEST(TextRelay, ASessionNotYetHeldKeepsItsBytes) {
  TextRelay r(32, 16);
  const TextRelay::Span first = add(r, 3);
  ASSERT_TRUE(r.publish());
  EXPECT_EQ(take(r, first), text_of(3));
  // 200 bytes of one session, appended a few at a time: chunks fill and are
  // replaced while it is still being formatted.
  std::string big;
  for (size_t k = 0; k < 200; ++k) big.push_back(static_cast<char>('a' + k % 26));
  const TextRelay::Span s{r.end(), big.size()};
  for (size_t at = 0; at < big.size(); at += 7) r.append(big.data() + at, std::min<size_t>(7, big.size() - at));
  r.hold(s);
  ASSERT_TRUE(r.publish());
  EXPECT_EQ(take(r, s), big);
}

// A session released unread frees its space as one taken does.
TEST(TextRelay, ReleasedUnreadIsGivenUp) {
  TextRelay r(64, 16);
  for (size_t round = 0; round < 10; ++round) {
    std::vector<TextRelay::Span> spans;
    for (size_t i = 0; i < 30; ++i) spans.push_back(add(r, i));
    ASSERT_TRUE(r.publish());
    for (const TextRelay::Span& s : spans) r.release(s);
  }
  // Beyond the first round's overflow nothing more went to the file.
  const uint64_t file = r.file_bytes();
  for (size_t i = 0; i < 30; ++i) r.release(add(r, i));
  ASSERT_TRUE(r.publish());
  EXPECT_LE(r.file_bytes(), file);
  EXPECT_LE(r.memory_bytes(), 64u + 16u);
}

// The end: memory and the file's space go back at once.
TEST(TextRelay, ClearGivesBackMemoryAndFile) {
  TextRelay r(64, 16);
  std::vector<TextRelay::Span> spans;
  for (size_t i = 0; i < 50; ++i) spans.push_back(add(r, i));
  ASSERT_TRUE(r.publish());
  ASSERT_GT(r.file_bytes(), 0u);
  for (size_t i = 0; i < spans.size(); ++i) EXPECT_EQ(take(r, spans[i]), text_of(i));
  r.clear();
  EXPECT_EQ(r.memory_bytes(), 0u);
  EXPECT_EQ(r.file_bytes(), 0u);
}

// A worker and an output stage on their own threads, the output taking sessions
// as they are published, in the order they were held.
TEST(TextRelay, TwoThreads) {
  TextRelay r(256, 16);
  std::mutex mu;
  std::condition_variable cv;
  std::queue<std::pair<size_t, TextRelay::Span>> published;
  bool over = false;
  constexpr size_t kSessions = 5000;
  std::thread worker([&] {
    std::vector<std::pair<size_t, TextRelay::Span>> batch;
    for (size_t i = 0; i < kSessions; ++i) {
      batch.emplace_back(i, add(r, i));
      if (batch.size() == 13 || i + 1 == kSessions) {
        ASSERT_TRUE(r.publish());
        std::lock_guard lock(mu);
        for (auto& b : batch) published.push(b);
        batch.clear();
        cv.notify_one();
      }
    }
    std::lock_guard lock(mu);
    over = true;
    cv.notify_one();
  });
  size_t taken = 0;
  for (;;) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return over || !published.empty(); });
    if (published.empty()) break;
    const auto [i, s] = published.front();
    published.pop();
    lock.unlock();
    EXPECT_EQ(take(r, s), text_of(i)) << i;
    ++taken;
  }
  worker.join();
  EXPECT_EQ(taken, kSessions);
}

// --- Patience: at its memory limit, a relay waits for the output stage instead of
// moving chunks to its file, while the output stage writes another relay's session.

// Sessions of exactly one 16-byte chunk each.
TextRelay::Span add_chunk(TextRelay& r, char c) {
  const std::string t(16, c);
  const TextRelay::Span s{r.end(), t.size()};
  r.append(t.data(), t.size());
  r.hold(s);
  return s;
}

// The worker at its limit waits; the output stage releases a session; the worker
// goes on in the space given up: nothing went to the file. Without the wait, the
// oldest chunk held would have (BeyondItsMemoryHeldSessionsGoToTheFile).
TEST(TextRelay, AtItsLimitItWaitsWhileAnotherRelaysSessionIsWritten) {
  TextRelay r(64, 16), other(64, 16);  // four chunks in memory
  TextRelay::Patience patience;
  patience.max_waiters = 1;
  patience.wait = std::chrono::hours(1);  // (a wait that did not end would fail the test by its timeout)
  patience.streaming(&other);
  r.set_patience(&patience);
  std::vector<TextRelay::Span> spans;
  for (char c : {'a', 'b', 'c', 'd'}) spans.push_back(add_chunk(r, c));
  ASSERT_TRUE(r.publish());
  std::thread worker([&] {
    spans.push_back(add_chunk(r, 'e'));  // a fifth chunk: beyond the limit
    EXPECT_TRUE(r.publish());
  });
  while (!r.waiting_for_space()) std::this_thread::yield();
  EXPECT_EQ(patience.waiters.load(), 1u);
  EXPECT_EQ(take(r, spans[0]), std::string(16, 'a'));  // written, released
  worker.join();
  EXPECT_EQ(patience.waiters.load(), 0u);
  EXPECT_EQ(r.file_bytes(), 0u);
  EXPECT_LE(r.memory_bytes(), 64u + 16u);
  for (size_t i = 1; i < spans.size(); ++i) EXPECT_EQ(take(r, spans[i]), std::string(16, static_cast<char>('a' + i)));
}

// It never waits for its own session, nor when no session is being written as it is
// formatted, nor beyond the waiters allowed (no core would be freed), nor longer
// than the wait: then the oldest chunk goes to the file, as without patience.
TEST(TextRelay, ItWaitsOnlyForAnotherRelayWithinTheWaitersAndTheWait) {
  for (int c = 0; c < 4; ++c) {
    TextRelay r(64, 16), other(64, 16);
    TextRelay::Patience patience;
    patience.max_waiters = c == 2 ? 0 : 1;
    patience.wait = c == 3 ? std::chrono::microseconds(1000) : std::chrono::hours(1);
    if (c == 0) patience.streaming(&r);
    if (c == 1) patience.streaming(nullptr);
    if (c >= 2) patience.streaming(&other);
    r.set_patience(&patience);
    std::vector<TextRelay::Span> spans;
    for (char ch : {'a', 'b', 'c', 'd', 'e'}) spans.push_back(add_chunk(r, ch));  // nothing released
    ASSERT_TRUE(r.publish());
    EXPECT_GT(r.file_bytes(), 0u) << c;
    EXPECT_EQ(patience.waiters.load(), 0u) << c;
    for (size_t i = 0; i < spans.size(); ++i)
      EXPECT_EQ(take(r, spans[i]), std::string(16, static_cast<char>('a' + i))) << c;
  }
}

// While the output stage waits for a session whose relay it does not know yet, every
// relay may wait, this one too.
TEST(TextRelay, WhileTheRelayWrittenIsNotKnownEveryRelayMayWait) {
  TextRelay r(64, 16);
  TextRelay::Patience patience;
  patience.max_waiters = 1;
  patience.wait = std::chrono::hours(1);
  patience.streamed.store(TextRelay::Patience::kNotKnown);
  r.set_patience(&patience);
  std::vector<TextRelay::Span> spans;
  for (char c : {'a', 'b', 'c', 'd'}) spans.push_back(add_chunk(r, c));
  ASSERT_TRUE(r.publish());
  std::thread worker([&] { spans.push_back(add_chunk(r, 'e')); });
  while (!r.waiting_for_space()) std::this_thread::yield();
  r.release(spans[0]);
  worker.join();
  EXPECT_EQ(r.file_bytes(), 0u);
}

// --- Through an OutputGather to a file descriptor (writev), as the output stage writes.

std::string read_all(int fd) {
  std::string s;
  char buf[4096];
  off_t at = 0;
  for (ssize_t n; (n = ::pread(fd, buf, sizeof buf, at)) > 0; at += n) s.append(buf, static_cast<size_t>(n));
  return s;
}

struct TempOut {
  std::FILE* f = std::tmpfile();
  ~TempOut() {
    if (f) std::fclose(f);
  }
  std::string text() {
    std::fflush(f);
    return read_all(fileno(f));
  }
};

// Sessions spanning chunks, gathered many per write, come out in order, and in
// order with what went through stdio between two flushes (as a session the output
// stage formats again does); from memory, and from the relay's file (read into
// the gather's own buffer, in pieces larger than it too).
TEST(TextRelay, GatheredSessionsComeOutInOrderWithStdio) {
  struct Case {
    size_t memory, chunk, sessions, repeat;
  };
  for (const Case c : {Case{1u << 20, 16, 2000, 1}, Case{64, 16, 2000, 1}, Case{1u << 20, 512u << 10, 3, 7000}}) {
    TextRelay r(c.memory, c.chunk);
    std::vector<TextRelay::Span> spans;
    std::vector<std::string> texts;
    for (size_t i = 0; i < c.sessions; ++i) {
      std::string t;
      for (size_t k = 0; k < c.repeat; ++k) t += text_of(i + k);
      const TextRelay::Span span{r.end(), t.size()};
      r.append(t.data(), t.size());
      r.hold(span);
      spans.push_back(span);
      texts.push_back(std::move(t));
      ASSERT_TRUE(r.publish());
    }
    EXPECT_EQ(r.file_bytes() > 0, c.memory < c.chunk * c.sessions) << c.chunk;
    TempOut out;
    ASSERT_NE(out.f, nullptr);
    std::string expect;
    {
      OutputGather g(out.f);
      for (size_t i = 0; i < spans.size(); ++i) {
        if (i % 97 == 1) {
          g.flush();
          const std::string line = "through stdio " + std::to_string(i) + "\n";
          std::fputs(line.c_str(), out.f);
          expect += line;
        }
        ASSERT_TRUE(r.take(spans[i], g));
        expect += texts[i];
        if (g.full()) g.flush();
      }
      g.flush();
    }
    EXPECT_EQ(out.text(), expect) << c.chunk;
    r.clear();  // every session was released: nothing is left pinned or held
    EXPECT_EQ(r.memory_bytes(), 0u);
  }
}

// A chunk whose piece waits in a gather is not moved to the file, however far the
// worker gets meanwhile: the gather writes it from where it is. (Moved, its buffer
// would serve the next chunks and the piece would come out with their bytes.)
TEST(TextRelay, PinnedChunksStayInMemoryUntilWritten) {
  TextRelay r(32, 16);  // two chunks in memory
  std::string first;
  for (size_t k = 0; k < 40; ++k) first.push_back(static_cast<char>('A' + k % 26));
  const TextRelay::Span s{r.end(), first.size()};
  r.append(first.data(), first.size());
  r.hold(s);
  ASSERT_TRUE(r.publish());
  TempOut out;
  ASSERT_NE(out.f, nullptr);
  OutputGather g(out.f);
  ASSERT_TRUE(r.take(s, g));  // three chunks pinned, nothing written yet
  std::vector<TextRelay::Span> later;
  for (size_t i = 0; i < 60; ++i) {
    later.push_back(add(r, i));
    ASSERT_TRUE(r.publish());
    EXPECT_LE(r.memory_bytes(), 32u + 16u + 3 * 16u) << i;  // the limit, the chunk being filled, the pinned ones
  }
  EXPECT_GT(r.file_bytes(), 0u);  // the others went to the file
  g.flush();
  EXPECT_EQ(out.text(), first);
  for (size_t i = 0; i < later.size(); ++i) EXPECT_EQ(take(r, later[i]), text_of(i)) << i;
}

// More than a pipe holds, with the reader on another thread: writes block and may
// come back short; every byte arrives once, in order.
TEST(TextRelay, GatheredThroughAPipe) {
  TextRelay r(8u << 20, 4096);
  std::vector<TextRelay::Span> spans;
  std::string expect;
  for (size_t round = 0; round < 40; ++round)
    for (size_t i = 0; i < 100; ++i) {
      spans.push_back(add(r, i, round));
      expect += text_of(i, round);
    }
  ASSERT_TRUE(r.publish());
  ASSERT_GT(expect.size(), 128u << 10);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::string got;
  std::thread reader([&] {
    char buf[1000];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  });
  std::FILE* f = ::fdopen(fds[1], "w");
  ASSERT_NE(f, nullptr);
  {
    OutputGather g(f);
    for (const TextRelay::Span& s : spans) {
      ASSERT_TRUE(r.take(s, g));
      if (g.full()) g.flush();
    }
    g.flush();
  }
  std::fclose(f);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(got, expect);
}

// A write that fails (a full disk) is left to stdio, whose error flag main reports.
TEST(TextRelay, GatheredWriteErrorsReachTheStream) {
  std::FILE* f = std::fopen("/dev/full", "w");
  if (!f) GTEST_SKIP() << "no /dev/full";
  TextRelay r(1u << 20, 16);
  const TextRelay::Span s = add(r, 7);
  ASSERT_TRUE(r.publish());
  {
    OutputGather g(f);
    ASSERT_TRUE(r.take(s, g));
    g.flush();
  }
  std::fflush(f);
  EXPECT_TRUE(std::ferror(f));
  std::fclose(f);
}

// On a terminal each session goes out as soon as it is gathered, as stdio's line
// buffering showed it (a live capture watched as it goes); elsewhere they gather.
TEST(TextRelay, GatheredSessionsGoOutAtOnceOnATerminal) {
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) GTEST_SKIP() << "no pseudo-terminal";
  std::FILE* tty = ::fdopen(slave, "w");
  ASSERT_NE(tty, nullptr);
  TempOut file;
  ASSERT_NE(file.f, nullptr);
  TextRelay r(1u << 20, 16);
  const TextRelay::Span s = add(r, 7), t = add(r, 8);
  ASSERT_TRUE(r.publish());
  OutputGather on_tty(tty), on_file(file.f);
  ASSERT_TRUE(r.take(s, on_tty));
  EXPECT_TRUE(on_tty.full());
  ASSERT_TRUE(r.take(t, on_file));
  EXPECT_FALSE(on_file.full());
  on_tty.flush();
  on_file.flush();
  std::fclose(tty);
  ::close(master);
  EXPECT_EQ(file.text(), text_of(8));
}

}  // namespace
}  // namespace quartet::analyzer
