// A TLS record follower: follows the record layer of one direction and reports what
// the handshake shows in clear (record and offered versions, SNI, ALPN, chosen
// version and cipher suite, certificate subjects in TLS <= 1.2, alerts). With a
// tls::Decryptor holding the session's keys it also decrypts: protected records
// are opened and handled as if clear (handshake messages, named alerts), and
// application data goes to the listener, to be framed like clear text. Without
// keys, once a side has sent ChangeCipherSpec its handshake records are opaque.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

namespace tls {
class Decryptor;
}

// Where a TLS follower reports, in stream order.
class TlsListener {
 public:
  virtual ~TlsListener() = default;
  // kind Tls (something the handshake shows, decryption started or impossible) or Warning.
  virtual void tls_event(EntryKind kind, std::string text) = 0;
  // Decrypted application data of this direction, in order; valid during the call.
  virtual void tls_plaintext(Bytes data) = 0;
};

// What one direction's follower works with: the session's TLS summary, the
// connection's decryptor (nullptr: nothing is decrypted) and the listener.
struct TlsContext {
  TlsInfo& info;
  tls::Decryptor* decryptor;
  TlsListener& out;
};

class TlsPeeker {
 public:
  // True when `first` starts with a TLS handshake record (type 22, version 3.x,
  // plausible length): enough to tell a TLS connection from a plain one.
  static bool looks_like_tls(Bytes first);

  // Feeds the next in-order bytes of this direction.
  void feed(Bytes data, Side from, TlsContext& ctx);
  // Bytes were lost: record boundaries are unknown from here on.
  void gap() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  // At the end: a record begun but not complete ("" when none), for a warning.
  std::string unfinished_record(Side from) const;

 private:
  void on_record(uint8_t type, uint16_t version, Bytes body, Side from, TlsContext& ctx);
  void on_plain_record(uint8_t type, Bytes body, bool decrypted, Side from, TlsContext& ctx);
  void on_handshake(uint8_t type, Bytes body, Side from, TlsContext& ctx);

  std::vector<std::byte> record_;     // a record split over several chunks
  std::vector<std::byte> handshake_;  // handshake messages split over several records
  bool encrypted_ = false;            // after ChangeCipherSpec from this side
  bool stopped_ = false;
  bool first_record_ = true;
  uint64_t offset_ = 0;           // stream offset of the record being handled
  uint64_t record_index_ = 0;     // records of this direction so far
  std::vector<std::byte> plain_;  // the last decrypted record
};

// "TLS 1.2", "SSL 3.0", or "0x7f1c" for what is not known.
std::string tls_version_name(uint16_t v);
// IANA name of a cipher suite ("TLS_AES_128_GCM_SHA256"), or "0x1301" when unknown.
std::string tls_cipher_name(uint16_t suite);
// "handshake_failure" etc.
std::string tls_alert_name(uint8_t description);

}  // namespace quartet::analyzer
