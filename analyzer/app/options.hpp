// What the application half of the analyzer needs to know from the command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol.hpp"

namespace quartet::analyzer {

namespace tls {
class KeyLog;
}

// --decode-as PROTO=PORT (PROTO/tls=PORT for a connection that is TLS from the start).
struct DecodeAs {
  const Protocol* protocol = nullptr;
  uint16_t port = 0;
  bool tls = false;
};

enum class OutputFormat : uint8_t { Text, Jsonl };

struct AppOptions {
  std::vector<DecodeAs> decode_as;
  OutputFormat format = OutputFormat::Text;
  bool summary_only = false;
  bool show_secrets = false;
  const Protocol* only = nullptr;  // --protocol
  // Fraction digits of timestamps: 6 (microseconds) until a timestamp with a
  // sub-microsecond part is seen, then 9 (the file has nanosecond precision).
  int ts_decimals = 6;
  bool ts_auto = true;
  // Secrets for TLS decryption (--keylog, SSLKEYLOGFILE, pcapng Decryption
  // Secrets Blocks); nullptr: nothing is decrypted.
  const tls::KeyLog* keylog = nullptr;
};

}  // namespace quartet::analyzer
