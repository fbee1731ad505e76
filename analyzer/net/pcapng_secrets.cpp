#include "net/pcapng_secrets.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer::net {
namespace {

constexpr uint32_t kShb = 0x0A0D0D0A;
constexpr uint32_t kDsb = 0x0000000A;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint32_t kTlsKeyLog = 0x544c534b;  // "TLSK"

uint32_t swap32(uint32_t v) { return __builtin_bswap32(v); }

}  // namespace

uint32_t PcapngSecretsSniffer::word(const unsigned char* p) const {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swap_ ? swap32(v) : v;
}

void PcapngSecretsSniffer::on_header() {
  uint32_t type;
  std::memcpy(&type, header_, 4);  // the SHB type reads the same in both byte orders
  if (type == kShb) {
    if (header_need_ == 8) {  // the byte-order magic decides how to read the length
      header_need_ = 12;
      return;
    }
    uint32_t magic;
    std::memcpy(&magic, header_ + 8, 4);
    if (magic == kByteOrderMagic) swap_ = false;
    else if (swap32(magic) == kByteOrderMagic) swap_ = true;
    else return void(state_ = State::Off);
  } else if (first_) {
    state_ = State::Off;  // not pcapng: a classic pcap file
    return;
  } else {
    type = word(header_);
  }
  first_ = false;
  const uint32_t total = word(header_ + 4);
  if (total < 12 || total % 4 != 0 || total < header_need_) {
    state_ = State::Off;  // damage: libpcap reports it
    return;
  }
  left_ = total - header_need_;
  keep_ = type == kDsb && total <= kMaxSecretsBlock;
  body_.clear();
  state_ = State::Body;
}

void PcapngSecretsSniffer::feed(const char* data, size_t n) {
  while (n > 0 && state_ != State::Off) {
    if (state_ == State::Header) {
      const size_t take = std::min(n, header_need_ - header_len_);
      std::memcpy(header_ + header_len_, data, take);
      header_len_ += take;
      data += take;
      n -= take;
      if (header_len_ == header_need_) on_header();
      continue;
    }
    const size_t take = static_cast<size_t>(std::min<uint64_t>(n, left_));
    if (keep_) body_.append(data, take);
    data += take;
    n -= take;
    left_ -= take;
    if (left_ > 0) continue;
    // Body: secrets type, secrets length, the secrets (padded), options, trailing length.
    if (keep_ && body_.size() >= 8) {
      const auto* b = reinterpret_cast<const unsigned char*>(body_.data());
      const uint32_t kind = word(b), len = word(b + 4);
      if (kind == kTlsKeyLog && len <= body_.size() - 8) cb_(std::string_view(body_).substr(8, len));
    }
    keep_ = false;
    body_.clear();
    state_ = State::Header;
    header_len_ = 0;
    header_need_ = 8;
  }
}

}  // namespace quartet::analyzer::net
