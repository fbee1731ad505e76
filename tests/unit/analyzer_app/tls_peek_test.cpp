// The TLS record peeker: what a handshake shows in clear.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tls_peek.hpp"
#include "tls_test_util.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

struct Finding {
  EntryKind kind;
  std::string text;
};

// A follower without a decryptor: what the handshake shows in clear.
struct Peek final : TlsListener {
  TlsPeeker p;
  TlsInfo info;
  std::vector<Finding> out;
  std::string plaintext;
  void tls_event(EntryKind kind, std::string text) override { out.push_back({kind, std::move(text)}); }
  void tls_plaintext(Bytes data) override { plaintext += as_text(data); }
  void feed(const std::string& s, Side from = Side::Client) {
    TlsContext ctx{info, nullptr, *this};
    p.feed(as_bytes(s), from, ctx);
  }
  std::string texts() const {
    std::string all;
    for (const auto& f : out) all += f.text + "\n";
    return all;
  }
};

// A self-signed certificate made with OpenSSL, as DER.
std::string make_cert(const char* cn) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), 0);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Registrar"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int n = i2d_X509(x, &der);
  std::string s(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  X509_free(x);
  EVP_PKEY_free(key);
  return s;
}

TEST(TlsPeek, RecognisesAHandshakeRecordStart) {
  const std::string ch = tlsgen::client_hello("a.example");
  EXPECT_TRUE(TlsPeeker::looks_like_tls(as_bytes(ch)));
  EXPECT_FALSE(TlsPeeker::looks_like_tls(as_bytes(std::string("GET / HTTP/1.1\r\n"))));
  EXPECT_FALSE(TlsPeeker::looks_like_tls(as_bytes(std::string("\x16\x03\x01", 3))));  // too short to tell
  EXPECT_FALSE(TlsPeeker::looks_like_tls(as_bytes(std::string("\x16\x03\x09\x00\x10", 5))));
}

TEST(TlsPeek, ClientHelloShowsSniOfferedVersionsAndAlpn) {
  Peek k;
  k.feed(tlsgen::client_hello("rrp.registry.example"));
  ASSERT_EQ(k.out.size(), 1u);
  EXPECT_EQ(k.out[0].kind, EntryKind::Tls);
  EXPECT_EQ(k.out[0].text,
            "TLS ClientHello TLS 1.2, SNI rrp.registry.example, offers TLS 1.3/TLS 1.2, ALPN rrp, 3 cipher suites");
  EXPECT_EQ(k.info.sni, "rrp.registry.example");
  EXPECT_EQ(k.info.version, "TLS 1.0");  // record version until a ServerHello says otherwise
}

TEST(TlsPeek, ServerHelloChosenVersionAndCipher) {
  Peek k;
  k.feed(tlsgen::server_hello(0xc02f), Side::Server);
  EXPECT_EQ(k.info.version, "TLS 1.2");
  EXPECT_EQ(k.info.cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  Peek k13;
  k13.feed(tlsgen::server_hello(0x1301, 0x0304), Side::Server);
  EXPECT_EQ(k13.info.version, "TLS 1.3");
  EXPECT_EQ(k13.info.cipher, "TLS_AES_128_GCM_SHA256");
  Peek unknown;
  unknown.feed(tlsgen::server_hello(0xfefe), Side::Server);
  EXPECT_EQ(unknown.info.cipher, "0xfefe");
}

TEST(TlsPeek, CertificateSubjectInTls12) {
  Peek k;
  const std::string der = make_cert("pdp.example.net");
  const std::string rec = tlsgen::certificate(der);
  // Split the record across three chunks to exercise the record buffer.
  k.feed(rec.substr(0, 3), Side::Server);
  k.feed(rec.substr(3, 100), Side::Server);
  k.feed(rec.substr(103), Side::Server);
  ASSERT_EQ(k.out.size(), 1u);
  EXPECT_EQ(k.out[0].text, "TLS server certificate subject CN=pdp.example.net,O=Registrar");
  EXPECT_EQ(k.info.subject, "CN=pdp.example.net,O=Registrar");
}

TEST(TlsPeek, HandshakeMessageSpanningTwoRecords) {
  Peek k;
  const std::string hs = tlsgen::handshake(11, tlsgen::vec24(tlsgen::vec24(make_cert("split.example"))));
  k.feed(tlsgen::record(22, hs.substr(0, 50)) + tlsgen::record(22, hs.substr(50)), Side::Server);
  ASSERT_EQ(k.out.size(), 1u);
  EXPECT_NE(k.out[0].text.find("CN=split.example"), std::string::npos);
}

TEST(TlsPeek, AlertInClearAndAfterChangeCipherSpec) {
  Peek k;
  k.feed(tlsgen::alert(2, 40), Side::Server);
  k.feed(tlsgen::record(20, std::string(1, '\1')), Side::Server);
  k.feed(tlsgen::alert(1, 0), Side::Server);  // would be encrypted now; length 2 but after CCS
  EXPECT_EQ(k.texts(),
            "TLS alert fatal handshake_failure (40)\nTLS ChangeCipherSpec: encrypted from here\nTLS encrypted alert\n");
}

TEST(TlsPeek, ApplicationDataIsCountedNotShown) {
  Peek k;
  k.feed(tlsgen::record(23, std::string(100, 'x')) + tlsgen::record(23, std::string(50, 'y')));
  EXPECT_TRUE(k.out.empty());
  EXPECT_TRUE(k.plaintext.empty());  // nothing is decrypted without a decryptor
  EXPECT_EQ(k.info.app_records, 2u);
  EXPECT_EQ(k.info.app_bytes, 150u);
}

TEST(TlsPeek, NotTlsStopsWithAWarning) {
  Peek k;
  k.feed("GET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(k.out.size(), 1u);
  EXPECT_EQ(k.out[0].kind, EntryKind::Warning);
  EXPECT_TRUE(k.p.stopped());
}

TEST(TlsPeek, LyingLengthsInsideAClientHelloAreHarmless) {
  // A ClientHello whose extension block claims more bytes than there are.
  std::string b;
  tlsgen::u16(b, 0x0303);
  b += std::string(32, 'r');
  b += tlsgen::vec8("");
  b += tlsgen::vec16(std::string(2, '\0'));
  b += tlsgen::vec8(std::string(1, '\0'));
  tlsgen::u16(b, 0xffff);  // extensions length: a lie
  b += "\x00\x00\xff\xff";
  Peek k;
  k.feed(tlsgen::record(22, tlsgen::handshake(1, b)));
  ASSERT_EQ(k.out.size(), 1u);
  EXPECT_EQ(k.out[0].text, "TLS ClientHello TLS 1.2, 1 cipher suites");
}

}  // namespace
