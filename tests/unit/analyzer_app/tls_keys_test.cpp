// The key log reader and the key derivations of analyzer/tls, against known answers.
#include <gtest/gtest.h>

#include <string>

#include "decryptor.hpp"
#include "keylog.hpp"
#include "tls_crypto.hpp"

using namespace quartet;
using namespace quartet::analyzer;
using namespace quartet::analyzer::tls;

namespace {

std::string hex(const Secret& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (uint8_t b : s) {
    out += d[b >> 4];
    out += d[b & 15];
  }
  return out;
}

Secret unhex(const std::string& h) {
  Secret s;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    s.push_back(static_cast<uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return s;
}

Bytes view(const Secret& s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }

const std::string kRandom(64, 'a');

TEST(KeyLog, ReadsTheLabelsItNeedsAndCountsJunk) {
  KeyLog k;
  const std::string text =
      "# comment\n\n"
      "CLIENT_RANDOM " +
      kRandom + " " + std::string(96, '1') +
      "\r\n"
      "CLIENT_HANDSHAKE_TRAFFIC_SECRET " +
      kRandom + " " + std::string(64, '2') +
      "\n"
      "EXPORTER_SECRET " +
      kRandom + " " + std::string(64, '3') +
      "\n"      // not needed: ignored
      "junk\n"  // malformed: line 6
      "CLIENT_RANDOM " +
      kRandom + " " + std::string(94, '1') +
      "\n"  // 47 bytes: malformed
      "SERVER_TRAFFIC_SECRET_0 zz" +
      std::string(62, 'a') + " " + std::string(64, '4') + "\n";
  const KeyLogStats st = k.add_text(text);
  EXPECT_EQ(st.lines, 6u);
  EXPECT_EQ(st.used, 2u);
  EXPECT_EQ(st.ignored, 1u);
  EXPECT_EQ(st.malformed, 3u);
  EXPECT_EQ(st.first_malformed_line, 6u);
  const Secret random = unhex(kRandom);
  const SessionSecrets* s = k.find(view(random));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(hex(s->master), std::string(96, '1'));
  EXPECT_EQ(hex(s->client_handshake), std::string(64, '2'));
  EXPECT_TRUE(s->server_traffic.empty());
  EXPECT_EQ(k.find(view(unhex(std::string(64, 'b')))), nullptr);
}

// RFC 8448 section 3 (simple 1-RTT handshake): the server's handshake write key and IV.
TEST(TlsKeys, Tls13KeyAndIvFromATrafficSecret) {
  const Secret secret = unhex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
  Secret key, iv;
  ASSERT_TRUE(hkdf_expand_label("SHA256", secret, "key", 16, key));
  ASSERT_TRUE(hkdf_expand_label("SHA256", secret, "iv", 12, iv));
  EXPECT_EQ(hex(key), "3fce516009c21727d0f2e4e86ee403bc");
  EXPECT_EQ(hex(iv), "5d313eb2671276ee13000b30");
}

TEST(TlsKeys, SuiteParametersComeFromOpenSsl) {
  SuiteParams p;
  std::string why;
  ASSERT_TRUE(suite_params(0x1303, p, why));  // TLS_CHACHA20_POLY1305_SHA256
  EXPECT_EQ(p.mode, CipherMode::ChaCha20Poly1305);
  EXPECT_EQ(p.key_len, 32u);
  ASSERT_TRUE(suite_params(0x1305, p, why));  // TLS_AES_128_CCM_8_SHA256
  EXPECT_EQ(p.mode, CipherMode::Ccm);
  EXPECT_EQ(p.tag_len, 8u);
  ASSERT_TRUE(suite_params(0xc028, p, why));  // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384
  EXPECT_EQ(p.mode, CipherMode::Cbc);
  EXPECT_EQ(p.mac_len, 48u);
  EXPECT_EQ(p.block_len, 16u);
  ASSERT_TRUE(suite_params(0x002f, p, why));  // TLS_RSA_WITH_AES_128_CBC_SHA: PRF SHA-256 under TLS 1.2
  EXPECT_EQ(p.mac_len, 20u);
  EXPECT_FALSE(suite_params(0xfefe, p, why));
  EXPECT_FALSE(why.empty());
}

TEST(TlsKeys, NoKeyIsSaidOnceAndExplained) {
  KeyLog empty;
  Decryptor d(&empty);
  const Secret client_random = unhex(kRandom), server_random = unhex(std::string(64, 'c'));
  d.client_hello(Side::Client, view(client_random));
  EXPECT_EQ(d.server_hello(0x0304, 0x1301, view(server_random), false),
            "encrypted: no key for this session's client random");
  EXPECT_EQ(d.reason(), "no key");
  EXPECT_FALSE(d.active(Side::Client));
  EXPECT_EQ(d.server_hello(0x0304, 0x1301, view(server_random), false), "");  // one handshake is followed
  Decryptor mid(&empty);
  EXPECT_EQ(mid.reason(), "handshake not seen");
}

TEST(TlsKeys, HelloRetryRequestWaitsForTheRealServerHello) {
  const Secret hrr = unhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
  KeyLog empty;
  Decryptor d(&empty);
  d.client_hello(Side::Client, view(unhex(kRandom)));
  EXPECT_TRUE(Decryptor::is_hello_retry(view(hrr)));
  EXPECT_EQ(d.server_hello(0x0304, 0x1302, view(hrr), false), "");
  EXPECT_TRUE(d.tls13_chosen());
  EXPECT_EQ(d.reason(), "no ServerHello seen");
}

}  // namespace
