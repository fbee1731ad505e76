#include "detect.hpp"

#include <algorithm>

#include "keylog.hpp"
#include "tls_peek.hpp"

namespace quartet::analyzer {
namespace {

bool has_port(std::span<const uint16_t> ports, uint16_t p) {
  return std::find(ports.begin(), ports.end(), p) != ports.end();
}

struct PortMatch {
  const Protocol* protocol = nullptr;
  bool tls = false;
  bool forced = false;
};

// The server port decides; when the roles are only a guess (no handshake seen),
// the client port is tried as well.
PortMatch match_port(const FlowInfo& flow, const AppOptions& opt) {
  const bool guess = flow.roles == RoleSource::PortGuess;
  const auto matches = [&](uint16_t p) { return p == flow.server.port || (guess && p == flow.client.port); };
  for (const DecodeAs& d : opt.decode_as)
    if (d.protocol && matches(d.port)) return {d.protocol, d.tls, true};
  for (const Protocol* p : all_protocols()) {
    for (uint16_t port : {flow.server.port, guess ? flow.client.port : uint16_t{0}}) {
      if (port == 0) continue;
      if (has_port(p->default_tcp_ports, port)) return {p, false, false};
      if (has_port(p->default_tls_ports, port)) return {p, true, false};
    }
  }
  return {};
}

Probe probe_either(const Protocol& p, Bytes a, Bytes b) {
  Probe ra = a.empty() ? Probe::NeedMore : p.probe(a);
  Probe rb = b.empty() ? Probe::NeedMore : p.probe(b);
  if (ra == Probe::Yes || rb == Probe::Yes) return Probe::Yes;
  if (ra == Probe::NeedMore || rb == Probe::NeedMore) return Probe::NeedMore;
  return Probe::No;
}

// The start of any TLS record (handshake, alert, CCS, application data): a
// connection picked up mid-stream on a TLS port starts with one of these.
bool maybe_tls_record(Bytes b) { return b.size() >= 3 && be8(b, 0) >= 20 && be8(b, 0) <= 23 && be8(b, 1) == 3; }

}  // namespace

const char* detection_by_name(Detection::By by) {
  switch (by) {
    case Detection::By::DecodeAs: return "decode-as";
    case Detection::By::Port: return "port";
    case Detection::By::Heuristic: return "heuristic";
  }
  return "?";
}

Detection detect(const FlowInfo& flow, const AppOptions& opt, Bytes client_first, Bytes server_first, bool final) {
  using V = Detection::Verdict;
  using By = Detection::By;
  if (client_first.empty() && server_first.empty() && !final) return {};
  const bool tls_bytes = TlsPeeker::looks_like_tls(client_first) || TlsPeeker::looks_like_tls(server_first);
  const PortMatch port = match_port(flow, opt);

  if (port.forced) return {V::Decided, port.protocol, port.tls || tls_bytes, By::DecodeAs};
  if (port.protocol && tls_bytes) return {V::Decided, port.protocol, true, By::Port};

  // A plain heuristic hit of the port's protocol, or of another protocol when the
  // port's own heuristic rejects the bytes (someone else's service on that port).
  Probe own = port.protocol ? probe_either(*port.protocol, client_first, server_first) : Probe::No;
  if (own == Probe::Yes) return {V::Decided, port.protocol, false, By::Port};
  bool any_need_more = own == Probe::NeedMore;
  if (!tls_bytes) {
    for (const Protocol* p : all_protocols()) {
      if (p == port.protocol) continue;
      Probe r = probe_either(*p, client_first, server_first);
      if (r == Probe::Yes) return {V::Decided, p, false, By::Heuristic};
      any_need_more = any_need_more || r == Probe::NeedMore;
    }
  }
  if (any_need_more && !final) return {};
  if (port.protocol) {
    // On a TLS port, TLS unless the bytes seen cannot be a TLS record (plaintext on
    // the TLS port, e.g. a lab set-up whose first line was cut by the snapshot length).
    const bool some_bytes = client_first.size() >= 3 || server_first.size() >= 3;
    const bool tls = port.tls && (!some_bytes || maybe_tls_record(client_first) || maybe_tls_record(server_first));
    return {V::Decided, port.protocol, tls, By::Port};
  }
  // TLS on any other port is worth decrypting when there are secrets: the protocol
  // is then read from the decrypted bytes (Detection::protocol stays nullptr).
  if (tls_bytes && opt.keylog && opt.keylog->sessions() > 0) return {V::Decided, nullptr, true, By::Heuristic};
  return {V::NotOurs, nullptr, false, By::Heuristic};
}

}  // namespace quartet::analyzer
