#include "tls_peek.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "common/text.hpp"
#include "decryptor.hpp"

namespace quartet::analyzer {
namespace {

constexpr size_t kRecordHeader = 5;
// RFC 8446 5.2: a ciphertext record is at most 2^14 + 256 bytes; TLS 1.2 allowed 2^14 + 2048.
constexpr size_t kMaxRecordBody = (1u << 14) + 2048;
// Certificate chains are the largest handshake messages; beyond this we stop looking.
constexpr size_t kMaxHandshakeBuffer = 256 * 1024;

enum : uint8_t { kChangeCipherSpec = 20, kAlert = 21, kHandshake = 22, kApplicationData = 23, kHeartbeat = 24 };
enum : uint8_t {
  kClientHello = 1,
  kServerHello = 2,
  kCertificate = 11,
  kCertificateRequest = 13,
  kFinished = 20,
  kKeyUpdate = 24,
};
enum : uint16_t { kExtSni = 0, kExtAlpn = 16, kExtEncryptThenMac = 22, kExtSupportedVersions = 43 };

bool is_grease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

// A bounds-checked reader over one handshake message: every read fails softly
// (ok() turns false) instead of reading past the end, so lying lengths are harmless.
class Reader {
 public:
  explicit Reader(Bytes b) : b_(b) {}
  bool ok() const { return ok_; }
  size_t left() const { return ok_ ? b_.size() - pos_ : 0; }
  uint32_t u(size_t width) {
    if (!need(width)) return 0;
    uint32_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | be8(b_, pos_ + i);
    pos_ += width;
    return v;
  }
  Bytes take(size_t n) {
    if (!need(n)) return {};
    Bytes r = b_.subspan(pos_, n);
    pos_ += n;
    return r;
  }
  Bytes vec(size_t len_width) { return take(u(len_width)); }

 private:
  bool need(size_t n) {
    if (ok_ && n <= b_.size() - pos_) return true;
    ok_ = false;
    return false;
  }
  Bytes b_;
  size_t pos_ = 0;
  bool ok_ = true;
};

std::string printable(Bytes b) {
  std::string s;
  s.reserve(b.size());
  for (std::byte x : b) {
    auto c = static_cast<char>(x);
    s += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

// The next DER element of [*p, end) (OpenSSL's ASN1_get_object reads tag and
// length, bounded by the buffer): its start, and *p moved past it. nullptr when
// it is not a constructed element with tag `tag` of class `cls`.
const unsigned char* next_element(const unsigned char** p, const unsigned char* end, int tag, int cls) {
  const unsigned char* start = *p;
  const unsigned char* q = *p;
  long len = 0;
  int got_tag = 0, got_class = 0;
  const int r = ASN1_get_object(&q, &len, &got_tag, &got_class, end - *p);
  if ((r & 0x80) || !(r & V_ASN1_CONSTRUCTED) || got_tag != tag || got_class != cls || len > end - q) return nullptr;
  *p = q + len;
  return start;
}

// Subject of a DER certificate in RFC 2253 form, via OpenSSL. Only the subject
// Name is decoded: d2i_X509 would also decode the public key, which in OpenSSL 3
// goes through its provider decoders and cost more than the rest of the TLS
// handshake's analysis. The walk (RFC 5280 section 4.1): Certificate SEQUENCE,
// tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
// issuer, validity, subject, ... }.
std::string certificate_subject(Bytes der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* end = p + der.size();
  const unsigned char* q = p;
  long len = 0;
  int tag = 0, cls = 0;
  // Into the Certificate, then into the tbsCertificate.
  for (int level = 0; level < 2; ++level) {
    const int r = ASN1_get_object(&q, &len, &tag, &cls, end - q);
    if ((r & 0x80) || !(r & V_ASN1_CONSTRUCTED) || tag != V_ASN1_SEQUENCE || cls != V_ASN1_UNIVERSAL || len > end - q)
      return {};
    end = q + len;
  }
  // [0] EXPLICIT version, when present.
  if (q < end && *q == 0xa0 && !next_element(&q, end, 0, V_ASN1_CONTEXT_SPECIFIC)) return {};
  // serialNumber INTEGER (primitive): skipped by its length.
  {
    const unsigned char* s = q;
    const int r = ASN1_get_object(&s, &len, &tag, &cls, end - q);
    if ((r & 0x80) || tag != V_ASN1_INTEGER || cls != V_ASN1_UNIVERSAL || len > end - s) return {};
    q = s + len;
  }
  // signature, issuer, validity: three SEQUENCEs; then the subject.
  for (int i = 0; i < 3; ++i)
    if (!next_element(&q, end, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL)) return {};
  const unsigned char* subject = q;
  if (!next_element(&q, end, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL)) return {};
  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> name(d2i_X509_NAME(nullptr, &subject, q - subject),
                                                             X509_NAME_free);
  if (!name) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), name.get(), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace

std::string tls_version_name(uint16_t v) {
  switch (v) {
    case 0x0300: return "SSL 3.0";
    case 0x0301: return "TLS 1.0";
    case 0x0302: return "TLS 1.1";
    case 0x0303: return "TLS 1.2";
    case 0x0304: return "TLS 1.3";
  }
  return hex_number(v, 4);
}

std::string tls_cipher_name(uint16_t suite) {
  // OpenSSL knows the IANA names of every suite it implements.
  if (const SSL_CIPHER* c = tls::find_suite(suite))
    if (const char* name = SSL_CIPHER_standard_name(c)) return name;
  return hex_number(suite, 4);
}

std::string tls_alert_name(uint8_t d) {
  switch (d) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 22: return "record_overflow";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
  }
  return "alert " + std::to_string(d);
}

bool TlsPeeker::looks_like_tls(Bytes b) {
  if (b.size() < kRecordHeader) return false;
  const uint16_t len = be16(b, 3);
  return be8(b, 0) == kHandshake && be8(b, 1) == 3 && be8(b, 2) <= 4 && len > 0 && len <= kMaxRecordBody;
}

namespace {
bool valid_header(Bytes h) {
  const uint8_t type = be8(h, 0);
  return type >= kChangeCipherSpec && type <= kHeartbeat && be8(h, 1) == 3 && be16(h, 3) <= kMaxRecordBody;
}
}  // namespace

void TlsPeeker::feed(Bytes data, Side from, TlsContext& ctx) {
  while (!data.empty() && !stopped_) {
    // Complete the header of a record split over chunks, and check it at once.
    if (!record_.empty() || data.size() < kRecordHeader) {
      if (record_.size() < kRecordHeader) {
        const size_t take = std::min(kRecordHeader - record_.size(), data.size());
        record_.insert(record_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
        data = data.subspan(take);
        if (record_.size() < kRecordHeader) return;
      }
    }
    const Bytes header = record_.empty() ? data.first(kRecordHeader) : Bytes(record_).first(kRecordHeader);
    if (!valid_header(header)) {
      ctx.out.tls_event(EntryKind::Warning, "not a TLS record (type " + std::to_string(be8(header, 0)) + ", version " +
                                                tls_version_name(be16(header, 1)) + ", length " +
                                                std::to_string(be16(header, 3)) + "): stopped following TLS");
      stopped_ = true;
      record_.clear();
      return;
    }
    const size_t total = kRecordHeader + be16(header, 3);
    Bytes rec;
    if (record_.empty() && data.size() >= total) {
      rec = data.first(total);  // the whole record in this chunk: no copy
      data = data.subspan(total);
    } else {
      if (record_.empty()) {
        record_.assign(data.begin(), data.begin() + static_cast<ptrdiff_t>(kRecordHeader));
        data = data.subspan(kRecordHeader);
      }
      const size_t take = std::min(total - record_.size(), data.size());
      record_.insert(record_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
      data = data.subspan(take);
      if (record_.size() < total) return;
      rec = record_;
    }
    on_record(be8(rec, 0), be16(rec, 1), rec.subspan(kRecordHeader), from, ctx);
    offset_ += total;
    ++record_index_;
    record_.clear();
  }
}

std::string TlsPeeker::unfinished_record(Side from) const {
  if (record_.empty() || stopped_) return {};
  std::string text = "TLS record " + std::to_string(record_index_) + " at byte " + std::to_string(offset_) +
                     " of the " + side_name(from) + "'s TLS stream is cut short: ";
  if (record_.size() < kRecordHeader) return text + "only " + std::to_string(record_.size()) + " header bytes";
  return text + std::to_string(record_.size()) + " of " + std::to_string(kRecordHeader + be16(Bytes(record_), 3)) +
         " bytes";
}

void TlsPeeker::on_record(uint8_t type, uint16_t version, Bytes body, Side from, TlsContext& ctx) {
  if (first_record_) {
    first_record_ = false;
    if (ctx.info.version.empty()) ctx.info.version = tls_version_name(version);
  }
  if (type == kApplicationData) {
    ++ctx.info.app_records;
    ctx.info.app_bytes += body.size();
  }
  tls::Decryptor* dec = ctx.decryptor;
  if (!dec || type == kChangeCipherSpec || !dec->active(from)) {
    if (type == kApplicationData) return;  // opaque
    on_plain_record(type, body, false, from, ctx);
    return;
  }
  uint8_t inner = type;
  std::string why;
  const bool first = dec->records(Side::Client) + dec->records(Side::Server) == 0;
  if (!dec->decrypt(from, inner, version, body, plain_, why)) {
    ctx.out.tls_event(EntryKind::Warning, "TLS record " + std::to_string(record_index_) + " at byte " +
                                              std::to_string(offset_) + " of the " + side_name(from) +
                                              "'s TLS stream cannot be decrypted (" + why +
                                              "): the rest of this direction stays encrypted");
    return;
  }
  if (first) {
    ctx.out.tls_event(EntryKind::Tls, ctx.info.version + " " + ctx.info.cipher + ", decrypted with key log");
    ctx.info.decrypted = true;
  }
  on_plain_record(inner, plain_, true, from, ctx);
}

void TlsPeeker::on_plain_record(uint8_t type, Bytes body, bool decrypted, Side from, TlsContext& ctx) {
  switch (type) {
    case kChangeCipherSpec:
      if (ctx.decryptor && ctx.decryptor->tls13_chosen()) {
        // RFC 8446 D.4: sent for middleboxes only; TLS 1.3 protection starts with the ServerHello.
        ctx.out.tls_event(EntryKind::Tls, "TLS ChangeCipherSpec (TLS 1.3 middlebox compatibility)");
        return;
      }
      if (ctx.decryptor) ctx.decryptor->change_cipher_spec(from);
      if (!encrypted_) ctx.out.tls_event(EntryKind::Tls, "TLS ChangeCipherSpec: encrypted from here");
      encrypted_ = true;
      handshake_.clear();
      return;
    case kAlert:
      if ((encrypted_ && !decrypted) || body.size() != 2) {
        ctx.out.tls_event(EntryKind::Tls, "TLS encrypted alert");
      } else {
        const bool fatal = be8(body, 0) == 2;
        ctx.out.tls_event(EntryKind::Tls, std::string("TLS alert ") + (fatal ? "fatal " : "warning ") +
                                              tls_alert_name(be8(body, 1)) + " (" + std::to_string(be8(body, 1)) + ")" +
                                              (decrypted ? ", decrypted" : ""));
      }
      return;
    case kApplicationData:
      if (decrypted && !body.empty()) ctx.out.tls_plaintext(body);
      return;
    case kHeartbeat:
      ctx.out.tls_event(EntryKind::Tls, "TLS heartbeat record (" + std::to_string(body.size()) + " bytes)");
      return;
    default: break;
  }
  if (encrypted_ && !decrypted) return;  // Finished and later handshake messages are opaque
  if (handshake_.size() + body.size() > kMaxHandshakeBuffer) {
    ctx.out.tls_event(EntryKind::Warning, "TLS handshake message larger than " + std::to_string(kMaxHandshakeBuffer) +
                                              " bytes: not inspected");
    handshake_.clear();
    encrypted_ = true;  // stop inspecting this direction's handshake
    return;
  }
  handshake_.insert(handshake_.end(), body.begin(), body.end());
  size_t pos = 0;
  while (handshake_.size() - pos >= 4) {
    Bytes hs(handshake_);
    const uint32_t mlen = (uint32_t{be8(hs, pos + 1)} << 16) | be16(hs, pos + 2);
    if (hs.size() - pos - 4 < mlen) break;
    on_handshake(be8(hs, pos), hs.subspan(pos + 4, mlen), from, ctx);
    pos += 4 + mlen;
  }
  handshake_.erase(handshake_.begin(), handshake_.begin() + static_cast<ptrdiff_t>(pos));
}

void TlsPeeker::on_handshake(uint8_t type, Bytes body, Side from, TlsContext& ctx) {
  TlsInfo& info = ctx.info;
  TlsListener& out = ctx.out;
  Reader r(body);
  if (type == kClientHello) {
    const uint16_t legacy = static_cast<uint16_t>(r.u(2));
    const Bytes random = r.take(32);
    r.vec(1);  // session id
    Reader suites(r.vec(2));
    r.vec(1);  // compression methods
    Reader ext(r.vec(2));
    std::vector<std::string> versions, alpn;
    std::string sni;
    while (ext.ok() && ext.left() >= 4) {
      const uint16_t etype = static_cast<uint16_t>(ext.u(2));
      Reader e(ext.vec(2));
      if (etype == kExtSni) {
        Reader list(e.vec(2));
        while (list.ok() && list.left() >= 3) {
          const uint8_t name_type = static_cast<uint8_t>(list.u(1));
          Bytes name = list.vec(2);
          if (name_type == 0 && list.ok()) sni = printable(name);
        }
      } else if (etype == kExtSupportedVersions) {
        Reader list(e.vec(1));
        while (list.ok() && list.left() >= 2) {
          const uint16_t v = static_cast<uint16_t>(list.u(2));
          if (!is_grease(v)) versions.push_back(tls_version_name(v));
        }
      } else if (etype == kExtAlpn) {
        Reader list(e.vec(2));
        while (list.ok() && list.left() >= 1) {
          Bytes p = list.vec(1);
          if (list.ok()) alpn.push_back(printable(p));
        }
      }
    }
    if (ctx.decryptor && random.size() == 32) ctx.decryptor->client_hello(from, random);
    std::string text = "TLS ClientHello " + tls_version_name(legacy);
    if (!sni.empty()) text += ", SNI " + sni;
    if (!versions.empty()) text += ", offers " + join(versions, "/");
    if (!alpn.empty()) text += ", ALPN " + join(alpn, ",");
    text += ", " + std::to_string(suites.left() / 2) + " cipher suites";
    if (!r.ok() && body.size() < 38) text += " (truncated)";
    if (!sni.empty()) info.sni = sni;
    if (!alpn.empty() && info.alpn.empty()) info.alpn = join(alpn, ",");
    out.tls_event(EntryKind::Tls, std::move(text));
  } else if (type == kServerHello) {
    uint16_t version = static_cast<uint16_t>(r.u(2));
    const Bytes random = r.take(32);
    r.vec(1);
    const uint16_t suite = static_cast<uint16_t>(r.u(2));
    r.u(1);  // compression
    Reader ext(r.vec(2));
    std::string alpn;
    bool etm = false;
    while (ext.ok() && ext.left() >= 4) {
      const uint16_t etype = static_cast<uint16_t>(ext.u(2));
      Reader e(ext.vec(2));
      if (etype == kExtSupportedVersions && e.left() == 2) {
        version = static_cast<uint16_t>(e.u(2));  // TLS 1.3 negotiates here
      } else if (etype == kExtAlpn) {
        Reader list(e.vec(2));
        Bytes p = list.vec(1);
        if (list.ok()) alpn = printable(p);
      } else if (etype == kExtEncryptThenMac) {
        etm = true;
      }
    }
    if (!r.ok() && body.size() < 38) {
      out.tls_event(EntryKind::Warning, "truncated TLS ServerHello");
      return;
    }
    info.version = tls_version_name(version);
    info.cipher = tls_cipher_name(suite);
    if (!alpn.empty()) info.alpn = alpn;
    const bool retry = tls::Decryptor::is_hello_retry(random);
    std::string text =
        std::string(retry ? "TLS HelloRetryRequest " : "TLS ServerHello ") + info.version + ", cipher " + info.cipher;
    if (!alpn.empty()) text += ", ALPN " + alpn;
    if (etm) text += ", encrypt_then_mac";
    out.tls_event(EntryKind::Tls, std::move(text));
    if (ctx.decryptor) {
      std::string why = ctx.decryptor->server_hello(version, suite, random, etm);
      if (!why.empty()) out.tls_event(EntryKind::Tls, std::move(why));
    }
  } else if (type == kCertificate) {
    // TLS 1.3 (decrypted) puts a request context first and extensions after each entry.
    const bool tls13 = ctx.decryptor && ctx.decryptor->tls13();
    if (tls13) r.vec(1);
    Reader list(r.vec(3));
    const bool from_server = ctx.decryptor ? !ctx.decryptor->is_tls_client(from) : from == Side::Server;
    const char* who = from_server ? "server" : "client";
    if (list.ok() && list.left() == 0) {
      out.tls_event(EntryKind::Tls, std::string("TLS ") + who + " sent no certificate");
      return;
    }
    Bytes first = list.vec(3);
    std::string subject = list.ok() ? certificate_subject(first) : std::string();
    if (subject.empty()) {
      out.tls_event(EntryKind::Tls, std::string("TLS ") + who + " certificate (subject not readable)");
      return;
    }
    if (from_server) info.subject = subject;
    out.tls_event(EntryKind::Tls, std::string("TLS ") + who + " certificate subject " + subject);
  } else if (type == kCertificateRequest) {
    out.tls_event(EntryKind::Tls, "TLS server requests a client certificate");
  } else if (type == kFinished) {
    if (ctx.decryptor) ctx.decryptor->finished(from);
  } else if (type == kKeyUpdate) {
    const bool requested = r.u(1) == 1;
    if (ctx.decryptor) ctx.decryptor->key_update(from);
    out.tls_event(EntryKind::Tls,
                  std::string("TLS KeyUpdate from the ") + side_name(from) + (requested ? " (update requested)" : ""));
  }
}

}  // namespace quartet::analyzer
