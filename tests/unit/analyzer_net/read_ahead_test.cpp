// ReadAhead on its own: a source read in pieces of any size comes out whole and
// in order, chunk by chunk, with its end and its read error where they happened.
#include "net/read_ahead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace quartet::analyzer::net {
namespace {

// A source of `total` bytes (byte i is i * 7 % 251) given `piece` bytes per read
// at most, then 0, or -1 with `error` when that is set.
struct Source {
  size_t total, piece;
  int error = 0;
  size_t pos = 0;
  ssize_t operator()(char* to, size_t n) {
    if (pos == total) {
      if (!error) return 0;
      errno = error;
      return -1;
    }
    const size_t k = std::min({n, piece, total - pos});
    for (size_t i = 0; i < k; ++i) to[i] = static_cast<char>((pos + i) * 7 % 251);
    pos += k;
    return static_cast<ssize_t>(k);
  }
};

struct ReadResult {
  std::string bytes;
  size_t chunks = 0;
  int error = 0;
};

ReadResult read_through(Source src, size_t headroom, size_t chunk_bytes, size_t chunks) {
  ReadAhead ahead(std::ref(src), headroom, chunk_bytes, chunks);
  ReadResult r;
  for (;;) {
    ReadAhead::Chunk* c = ahead.take();
    EXPECT_LE(c->bytes, chunk_bytes);
    // Not the last: a chunk is filled whole, whatever the reads gave.
    if (!c->last) {
      EXPECT_EQ(c->bytes, chunk_bytes);
    }
    r.bytes.append(reinterpret_cast<const char*>(c->memory.get() + headroom), c->bytes);
    ++r.chunks;
    // The headroom is the parser's: it may write there.
    std::memset(c->memory.get(), 0xee, headroom);
    const bool last = c->last;
    r.error = c->error;
    ahead.give_back(c);
    if (last) return r;
  }
}

std::string expected(size_t total) {
  std::string s(total, '\0');
  for (size_t i = 0; i < total; ++i) s[i] = static_cast<char>(i * 7 % 251);
  return s;
}

TEST(ReadAhead, SourceComesOutWholeAndInOrder) {
  struct Case {
    size_t total, piece, chunk, chunks;
  };
  const Case cases[] = {
      {0, 100, 64, 2},           // empty: one last chunk, no bytes
      {64, 100, 64, 2},          // exactly one chunk: then an empty last one
      {1000, 1, 64, 2},          // a byte per read
      {100'000, 4096, 1000, 3},  // reads larger than a chunk
      {100'000, 333, 1024, 4},   // reads that cut chunks anywhere
  };
  for (const Case& c : cases) {
    const ReadResult r = read_through(Source{c.total, c.piece}, 16, c.chunk, c.chunks);
    EXPECT_EQ(r.bytes, expected(c.total)) << c.total << "/" << c.piece;
    EXPECT_EQ(r.chunks, c.total / c.chunk + 1) << c.total << "/" << c.piece;
    EXPECT_EQ(r.error, 0);
  }
}

TEST(ReadAhead, ReadErrorComesWithTheLastChunk) {
  const ReadResult r = read_through(Source{5000, 700, EIO}, 8, 1024, 2);
  EXPECT_EQ(r.bytes, expected(5000));
  EXPECT_EQ(r.chunks, 5u);
  EXPECT_EQ(r.error, EIO);
}

// Destroyed at any point: it stops its thread, also while every chunk waits to be taken.
TEST(ReadAhead, StopsWhereverItIsLeft) {
  for (size_t taken = 0; taken < 4; ++taken) {
    Source src{1u << 20, 4096};
    ReadAhead ahead(std::ref(src), 0, 4096, 3);
    for (size_t i = 0; i < taken; ++i) ahead.give_back(ahead.take());
  }
}

std::string bytes_of(const ReadAhead::Chunk* c, size_t headroom) {
  return std::string(reinterpret_cast<const char*>(c->memory.get() + headroom), c->bytes);
}

// Runs fn; aborts the test binary when it has not returned within 10 s (a deadlock
// would otherwise hang the run).
template <typename Fn>
void within_ten_seconds(Fn fn) {
  std::atomic<bool> done{false};
  std::thread watchdog([&done] {
    for (int i = 0; i < 1000 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!done) {
      std::fprintf(stderr, "ReadAhead: no chunk within 10 s (deadlock)\n");
      std::abort();
    }
  });
  fn();
  done = true;
  watchdog.join();
}

// A pinned chunk keeps its bytes while the parser reads on, past as many chunks as
// the pool has; then, let go, it is read into again.
TEST(ReadAhead, PinnedChunkKeepsItsBytesUntilLetGo) {
  Source src{1u << 20, 4096};
  ReadAhead ahead(std::ref(src), 0, 4096, 2, 1);
  ReadAhead::Chunk* first = ahead.take();
  ReadAhead::Pin pin = ahead.pin_current();
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin.chunk(), first);
  const std::string kept = bytes_of(first, 0);
  EXPECT_EQ(kept, expected(4096));
  ahead.give_back(first);
  std::string rest;
  for (int i = 0; i < 20; ++i) {
    ReadAhead::Chunk* c = ahead.take();
    EXPECT_NE(c, first);  // held by the pin: never read into meanwhile
    rest += bytes_of(c, 0);
    ahead.give_back(c);
  }
  EXPECT_EQ(bytes_of(first, 0), kept);
  EXPECT_EQ(rest, expected(21 * 4096).substr(4096));
  pin = ReadAhead::Pin();  // let go: the chunk goes back to be read into
  bool reused = false;
  for (int i = 0; i < 4 && !reused; ++i) {
    ReadAhead::Chunk* c = ahead.take();
    reused = c == first;
    ahead.give_back(c);
  }
  EXPECT_TRUE(reused);
}

// At most max_pinned chunks are pinned at once (more pins of one chunk count once);
// reading goes on to the end with them held.
TEST(ReadAhead, PinsAreBoundedAndReadingGoesOn) {
  Source src{64 * 1024, 1024};
  ReadAhead ahead(std::ref(src), 8, 1024, 2, 3);
  std::vector<ReadAhead::Pin> pins;
  std::string all;
  size_t refused = 0;
  within_ten_seconds([&] {
    for (;;) {
      ReadAhead::Chunk* c = ahead.take();
      ReadAhead::Pin a = ahead.pin_current(), b = ahead.pin_current();
      EXPECT_EQ(bool(a), bool(b));  // a second pin of a pinned chunk is never refused
      if (a) {
        pins.push_back(std::move(a));
        pins.push_back(std::move(b));
      } else {
        ++refused;
      }
      all += bytes_of(c, 8);
      const bool last = c->last;
      ahead.give_back(c);
      if (last) break;
    }
  });
  EXPECT_EQ(pins.size(), 6u);  // three chunks, two pins each
  EXPECT_EQ(refused, 65u - 3u);
  EXPECT_EQ(all, expected(64 * 1024));
  for (size_t i = 0; i < pins.size(); i += 2)  // each pinned chunk still holds what it was read with
    EXPECT_EQ(bytes_of(pins[i].chunk(), 8), expected(64 * 1024).substr(i / 2 * 1024, 1024));
}

// The reading thread waits for a chunk to read into while the parser holds one and
// the other is read; then the parser pins both: the pool must grow (a pin wakes it).
TEST(ReadAhead, PinningWakesTheReadingThread) {
  Source src{1u << 16, 4096};
  ReadAhead ahead(std::ref(src), 0, 4096, 2, 2);
  within_ten_seconds([&ahead] {
    std::vector<ReadAhead::Pin> pins;
    std::string all;
    for (int i = 0; i < 4; ++i) {
      ReadAhead::Chunk* c = ahead.take();
      // Time for the reading thread to fill the other chunk and wait for a free one.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ReadAhead::Pin pin = ahead.pin_current();
      if (pin) pins.push_back(std::move(pin));
      all += bytes_of(c, 0);
      ahead.give_back(c);
    }
    EXPECT_EQ(pins.size(), 2u);
    EXPECT_EQ(all, expected(4 * 4096));
  });
}

// A pin outlives its ReadAhead (a worker's batch after the file is closed): the
// chunk stays readable until the pin is let go.
TEST(ReadAhead, PinOutlivesItsReadAhead) {
  ReadAhead::Pin pin;
  {
    Source src{10'000, 10'000};
    ReadAhead ahead(std::ref(src), 0, 4096, 2, 1);
    ahead.take();
    pin = ahead.pin_current();
  }
  ASSERT_TRUE(pin);
  EXPECT_EQ(bytes_of(pin.chunk(), 0), expected(4096));
}

// holding(): the ReadAhead whose parser, on this thread, reads the chunk now.
TEST(ReadAhead, HoldingFindsTheChunkBeingRead) {
  Source src{1u << 16, 4096};
  ReadAhead ahead(std::ref(src), 16, 4096, 2);
  ReadAhead::Chunk* c = ahead.take();
  const std::byte* data = c->memory.get() + 16;
  EXPECT_EQ(ReadAhead::holding(data, 4096), &ahead);
  EXPECT_EQ(ReadAhead::holding(data + 100, 10), &ahead);
  EXPECT_EQ(ReadAhead::holding(c->memory.get(), 16), &ahead);  // the headroom: a record put together there
  EXPECT_EQ(ReadAhead::holding(data, 4097), nullptr);          // past the bytes read
  std::byte elsewhere[8];
  EXPECT_EQ(ReadAhead::holding(elsewhere, 8), nullptr);
  std::thread([data] { EXPECT_EQ(ReadAhead::holding(data, 1), nullptr); }).join();  // another thread's parser
  ahead.give_back(c);
  EXPECT_EQ(ReadAhead::holding(data, 1), nullptr);  // given back: not the parser's any more
}

}  // namespace
}  // namespace quartet::analyzer::net
