#include "decryptor.hpp"

#include <cstring>

namespace quartet::analyzer::tls {
namespace {

constexpr uint8_t kHelloRetryRandom[32] = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
                                           0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
                                           0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

}  // namespace

bool Decryptor::is_hello_retry(Bytes random) {
  return random.size() == 32 && std::memcmp(random.data(), kHelloRetryRandom, 32) == 0;
}

void Decryptor::client_hello(Side from, Bytes random) {
  if (random.size() != 32) return;
  tls_client_ = from;
  const auto* r = reinterpret_cast<const uint8_t*>(random.data());
  client_random_.assign(r, r + random.size());
}

std::string Decryptor::server_hello(uint16_t version, uint16_t suite, Bytes random, bool encrypt_then_mac) {
  if (version == 0x0304) tls13_chosen_ = true;
  if (is_hello_retry(random)) return {};  // HelloRetryRequest: the real ServerHello follows the second ClientHello
  if (version_ != 0) return {};           // one handshake per connection is followed
  version_ = version;
  std::string why;
  if (client_random_.empty()) {
    reason_ = "no ClientHello seen";
    return "encrypted: no ClientHello seen, so no key can be looked up";
  }
  if (version < 0x0301 || version > 0x0304) {
    reason_ = "unsupported version";
    return "encrypted: version not decrypted";
  }
  if (!suite_params(suite, params_, why)) {
    reason_ = "unsupported cipher suite";
    return "encrypted: " + why;
  }
  secrets_ = keys_ ? keys_->find(Bytes(reinterpret_cast<const std::byte*>(client_random_.data()), 32)) : nullptr;
  const bool have = secrets_ && (tls13() ? !secrets_->client_handshake.empty() && !secrets_->server_handshake.empty()
                                         : !secrets_->master.empty());
  if (!have) {
    reason_ = "no key";
    return "encrypted: no key for this session's client random";
  }
  if (!(tls13() ? setup_tls13(why) : setup_tls12(random, encrypt_then_mac, why))) {
    reason_ = "key derivation failed";
    return "encrypted: key derivation failed (" + why + ")";
  }
  return {};
}

bool Decryptor::setup_tls12(Bytes server_random, bool encrypt_then_mac, std::string& why) {
  const bool cbc = params_.mode == CipherMode::Cbc;
  if (tls13() || (params_.mode != CipherMode::Cbc && version_ < 0x0303)) {
    why = "AEAD suite below TLS 1.2";
    return false;
  }
  const size_t mac = cbc ? params_.mac_len : 0;
  size_t iv = 0;
  if (params_.mode == CipherMode::Gcm || params_.mode == CipherMode::Ccm) iv = 4;  // RFC 5288 salt
  else if (params_.mode == CipherMode::ChaCha20Poly1305) iv = 12;                  // RFC 7905
  else if (version_ == 0x0301) iv = params_.block_len;                             // TLS 1.0 CBC
  const size_t key = params_.key_len;
  Secret block;
  // RFC 5246 6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random).
  const std::string md = version_ < 0x0303 ? "MD5-SHA1" : params_.prf_md;
  if (!tls_prf(md, secrets_->master, "key expansion", server_random,
               Bytes(reinterpret_cast<const std::byte*>(client_random_.data()), 32), 2 * (mac + key + iv), block)) {
    why = "PRF failed";
    return false;
  }
  const Bytes b(reinterpret_cast<const std::byte*>(block.data()), block.size());
  for (int i = 0; i < 2; ++i) {
    auto c = std::make_unique<RecordCipher>();
    const size_t n = static_cast<size_t>(i);
    if (!c->init_tls12(params_, version_, encrypt_then_mac, b.subspan(n * mac, mac), b.subspan(2 * mac + n * key, key),
                       b.subspan(2 * (mac + key) + n * iv, iv))) {
      why = "cipher initialisation failed";
      return false;
    }
    dirs_[i].pending = std::move(c);
    dirs_[i].state = State::Pending;
  }
  OPENSSL_cleanse(block.data(), block.size());
  return true;
}

bool Decryptor::install_tls13(Side s, const Secret& secret) {
  auto c = std::make_unique<RecordCipher>();
  if (!c->init_tls13(params_, secret)) return false;
  Direction& d = dir(s);
  d.cipher = std::move(c);
  d.traffic = secret;
  d.state = State::Active;
  return true;
}

bool Decryptor::setup_tls13(std::string& why) {
  if (!install_tls13(tls_client_, secrets_->client_handshake) ||
      !install_tls13(other(tls_client_), secrets_->server_handshake)) {
    why = "HKDF failed";
    return false;
  }
  return true;
}

void Decryptor::change_cipher_spec(Side from) {
  Direction& d = dir(from);
  if (tls13() || d.state != State::Pending) return;  // TLS 1.3: a middlebox-compatibility CCS, no meaning
  d.cipher = std::move(d.pending);
  d.state = State::Active;
}

void Decryptor::finished(Side from) {
  if (!tls13() || dir(from).state != State::Active || !secrets_) return;
  const Secret& next = from == tls_client_ ? secrets_->client_traffic : secrets_->server_traffic;
  if (next.empty()) {
    set_reason("no application traffic secret in the key log");
    dir(from).state = State::Failed;
    return;
  }
  if (!install_tls13(from, next)) dir(from).state = State::Failed;
}

bool Decryptor::key_update(Side from) {
  Direction& d = dir(from);
  if (!tls13() || d.state != State::Active) return false;
  // RFC 8446 7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
  Secret next;
  if (!hkdf_expand_label(params_.prf_md, d.traffic, "traffic upd", d.traffic.size(), next) ||
      !install_tls13(from, next)) {
    d.state = State::Failed;
    return false;
  }
  return true;
}

bool Decryptor::decrypt(Side from, uint8_t& type, uint16_t version, Bytes body, std::vector<std::byte>& plain,
                        std::string& why) {
  Direction& d = dir(from);
  if (d.state != State::Active || !d.cipher) return false;
  if (d.cipher->decrypt(type, version, body, plain, why)) {
    ++d.records;
    return true;
  }
  d.state = State::Failed;
  set_reason(std::string("bad record from the ") + (from == Side::Client ? "client" : "server"));
  return false;
}

}  // namespace quartet::analyzer::tls
