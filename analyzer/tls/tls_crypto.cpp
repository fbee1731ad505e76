#include "tls_crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>

namespace quartet::analyzer::tls {
namespace {

enum : uint8_t { kApplicationData = 23 };

// EVP objects fetched once and kept for the life of the process, shared by the
// decoding threads of --threads (fetched objects may be used from any thread; the
// caches are locked). The caches are never destroyed, so that the objects stay
// reachable until exit instead of looking leaked after static destruction.
std::mutex& fetch_lock() {
  static auto& m = *new std::mutex;
  return m;
}

const EVP_CIPHER* fetch_cipher(int nid) {
  std::lock_guard lock(fetch_lock());
  static auto& cache = *new std::map<int, EVP_CIPHER*>;
  auto it = cache.find(nid);
  if (it != cache.end()) return it->second;
  EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, OBJ_nid2sn(nid), nullptr);
  cache[nid] = c;
  return c;
}

EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

EVP_KDF* kdf(const char* name) {
  std::lock_guard lock(fetch_lock());
  static auto& cache = *new std::map<std::string, EVP_KDF*>;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  return cache[name] = EVP_KDF_fetch(nullptr, name, nullptr);
}

bool derive(const char* kdf_name, OSSL_PARAM* params, size_t out_len, Secret& out) {
  EVP_KDF* k = kdf(kdf_name);
  if (!k) return false;
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(k), EVP_KDF_CTX_free);
  if (!ctx) return false;
  out.resize(out_len);
  return EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) > 0;
}

OSSL_PARAM octets(const char* key, const void* p, size_t n) {
  // OSSL_PARAM takes non-const pointers but only reads them here.
  return OSSL_PARAM_construct_octet_string(key, const_cast<void*>(p), n);
}

void put_seq(uint8_t* out, uint64_t seq) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(seq);
    seq >>= 8;
  }
}

}  // namespace

const ssl_cipher_st* find_suite(uint16_t suite) {
  // OpenSSL knows every suite it implements; asking needs an SSL object, made
  // once. SSL_CIPHER_find finds suites whether or not they are enabled.
  static SSL* ssl = [] {
    SSL_CTX* ctx = SSL_CTX_new(TLS_method());
    return ctx ? SSL_new(ctx) : nullptr;
  }();
  if (!ssl) return nullptr;
  const unsigned char id[2] = {static_cast<unsigned char>(suite >> 8), static_cast<unsigned char>(suite)};
  return SSL_CIPHER_find(ssl, id);
}

bool suite_params(uint16_t suite, SuiteParams& out, std::string& why) {
  const SSL_CIPHER* c = find_suite(suite);
  if (!c) {
    why = "cipher suite unknown to OpenSSL";
    return false;
  }
  const int nid = SSL_CIPHER_get_cipher_nid(c);
  const EVP_CIPHER* cipher = nid == NID_undef ? nullptr : fetch_cipher(nid);
  const EVP_MD* hs = SSL_CIPHER_get_handshake_digest(c);
  if (!cipher || !hs) {
    why = "cipher suite without a record cipher OpenSSL provides";
    return false;
  }
  out = SuiteParams{};
  out.cipher = cipher;
  out.key_len = static_cast<size_t>(EVP_CIPHER_get_key_length(cipher));
  // Suites older than TLS 1.2 name MD5+SHA1, the TLS 1.0/1.1 PRF; under TLS 1.2 they use SHA-256.
  out.prf_md = EVP_MD_get_type(hs) == NID_md5_sha1 ? "SHA256" : EVP_MD_get0_name(hs);
  const std::string name = SSL_CIPHER_standard_name(c) ? SSL_CIPHER_standard_name(c) : "";
  switch (EVP_CIPHER_get_mode(cipher)) {
    case EVP_CIPH_GCM_MODE:
      out.mode = CipherMode::Gcm;
      out.tag_len = 16;
      return true;
    case EVP_CIPH_CCM_MODE:
      out.mode = CipherMode::Ccm;
      out.tag_len = name.find("CCM_8") != std::string::npos ? 8 : 16;
      return true;
    case EVP_CIPH_CBC_MODE: {
      const int md_nid = SSL_CIPHER_get_digest_nid(c);
      const EVP_MD* md = md_nid == NID_undef ? nullptr : EVP_get_digestbynid(md_nid);
      if (!md) break;
      out.mode = CipherMode::Cbc;
      out.block_len = static_cast<size_t>(EVP_CIPHER_get_block_size(cipher));
      out.mac_md = EVP_MD_get0_name(md);
      out.mac_len = static_cast<size_t>(EVP_MD_get_size(md));
      return true;
    }
    default:
      if (nid == NID_chacha20_poly1305) {
        out.mode = CipherMode::ChaCha20Poly1305;
        out.tag_len = 16;
        return true;
      }
      break;
  }
  why = "record cipher " + std::string(OBJ_nid2sn(nid)) + " not supported";
  return false;
}

bool tls_prf(const std::string& md, const Secret& secret, std::string_view label, Bytes seed_a, Bytes seed_b,
             size_t out_len, Secret& out) {
  // TLS1-PRF concatenates repeated seed parameters: label, then the seeds.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(md.c_str()), 0),
      octets(OSSL_KDF_PARAM_SECRET, secret.data(), secret.size()),
      octets(OSSL_KDF_PARAM_SEED, label.data(), label.size()),
      octets(OSSL_KDF_PARAM_SEED, seed_a.data(), seed_a.size()),
      octets(OSSL_KDF_PARAM_SEED, seed_b.data(), seed_b.size()),
      OSSL_PARAM_construct_end(),
  };
  return derive("TLS1-PRF", params, out_len, out);
}

bool hkdf_expand_label(const std::string& md, const Secret& secret, std::string_view label, size_t out_len,
                       Secret& out) {
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  static const char kPrefix[] = "tls13 ";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(md.c_str()), 0),
      octets(OSSL_KDF_PARAM_KEY, secret.data(), secret.size()),
      octets(OSSL_KDF_PARAM_PREFIX, kPrefix, sizeof kPrefix - 1),
      octets(OSSL_KDF_PARAM_LABEL, label.data(), label.size()),
      octets(OSSL_KDF_PARAM_DATA, "", 0),
      OSSL_PARAM_construct_end(),
  };
  return derive("TLS13-KDF", params, out_len, out);
}

RecordCipher::RecordCipher() : ctx_(EVP_CIPHER_CTX_new()) {}
RecordCipher::~RecordCipher() {
  EVP_CIPHER_CTX_free(ctx_);
  EVP_MAC_CTX_free(mac_);
  OPENSSL_cleanse(key_.data(), key_.size());
  OPENSSL_cleanse(mac_key_.data(), mac_key_.size());
}

bool RecordCipher::init_tls13(const SuiteParams& p, const Secret& traffic_secret) {
  p_ = p;
  tls13_ = true;
  seq_ = 0;
  Secret key, iv;
  if (!hkdf_expand_label(p.prf_md, traffic_secret, "key", p.key_len, key) ||
      !hkdf_expand_label(p.prf_md, traffic_secret, "iv", 12, iv))
    return false;
  key_ = std::move(key);
  iv_ = std::move(iv);
  if (p.mode == CipherMode::Cbc || !ctx_) return false;
  return EVP_DecryptInit_ex2(ctx_, p.cipher, nullptr, nullptr, nullptr) > 0;
}

bool RecordCipher::init_tls12(const SuiteParams& p, uint16_t version, bool encrypt_then_mac, Bytes mac_key, Bytes key,
                              Bytes iv) {
  p_ = p;
  tls13_ = false;
  seq_ = 0;
  etm_ = encrypt_then_mac && p.mode == CipherMode::Cbc;
  chained_iv_ = p.mode == CipherMode::Cbc && version <= 0x0301;
  const auto* k = reinterpret_cast<const uint8_t*>(key.data());
  const auto* m = reinterpret_cast<const uint8_t*>(mac_key.data());
  const auto* v = reinterpret_cast<const uint8_t*>(iv.data());
  key_.assign(k, k + key.size());
  mac_key_.assign(m, m + mac_key.size());
  iv_.assign(v, v + iv.size());
  if (!ctx_) return false;
  if (p.mode == CipherMode::Cbc) {
    if (!mac_) mac_ = EVP_MAC_CTX_new(hmac_algorithm());
    if (!mac_) return false;
  }
  return EVP_DecryptInit_ex2(ctx_, p.cipher, nullptr, nullptr, nullptr) > 0;
}

bool RecordCipher::decrypt(uint8_t& type, uint16_t version, Bytes body, std::vector<std::byte>& plain,
                           std::string& why) {
  const bool ok =
      p_.mode == CipherMode::Cbc ? cbc(type, version, body, plain, why) : aead(type, version, body, plain, why);
  if (!ok) return false;
  ++seq_;
  if (tls13_) {
    // TLSInnerPlaintext: content, the real content type, then zero padding.
    while (!plain.empty() && plain.back() == std::byte{0}) plain.pop_back();
    if (plain.empty()) {
      why = "TLS 1.3 record without a content type";
      return false;
    }
    type = static_cast<uint8_t>(plain.back());
    plain.pop_back();
  }
  return true;
}

bool RecordCipher::aead(uint8_t type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why) {
  // Nonce: TLS 1.3 and ChaCha20 (RFC 7905) XOR the sequence into a 12-byte IV;
  // TLS 1.2 GCM/CCM (RFC 5288, 6655) append an explicit 8-byte part sent in the record.
  uint8_t nonce[12];
  size_t explicit_len = 0;
  if (tls13_ || p_.mode == CipherMode::ChaCha20Poly1305) {
    if (iv_.size() != 12) return why = "bad IV length", false;
    uint8_t seq[8];
    put_seq(seq, seq_);
    std::memcpy(nonce, iv_.data(), 12);
    for (int i = 0; i < 8; ++i) nonce[4 + i] ^= seq[i];
  } else {
    explicit_len = 8;
    if (iv_.size() != 4 || body.size() < explicit_len) return why = "record shorter than its nonce", false;
    std::memcpy(nonce, iv_.data(), 4);
    std::memcpy(nonce + 4, body.data(), 8);
  }
  if (body.size() < explicit_len + p_.tag_len) return why = "record shorter than its tag", false;
  const Bytes ct = body.subspan(explicit_len, body.size() - explicit_len - p_.tag_len);
  const Bytes tag = body.last(p_.tag_len);
  // Additional data: TLS 1.3 the record header; TLS 1.2 seq, type, version, plaintext length.
  uint8_t aad[13];
  size_t aad_len;
  if (tls13_) {
    aad[0] = kApplicationData;
    aad[1] = 3;
    aad[2] = 3;
    aad[3] = static_cast<uint8_t>(body.size() >> 8);
    aad[4] = static_cast<uint8_t>(body.size());
    aad_len = 5;
  } else {
    put_seq(aad, seq_);
    aad[8] = type;
    aad[9] = static_cast<uint8_t>(version >> 8);
    aad[10] = static_cast<uint8_t>(version);
    aad[11] = static_cast<uint8_t>(ct.size() >> 8);
    aad[12] = static_cast<uint8_t>(ct.size());
    aad_len = 13;
  }
  plain.resize(ct.size());
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  const auto* in = reinterpret_cast<const unsigned char*>(ct.data());
  void* tag_ptr = const_cast<std::byte*>(tag.data());
  const int ct_len = static_cast<int>(ct.size());
  int n = 0;
  bool ok;
  if (p_.mode == CipherMode::Ccm) {
    // CCM wants the tag and the total length before any data (EVP_EncryptInit(3), "CCM Mode").
    ok = EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) > 0 &&
         EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(p_.tag_len), tag_ptr) > 0 &&
         EVP_DecryptInit_ex(ctx_, nullptr, nullptr, key_.data(), nonce) > 0 &&
         EVP_DecryptUpdate(ctx_, nullptr, &n, nullptr, ct_len) > 0 &&
         EVP_DecryptUpdate(ctx_, nullptr, &n, aad, static_cast<int>(aad_len)) > 0 &&
         EVP_DecryptUpdate(ctx_, out, &n, in, ct_len) > 0;
  } else {
    int fin = 0;
    ok = EVP_DecryptInit_ex(ctx_, nullptr, nullptr, key_.data(), nonce) > 0 &&
         EVP_DecryptUpdate(ctx_, nullptr, &n, aad, static_cast<int>(aad_len)) > 0 &&
         EVP_DecryptUpdate(ctx_, out, &n, in, ct_len) > 0 &&
         EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(p_.tag_len), tag_ptr) > 0 &&
         EVP_DecryptFinal_ex(ctx_, out + n, &fin) > 0;
  }
  if (!ok) why = "authentication tag does not match";
  return ok;
}

bool RecordCipher::hmac(const uint8_t pseudo_header[13], Bytes data, std::vector<uint8_t>& out) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(p_.mac_md.c_str()), 0),
      OSSL_PARAM_construct_end(),
  };
  out.resize(p_.mac_len);
  size_t n = 0;
  return EVP_MAC_init(mac_, mac_key_.data(), mac_key_.size(), params) > 0 &&
         EVP_MAC_update(mac_, pseudo_header, 13) > 0 &&
         EVP_MAC_update(mac_, reinterpret_cast<const unsigned char*>(data.data()), data.size()) > 0 &&
         EVP_MAC_final(mac_, out.data(), &n, out.size()) > 0 && n == p_.mac_len;
}

bool RecordCipher::cbc(uint8_t type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why) {
  uint8_t header[13];
  put_seq(header, seq_);
  header[8] = type;
  header[9] = static_cast<uint8_t>(version >> 8);
  header[10] = static_cast<uint8_t>(version);
  const auto set_len = [&](size_t n) {
    header[11] = static_cast<uint8_t>(n >> 8);
    header[12] = static_cast<uint8_t>(n);
  };
  std::vector<uint8_t> mac;
  // encrypt_then_mac (RFC 7366): the MAC covers the IV and ciphertext and is checked first.
  if (etm_) {
    if (body.size() < p_.mac_len) return why = "record shorter than its MAC", false;
    const Bytes protected_part = body.first(body.size() - p_.mac_len);
    set_len(protected_part.size());
    if (!hmac(header, protected_part, mac) || CRYPTO_memcmp(mac.data(), body.last(p_.mac_len).data(), p_.mac_len) != 0)
      return why = "record MAC does not match (encrypt_then_mac)", false;
    body = protected_part;
  }
  const size_t bl = p_.block_len;
  const size_t explicit_iv = chained_iv_ ? 0 : bl;
  if (body.size() < explicit_iv + bl || (body.size() - explicit_iv) % bl != 0)
    return why = "ciphertext is not a whole number of blocks", false;
  const auto* iv = chained_iv_ ? iv_.data() : reinterpret_cast<const uint8_t*>(body.data());
  const Bytes ct = body.subspan(explicit_iv);
  plain.resize(ct.size());
  int n = 0;
  if (EVP_DecryptInit_ex(ctx_, nullptr, nullptr, key_.data(), iv) <= 0 || EVP_CIPHER_CTX_set_padding(ctx_, 0) <= 0 ||
      EVP_DecryptUpdate(ctx_, reinterpret_cast<unsigned char*>(plain.data()), &n,
                        reinterpret_cast<const unsigned char*>(ct.data()), static_cast<int>(ct.size())) <= 0)
    return why = "cipher failure", false;
  if (chained_iv_) {
    const auto* last = reinterpret_cast<const uint8_t*>(ct.data() + ct.size() - bl);
    iv_.assign(last, last + bl);
  }
  // Padding: its length byte last, every padding byte equal to it (TLS 1.0+).
  const auto pad = static_cast<size_t>(plain.back());
  if (pad + 1 > plain.size()) return why = "bad CBC padding", false;
  for (size_t i = plain.size() - 1 - pad; i < plain.size(); ++i)
    if (static_cast<size_t>(plain[i]) != pad) return why = "bad CBC padding", false;
  plain.resize(plain.size() - pad - 1);
  if (etm_) return true;
  if (plain.size() < p_.mac_len) return why = "record shorter than its MAC", false;
  const size_t content = plain.size() - p_.mac_len;
  set_len(content);
  if (!hmac(header, Bytes(plain.data(), content), mac) ||
      CRYPTO_memcmp(mac.data(), plain.data() + content, p_.mac_len) != 0)
    return why = "record MAC does not match", false;
  plain.resize(content);
  return true;
}

}  // namespace quartet::analyzer::tls
