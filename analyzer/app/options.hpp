// What the application half of the analyzer needs to know from the command line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/protocol.hpp"

namespace quartet::analyzer {

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
  int ts_decimals = 6;             // 9 when the capture has nanosecond timestamps
};

}  // namespace quartet::analyzer
