// Which protocol a TCP connection carries, decided as Wireshark would: an explicit
// --decode-as first, then the protocols' default ports, then the core's heuristics
// on the first bytes of either direction. Whether it is TLS is read from the bytes.
#pragma once

#include <cstdint>

#include "common/protocol.hpp"
#include "options.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer {

struct Detection {
  enum class Verdict : uint8_t { NeedMore, Decided, NotOurs } verdict = Verdict::NeedMore;
  // nullptr with `tls`: TLS on no port of ours, to be decrypted and then recognised
  // by the protocols' heuristics on the plaintext (only when a key log has secrets).
  const Protocol* protocol = nullptr;
  bool tls = false;  // the connection is TLS from its first byte
  enum class By : uint8_t { DecodeAs, Port, Heuristic } by = By::Port;
};

// `client_first` / `server_first`: the bytes seen so far from each side (possibly
// empty). `final`: no more bytes will come before a decision is needed (the flow
// closed or the holding buffer is full), so decide with what there is.
Detection detect(const FlowInfo& flow, const AppOptions& opt, Bytes client_first, Bytes server_first, bool final);

const char* detection_by_name(Detection::By by);

}  // namespace quartet::analyzer
