// JSON string escaping and timestamp formatting.
#include <gtest/gtest.h>

#include "json.hpp"

using namespace quartet::analyzer;

namespace {

std::string esc(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(Json, EscapesQuotesBackslashAndControls) {
  EXPECT_EQ(esc("plain"), "\"plain\"");
  EXPECT_EQ(esc("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(esc("l1\r\nl2\t"), "\"l1\\r\\nl2\\t\"");
  EXPECT_EQ(esc(std::string_view("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(esc("\b\f"), "\"\\b\\f\"");
}

// One byte of each value at each place of texts of every length up to 48: the
// scan that skips plain text 16 and 8 bytes at a time must stop at it wherever it
// lies, and so must the short strings' test of fixed-size loads (up to 16 bytes,
// overlapping), in both output types.
TEST(Json, EveryByteValueIsFoundAtEveryPlace) {
  const auto one = [](unsigned char c) -> std::string {
    switch (c) {
      case '"': return "\\\"";
      case '\\': return "\\\\";
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      case '\b': return "\\b";
      case '\f': return "\\f";
    }
    if (c < 0x20 || c >= 0x80) {  // a lone byte from 0x80 on is not UTF-8
      static constexpr char kHex[] = "0123456789abcdef";
      return std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
    }
    return std::string(1, static_cast<char>(c));
  };
  for (size_t len = 1; len <= 48; ++len)
    for (int c = 0; c < 256; ++c)
      for (size_t at = 0; at < len; ++at) {
        std::string text(len, 'a');
        text[at] = static_cast<char>(c);
        std::string want(1, '"');  // (built by appends: gcc 12 warns on a literal + a temporary)
        want.append(at, 'a').append(one(static_cast<unsigned char>(c))).append(len - 1 - at, 'a').push_back('"');
        ASSERT_EQ(esc(text), want) << "byte " << c << " at " << at << " of " << len;
        OutBuf buf;
        append_json_string(buf, text);
        ASSERT_EQ(buf.view(), want) << "byte " << c << " at " << at << " of " << len;
        ASSERT_EQ(json_plain(text), one(static_cast<unsigned char>(c)).size() == 1) << "byte " << c << " at " << at;
      }
}

// Short strings are written whole after what the buffer holds, quoted, for every
// length the fixed-size loads take (0 to 16) and past it.
TEST(Json, ShortPlainStringsOfEveryLength) {
  const std::string source = "abcdefghijklmnopqrstuvwxyz";
  for (size_t len = 0; len <= source.size(); ++len) {
    const std::string text = source.substr(0, len);
    OutBuf buf;
    buf += "x";
    append_json_string(buf, text);
    buf += "y";
    EXPECT_EQ(buf.view(), "x\"" + text + "\"y") << len;
    std::string str = "x";
    append_json_string(str, text);
    EXPECT_EQ(str, "x\"" + text + "\"") << len;
  }
}

TEST(Json, ValidUtf8PassesThrough) {
  EXPECT_EQ(esc("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\"");
}

TEST(Json, InvalidUtf8BytesBecomeLatin1Escapes) {
  EXPECT_EQ(esc("\xff"), "\"\\u00ff\"");
  EXPECT_EQ(esc("a\xc3"), "\"a\\u00c3\"");                                 // truncated sequence at the end
  EXPECT_EQ(esc("\xc0\xaf"), "\"\\u00c0\\u00af\"");                        // overlong '/'
  EXPECT_EQ(esc("\xed\xa0\x80"), "\"\\u00ed\\u00a0\\u0080\"");             // UTF-16 surrogate
  EXPECT_EQ(esc("\xf4\x90\x80\x80"), "\"\\u00f4\\u0090\\u0080\\u0080\"");  // beyond U+10FFFF
  EXPECT_EQ(esc("\xe2\x86x"), "\"\\u00e2\\u0086x\"");
}

TEST(Json, SecondsWithFilePrecision) {
  std::string s;
  append_seconds(s, 1700000000123456789, 9);
  EXPECT_EQ(s, "1700000000.123456789");
  s.clear();
  append_seconds(s, 1700000000123456789, 6);
  EXPECT_EQ(s, "1700000000.123456");
  s.clear();
  append_seconds(s, 5000, 9);
  EXPECT_EQ(s, "0.000005000");
  s.clear();
  append_seconds(s, -1500000000, 3);
  EXPECT_EQ(s, "-1.500");
  s.clear();
  append_seconds(s, INT64_MIN, 0);
  EXPECT_EQ(s, "-9223372036");
}

// Odd precisions (the last digit written alone), and whole seconds that change,
// come back and keep their length (the last second's text is reused).
TEST(Json, SecondsOddPrecisionsAndChangingSeconds) {
  struct Case {
    int64_t ns;
    int decimals;
    const char* text;
  };
  // In this order: the cache of the last whole second is filled and tested in turn.
  const Case cases[] = {
      {1700000000123456789, 1, "1700000000.1"},
      {1700000000123456789, 5, "1700000000.12345"},
      {1700000000003456789, 7, "1700000000.0034567"},
      {1700000001000000000, 3, "1700000001.000"},
      {999999999, 9, "0.999999999"},
      {1700000001900000000, 2, "1700000001.90"},
      {12000000000, 4, "12.0000"},
      {INT64_MAX, 9, "9223372036.854775807"},
      {-999, 9, "-0.000000999"},
      // Durations (below 100 s, written without the cache) between timestamps, and
      // the bounds of that shortcut.
      {1700000002000001000, 6, "1700000002.000001"},
      {99999999999, 6, "99.999999"},
      {1700000002000002000, 6, "1700000002.000002"},
      {100000000000, 6, "100.000000"},
      {9999999999, 9, "9.999999999"},
      {10000000000, 9, "10.000000000"},
      {-42000000000, 6, "-42.000000"},
      {1700000002000003000, 6, "1700000002.000003"},
  };
  for (const Case& c : cases) {
    std::string s;
    append_seconds(s, c.ns, c.decimals);
    EXPECT_EQ(s, c.text) << c.ns << " at " << c.decimals;
  }
}

}  // namespace
