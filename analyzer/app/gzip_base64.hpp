// One line of the HTML report's messages data: text gzip-compressed (zlib, level 1:
// the report is written at capture-reading speed), then base64-encoded, written to
// the output as it is compressed. Nothing of the line is held whole: before, a block
// of 256 sessions' messages was gathered uncompressed and compressed at once, so a
// capture of a few hundred long sessions held its whole messages data in memory
// (1.3 GB for the 256 MB small-PDU capture).
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string_view>

namespace quartet::analyzer {

class GzipBase64Line {
 public:
  // Compressed bytes encoded and written at a time (smaller in tests, so that
  // base64 groups are cut across buffers in every way).
  static constexpr size_t kOutBuffer = 64u << 10;
  explicit GzipBase64Line(std::FILE* out, size_t out_buffer = kOutBuffer)
      : out_(out), out_buffer_(std::max<size_t>(out_buffer, 1)) {}
  ~GzipBase64Line();
  GzipBase64Line(const GzipBase64Line&) = delete;
  GzipBase64Line& operator=(const GzipBase64Line&) = delete;

  // More of the line's text (the line starts at the first).
  void add(std::string_view text);
  // Ends the line: the compressed stream's end, base64's padding and a newline.
  // Nothing when nothing was added.
  void finish();

 private:
  void deflate_and_write(int flush);
  void encode(const unsigned char* data, size_t n);
  void pad();

  std::FILE* out_;
  size_t out_buffer_;
  z_stream z_{};
  bool started_ = false;
  std::unique_ptr<unsigned char[]> zout_, b64_;
  unsigned char carry_[3] = {0, 0, 0};  // compressed bytes short of a 3-byte base64 group
  size_t carried_ = 0;
};

}  // namespace quartet::analyzer
