// ReadAhead on its own: a source read in pieces of any size comes out whole and
// in order, chunk by chunk, with its end and its read error where they happened.
#include "net/read_ahead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
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

struct Result {
  std::string bytes;
  size_t chunks = 0;
  int error = 0;
};

Result read_through(Source src, size_t headroom, size_t chunk_bytes, size_t chunks) {
  ReadAhead ahead(std::ref(src), headroom, chunk_bytes, chunks);
  Result r;
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
    const Result r = read_through(Source{c.total, c.piece}, 16, c.chunk, c.chunks);
    EXPECT_EQ(r.bytes, expected(c.total)) << c.total << "/" << c.piece;
    EXPECT_EQ(r.chunks, c.total / c.chunk + 1) << c.total << "/" << c.piece;
    EXPECT_EQ(r.error, 0);
  }
}

TEST(ReadAhead, ReadErrorComesWithTheLastChunk) {
  const Result r = read_through(Source{5000, 700, EIO}, 8, 1024, 2);
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

}  // namespace
}  // namespace quartet::analyzer::net
