#include "gzip_base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

namespace quartet::analyzer {

GzipBase64Line::~GzipBase64Line() {
  if (started_) deflateEnd(&z_);
}

void GzipBase64Line::add(std::string_view text) {
  if (!started_) {
    z_ = z_stream{};
    if (deflateInit2(&z_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::bad_alloc();
    started_ = true;
    if (!zout_) {
      zout_ = std::make_unique<unsigned char[]>(out_buffer_);
      // a carried group, the buffer's groups, EVP_EncodeBlock's NUL
      b64_ = std::make_unique<unsigned char[]>(4 * (out_buffer_ / 3 + 3));
    }
  }
  // zlib takes at most 4 GiB at a time (uInt).
  while (!text.empty()) {
    const size_t n = std::min<size_t>(text.size(), 1u << 30);
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z_.avail_in = static_cast<uInt>(n);
    deflate_and_write(Z_NO_FLUSH);
    text.remove_prefix(n);
  }
}

void GzipBase64Line::finish() {
  if (!started_) return;
  z_.next_in = nullptr;
  z_.avail_in = 0;
  deflate_and_write(Z_FINISH);
  pad();
  std::fputc('\n', out_);
  deflateEnd(&z_);
  started_ = false;
}

// Runs deflate until it has taken all its input (Z_NO_FLUSH) or ended the stream
// (Z_FINISH), encoding each output buffer as it fills.
void GzipBase64Line::deflate_and_write(int flush) {
  for (;;) {
    z_.next_out = zout_.get();
    z_.avail_out = static_cast<uInt>(out_buffer_);
    const int rc = deflate(&z_, flush);
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("HTML report: compression failed");
    encode(zout_.get(), out_buffer_ - z_.avail_out);
    if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) return;
  }
}

// Base64 of whole 3-byte groups as they come, the bytes short of one carried to the
// next call: the same text as encoding the whole stream at once.
void GzipBase64Line::encode(const unsigned char* data, size_t n) {
  unsigned char* to = b64_.get();
  size_t written = 0;
  if (carried_) {
    const size_t take = std::min(n, 3 - carried_);
    std::memcpy(carry_ + carried_, data, take);  // carry_ has room for the group's third byte
    carried_ += take;
    data += take;
    n -= take;
    if (carried_ < 3) return;  // (n is 0)
    written = static_cast<size_t>(EVP_EncodeBlock(to, carry_, 3));
    carried_ = 0;
  }
  const size_t whole = n - n % 3;
  if (whole) written += static_cast<size_t>(EVP_EncodeBlock(to + written, data, static_cast<int>(whole)));
  std::memcpy(carry_, data + whole, n - whole);
  carried_ = n - whole;
  std::fwrite(to, 1, written, out_);
}

// The stream's last one or two bytes, with base64's padding.
void GzipBase64Line::pad() {
  if (!carried_) return;
  const int n = EVP_EncodeBlock(b64_.get(), carry_, static_cast<int>(carried_));
  std::fwrite(b64_.get(), 1, static_cast<size_t>(n), out_);
  carried_ = 0;
}

}  // namespace quartet::analyzer
