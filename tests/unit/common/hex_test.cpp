// write_hex: 16 bytes at a time in vector types where the compiler has them, the
// rest a byte at a time. Checked against a digit-by-digit reference for every byte
// value, every length around the 16-byte steps, and unaligned input and output.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/text.hpp"

namespace quartet {
namespace {

std::string reference_hex(const unsigned char* b, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += kDigits[b[i] >> 4];
    s += kDigits[b[i] & 15];
  }
  return s;
}

std::string written(const unsigned char* b, size_t n, size_t out_offset) {
  std::string buf(out_offset + 2 * n + 8, '#');
  char* end = write_hex(buf.data() + out_offset, b, n);
  EXPECT_EQ(static_cast<size_t>(end - buf.data()), out_offset + 2 * n);
  EXPECT_EQ(buf.substr(out_offset + 2 * n), std::string(8, '#')) << "wrote past its end";
  return buf.substr(out_offset, 2 * n);
}

TEST(WriteHex, EveryByteValueAsTwoLowerCaseDigits) {
  std::vector<unsigned char> all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<unsigned char>(i);
  EXPECT_EQ(written(all.data(), all.size(), 0), reference_hex(all.data(), all.size()));
  EXPECT_EQ(written(all.data() + 0xf0, 16, 0), "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  EXPECT_EQ(written(all.data() + 0x09, 2, 0), "090a");
}

TEST(WriteHex, EveryLengthAroundTheSteps) {
  std::mt19937 rng(20261206);
  std::vector<unsigned char> in(100);
  for (unsigned char& c : in) c = static_cast<unsigned char>(rng());
  for (size_t in_offset = 0; in_offset < 3; ++in_offset)
    for (size_t out_offset = 0; out_offset < 3; ++out_offset)
      for (size_t n = 0; n + in_offset <= in.size(); ++n)
        ASSERT_EQ(written(in.data() + in_offset, n, out_offset), reference_hex(in.data() + in_offset, n))
            << n << " bytes from " << in_offset << " to " << out_offset;
}

TEST(WriteHex, HexBytesOfAString) {
  EXPECT_EQ(hex_bytes(std::string_view("\x00\xff\x1a", 3)), "00ff1a");
  EXPECT_EQ(hex_bytes(""), "");
  EXPECT_EQ(hex_bytes("0123456789abcdefXY"), "303132333435363738396162636465665859");
}

}  // namespace
}  // namespace quartet
