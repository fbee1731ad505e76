// GzipBase64Line: a line compressed and encoded as its text comes is the line the
// whole text compressed and encoded at once gives (what the page decodes), however
// the text is cut, over several output buffers and base64 groups cut across them.
// GzipBase64Thread, which feeds it from a thread of its own, writes the same.
#include "gzip_base64.hpp"
#include "gzip_base64_thread.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "sink_harness.hpp"

namespace quartet::analyzer {
namespace {

// gzip level 1 of the whole, then base64 of the whole: the report's line before it was streamed.
std::string at_once(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string packed(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(packed.data());
  z.avail_out = static_cast<uInt>(packed.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  packed.resize(z.total_out);
  deflateEnd(&z);
  std::string b64(4 * ((packed.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                reinterpret_cast<const unsigned char*>(packed.data()), static_cast<int>(packed.size()));
  b64.resize(static_cast<size_t>(n));
  return b64 + "\n";
}

// JSON-like text, then bytes that do not compress (so the compressed stream fills
// several 64 KiB output buffers), then text again.
std::string sample(size_t text_bytes, size_t random_bytes) {
  std::string s;
  for (size_t i = 0; s.size() < text_bytes; ++i)
    s += "[0,\"" + std::to_string(i * 7919 % 100003) + "\",\"COPS REQ handle " + std::to_string(i) + "\"],";
  std::mt19937 rng(7);
  for (size_t i = 0; i < random_bytes; ++i) s += static_cast<char>(rng() & 0xff);
  return s + s.substr(0, text_bytes);
}

std::string streamed(const std::string& text, size_t piece, size_t out_buffer = GzipBase64Line::kOutBuffer) {
  harness::MemFile out;
  GzipBase64Line line(out.f, out_buffer);
  for (size_t at = 0; at < text.size(); at += piece) line.add(std::string_view(text).substr(at, piece));
  line.finish();
  return out.text();
}

TEST(GzipBase64Line, StreamedIsTheSameAsAtOnceHoweverTheTextIsCut) {
  const std::string text = sample(200000, 300000);
  const std::string expected = at_once(text);
  for (size_t piece : {size_t{2}, size_t{3}, size_t{5}, size_t{4096}, size_t{65537}, text.size()})
    EXPECT_EQ(streamed(text, piece), expected) << "pieces of " << piece;
  // A byte at a time over a shorter text (the whole would take seconds under the sanitizers).
  const std::string shorter = text.substr(0, 100000);
  EXPECT_EQ(streamed(shorter, 1), at_once(shorter));
  // Output buffers of every size modulo 3, so that base64 groups are cut across them
  // in every way (one or two bytes carried, a buffer too small to complete a group).
  for (size_t out_buffer : {size_t{1}, size_t{2}, size_t{4}, size_t{5}, size_t{1000}})
    EXPECT_EQ(streamed(shorter, 777, out_buffer), at_once(shorter)) << "output buffer of " << out_buffer;
}

TEST(GzipBase64Line, LinesOneAfterAnotherAndNothingForNoText) {
  harness::MemFile out;
  GzipBase64Line line(out.f);
  line.finish();  // nothing added: no line
  for (const std::string& t : {std::string("[[0,1]]\n"), sample(1000, 100), std::string("x")}) {
    line.add(t);
    line.finish();
  }
  line.finish();
  EXPECT_EQ(out.text(), at_once("[[0,1]]\n") + at_once(sample(1000, 100)) + at_once("x"));
}

TEST(GzipBase64Thread, WritesWhatTheLineWritesWhenCalledDirectly) {
  const std::string big = sample(200000, 300000);
  const std::vector<std::string> lines = {"[[0,1]]\n", big, "x", sample(1000, 100)};
  std::string expected;
  for (const std::string& l : lines) expected += at_once(l);
  // Pieces of several sizes, more than the queue holds, lines ended in between; and
  // out buffers small enough that the thread writes in many calls.
  for (size_t piece : {size_t{1000}, size_t{65536}, big.size()}) {
    for (size_t out_buffer : {size_t{5}, GzipBase64Line::kOutBuffer}) {
      harness::MemFile out;
      GzipBase64Line line(out.f, out_buffer);
      {
        GzipBase64Thread thread(line);
        thread.finish();  // nothing added: no line, as GzipBase64Line::finish
        for (const std::string& l : lines) {
          for (size_t at = 0; at < l.size(); at += piece) {
            std::string text(l.substr(at, piece));
            thread.add(text);
            EXPECT_TRUE(text.empty());  // a written piece's buffer comes back, empty
          }
          thread.finish();
        }
        thread.drain();
        EXPECT_EQ(out.text(), expected) << "pieces of " << piece << ", output buffer of " << out_buffer;
      }
    }
  }
}

}  // namespace
}  // namespace quartet::analyzer
