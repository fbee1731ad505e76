// The key schedule of one TLS connection, both directions: told what the
// handshake shows (client random, ServerHello, ChangeCipherSpec, Finished,
// KeyUpdate) by the record follower, it finds the session's secrets in the key
// log, derives the record keys (TLS 1.0-1.2 from the master secret with the PRF,
// TLS 1.3 from the traffic secrets with HKDF-Expand-Label) and decrypts records.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keylog.hpp"
#include "stream_events.hpp"
#include "tls_crypto.hpp"

namespace quartet::analyzer::tls {

class Decryptor {
 public:
  explicit Decryptor(const KeyLog* keys) : keys_(keys) {}

  // `from` is the TLS client: usually the TCP client, not after an IAP reverse hand-off (draft 3.2).
  void client_hello(Side from, Bytes random);
  // RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest.
  static bool is_hello_retry(Bytes server_random);
  // The server's choice. Returns the line for the timeline when decryption is
  // impossible ("encrypted: no key for this session's client random"), else empty.
  std::string server_hello(uint16_t version, uint16_t suite, Bytes random, bool encrypt_then_mac);
  // TLS <= 1.2: `from` protects its records from the next one on.
  void change_cipher_spec(Side from);
  // TLS 1.3: `from` sent Finished (switch to the application traffic secret) or KeyUpdate.
  void finished(Side from);
  bool key_update(Side from);

  // Records from `from` are protected and we hold their keys.
  bool active(Side from) const { return dir(from).state == State::Active; }
  // Decrypts one record of `from`; on failure the direction is given up (failed()).
  bool decrypt(Side from, uint8_t& type, uint16_t version, Bytes body, std::vector<std::byte>& plain, std::string& why);
  bool failed(Side from) const { return dir(from).state == State::Failed; }
  uint64_t records(Side from) const { return dir(from).records; }

  bool tls13() const { return version_ == 0x0304; }
  // A ServerHello or HelloRetryRequest chose TLS 1.3: ChangeCipherSpec means nothing from then on.
  bool tls13_chosen() const { return tls13_chosen_; }
  bool is_tls_client(Side s) const { return s == tls_client_; }
  bool decrypted_any() const { return records(Side::Client) + records(Side::Server) > 0; }
  // Why nothing (or not everything) was decrypted; empty when all went well.
  std::string reason() const {
    if (!reason_.empty() || version_ != 0) return reason_;
    return client_random_.empty() ? "handshake not seen" : "no ServerHello seen";
  }
  void set_reason(std::string r) {
    if (reason_.empty()) reason_ = std::move(r);
  }

 private:
  enum class State : uint8_t { Clear, Pending, Active, Failed };
  struct Direction {
    State state = State::Clear;
    std::unique_ptr<RecordCipher> cipher, pending;
    Secret traffic;  // TLS 1.3: the current traffic secret (handshake, then application)
    uint64_t records = 0;
  };
  // dirs_ is indexed by TLS role: 0 the TLS client (who sent ClientHello), 1 the TLS server.
  Direction& dir(Side s) { return dirs_[s == tls_client_ ? 0 : 1]; }
  const Direction& dir(Side s) const { return dirs_[s == tls_client_ ? 0 : 1]; }
  Side other(Side s) const { return s == Side::Client ? Side::Server : Side::Client; }
  bool setup_tls12(Bytes server_random, bool encrypt_then_mac, std::string& why);
  bool setup_tls13(std::string& why);
  bool install_tls13(Side s, const Secret& secret);

  const KeyLog* keys_;
  std::vector<uint8_t> client_random_;
  const SessionSecrets* secrets_ = nullptr;
  SuiteParams params_;
  uint16_t version_ = 0;
  Side tls_client_ = Side::Client;
  bool tls13_chosen_ = false;
  Direction dirs_[2];
  std::string reason_;
};

}  // namespace quartet::analyzer::tls
