#include "session_order.hpp"

#include "fanout.hpp"

namespace quartet::analyzer {

void account_session(const SessionOut& o, RunSummary& summary, ResponseTimes& response_times) {
  ++summary.sessions;
  for (ProtocolTotals& t : summary.protocols) {
    if (t.protocol != o.protocol) continue;
    ++t.sessions;
    t.tls_sessions += o.tls.seen;
    t.messages += o.messages[0] + o.messages[1];
    t.bytes += o.bytes[0] + o.bytes[1];
    t.missing_bytes += o.missing_bytes;
    t.warnings += o.warnings.size() + o.warnings_dropped;
  }
  add_fanout(o, summary.fanout);
  response_times.add(o);
}

}  // namespace quartet::analyzer
