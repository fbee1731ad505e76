// Watches the bytes of a capture stream go by and hands over the TLS key logs
// of pcapng Decryption Secrets Blocks (`editcap --inject-secrets tls,KEYS`).
// libpcap skips those blocks, so they are picked out of the stream as libpcap
// reads it: this works the same for files, compressed files and standard input.
// Nothing is buffered except the body of a secrets block (bounded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace quartet::analyzer::net {

using SecretsCallback = std::function<void(std::string_view key_log)>;

class PcapngSecretsSniffer {
 public:
  // A secrets block larger than this is skipped (a key log line is ~180 bytes).
  static constexpr uint32_t kMaxSecretsBlock = 16u << 20;

  explicit PcapngSecretsSniffer(SecretsCallback cb) : cb_(std::move(cb)) {}
  // The next bytes of the (decompressed) capture stream.
  void feed(const char* data, size_t n);

 private:
  enum class State : uint8_t { Header, Body, Off };
  void on_header();
  uint32_t word(const unsigned char* p) const;

  SecretsCallback cb_;
  State state_ = State::Header;
  bool first_ = true;  // the stream's first block must be a Section Header Block
  bool swap_ = false;  // section written in the other byte order
  unsigned char header_[12];
  size_t header_len_ = 0;
  size_t header_need_ = 8;
  uint64_t left_ = 0;  // bytes of the current block still to come
  bool keep_ = false;  // collecting a Decryption Secrets Block
  std::string body_;
};

}  // namespace quartet::analyzer::net
