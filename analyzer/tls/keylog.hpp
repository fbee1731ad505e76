// TLS secrets from an NSS key log (the SSLKEYLOGFILE format), indexed by the
// session's client random. Filled from --keylog files, the SSLKEYLOGFILE
// environment variable and pcapng Decryption Secrets Blocks; read by the record
// decryptor when a ServerHello says which session a connection resumes or starts.
// Secrets are kept in memory only and never written to any output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/bytes.hpp"

namespace quartet::analyzer::tls {

using Secret = std::vector<uint8_t>;

struct SessionSecrets {
  Secret master;            // CLIENT_RANDOM: TLS <= 1.2 master secret (48 bytes)
  Secret client_handshake;  // CLIENT_HANDSHAKE_TRAFFIC_SECRET (TLS 1.3)
  Secret server_handshake;  // SERVER_HANDSHAKE_TRAFFIC_SECRET
  Secret client_traffic;    // CLIENT_TRAFFIC_SECRET_0
  Secret server_traffic;    // SERVER_TRAFFIC_SECRET_0
};

// What reading one key log source found.
struct KeyLogStats {
  uint64_t lines = 0;                 // non-empty, non-comment lines
  uint64_t used = 0;                  // secrets stored
  uint64_t ignored = 0;               // well-formed lines with a label we do not need (EXPORTER_SECRET, RSA, ...)
  uint64_t malformed = 0;             // not "LABEL <64 hex> <hex>", or a secret of the wrong length
  uint64_t first_malformed_line = 0;  // 1-based, 0 when none
};

class KeyLog {
 public:
  // Adds every line of `text` (a key log file's contents or a Decryption Secrets Block).
  KeyLogStats add_text(std::string_view text);
  // Reads a file; false with `error` set when it cannot be read.
  bool add_file(const std::string& path, KeyLogStats& stats, std::string& error);

  const SessionSecrets* find(Bytes client_random) const;
  size_t sessions() const { return by_random_.size(); }
  // Bumped whenever secrets are added, so a session that found none can look again.
  uint64_t generation() const { return generation_; }

 private:
  std::unordered_map<std::string, SessionSecrets> by_random_;  // 32 raw bytes → secrets
  uint64_t generation_ = 0;
};

}  // namespace quartet::analyzer::tls
