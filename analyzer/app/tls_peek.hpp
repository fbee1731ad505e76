// A TLS record peeker: follows the record layer of one direction and reports what
// the handshake shows in clear (record and offered versions, SNI, ALPN, chosen
// version and cipher suite, certificate subjects in TLS <= 1.2, alerts). It never
// decrypts; once a side has sent ChangeCipherSpec its handshake records are opaque.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

struct TlsFinding {
  EntryKind kind;  // Tls (something shown in clear) or Warning
  std::string text;
};

class TlsPeeker {
 public:
  // True when `first` starts with a TLS handshake record (type 22, version 3.x,
  // plausible length): enough to tell a TLS connection from a plain one.
  static bool looks_like_tls(Bytes first);

  // Feeds the next in-order bytes of this direction. Findings are appended to
  // `out`; the session's TLS summary in `info` is updated.
  void feed(Bytes data, Side from, TlsInfo& info, std::vector<TlsFinding>& out);
  // Bytes were lost: record boundaries are unknown from here on.
  void gap() { stopped_ = true; }
  bool stopped() const { return stopped_; }

 private:
  void on_record(uint8_t type, uint16_t version, Bytes body, Side from, TlsInfo& info,
                 std::vector<TlsFinding>& out);
  void on_handshake(uint8_t type, Bytes body, Side from, TlsInfo& info, std::vector<TlsFinding>& out);

  std::vector<std::byte> record_;     // a record split over several chunks
  std::vector<std::byte> handshake_;  // handshake messages split over several records
  bool encrypted_ = false;            // after ChangeCipherSpec from this side
  bool stopped_ = false;
  bool first_record_ = true;
};

// "TLS 1.2", "SSL 3.0", or "0x7f1c" for what is not known.
std::string tls_version_name(uint16_t v);
// IANA name of a cipher suite ("TLS_AES_128_GCM_SHA256"), or "0x1301" when unknown.
std::string tls_cipher_name(uint16_t suite);
// "handshake_failure" etc.
std::string tls_alert_name(uint8_t description);

}  // namespace quartet::analyzer
