// The cryptography of TLS record protection, every primitive from OpenSSL's
// libcrypto EVP interfaces: the TLS 1.0-1.2 PRF (EVP_KDF "TLS1-PRF"),
// HKDF-Expand-Label (EVP_KDF "TLS13-KDF"), HMAC (EVP_MAC) and the record
// ciphers (EVP_CIPHER: AES-GCM, AES-CCM, ChaCha20-Poly1305, CBC modes). What a
// cipher suite uses is read from OpenSSL's own description of the suite.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.hpp"
#include "keylog.hpp"

struct ssl_cipher_st;

namespace quartet::analyzer::tls {

// OpenSSL's description of a cipher suite, or nullptr when it does not know it.
const ssl_cipher_st* find_suite(uint16_t suite);

enum class CipherMode : uint8_t { Gcm, Ccm, ChaCha20Poly1305, Cbc };

// What protecting records with one suite takes.
struct SuiteParams {
  CipherMode mode = CipherMode::Gcm;
  const EVP_CIPHER* cipher = nullptr;  // fetched once per process, never freed
  size_t key_len = 0;
  size_t block_len = 0;  // CBC block size
  size_t tag_len = 0;    // AEAD tag
  std::string mac_md;    // CBC suites: HMAC digest ("SHA1", "SHA256", "SHA384")
  size_t mac_len = 0;
  std::string prf_md;  // TLS 1.2 PRF / TLS 1.3 HKDF digest
};
// False (with `why`) when OpenSSL does not know the suite or its cipher is not a record cipher we handle.
bool suite_params(uint16_t suite, SuiteParams& out, std::string& why);

// PRF(secret, label, seed_a + seed_b) of TLS 1.0/1.1 (md "MD5-SHA1") or TLS 1.2.
bool tls_prf(const std::string& md, const Secret& secret, std::string_view label, Bytes seed_a, Bytes seed_b,
             size_t out_len, Secret& out);
// HKDF-Expand-Label(secret, label, "", out_len) of RFC 8446 7.1.
bool hkdf_expand_label(const std::string& md, const Secret& secret, std::string_view label, size_t out_len,
                       Secret& out);

// One direction's record protection: keys, IV and the record sequence number.
class RecordCipher {
 public:
  RecordCipher();
  ~RecordCipher();
  RecordCipher(const RecordCipher&) = delete;
  RecordCipher& operator=(const RecordCipher&) = delete;

  // TLS 1.3: key and IV from a traffic secret (RFC 8446 7.3); the sequence restarts at 0.
  bool init_tls13(const SuiteParams& p, const Secret& traffic_secret);
  // TLS <= 1.2: slices of the key block. `version` picks the CBC IV handling (TLS 1.0: chained).
  bool init_tls12(const SuiteParams& p, uint16_t version, bool encrypt_then_mac, Bytes mac_key, Bytes key, Bytes iv);

  // Decrypts and authenticates one record body. On success `plain` holds the
  // plaintext and `type` the content type (TLS 1.3: the inner type). False with
  // `why` when the tag, MAC or padding is wrong or the record is too short.
  bool decrypt(uint8_t& type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why);

  uint64_t sequence() const { return seq_; }

 private:
  bool aead(uint8_t type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why);
  bool cbc(uint8_t type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why);
  bool hmac(const uint8_t pseudo_header[13], Bytes data, std::vector<uint8_t>& out);

  SuiteParams p_;
  bool tls13_ = false;
  bool etm_ = false;
  bool chained_iv_ = false;  // TLS 1.0 CBC: the IV is the previous record's last ciphertext block
  std::vector<uint8_t> key_, iv_, mac_key_;
  uint64_t seq_ = 0;
  EVP_CIPHER_CTX* ctx_ = nullptr;
  EVP_MAC_CTX* mac_ = nullptr;
};

}  // namespace quartet::analyzer::tls
