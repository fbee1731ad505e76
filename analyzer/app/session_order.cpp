#include "session_order.hpp"

namespace quartet::analyzer {

SessionAccount account_of(const SessionOut& s) {
  SessionAccounting a;
  for_each_entry(s, [&a](const Entry& e) { a.add(e); });
  return a.take(s);
}

SessionAccount SessionAccounting::take(const SessionOut& s) {
  SessionAccount a;
  a.requests = requests_.finish();
  if (s.protocol) a.fanout = fanout_.result();
  return a;
}

void account_session(const SessionOut& o, const SessionAccount& a, RunSummary& summary, ResponseTimes& response_times,
                     FanoutTable& fanout) {
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
  if (a.fanout) fanout.add(o, a.fanout->first, a.fanout->second);
  response_times.add(o.protocol, a.requests);
}

void finish_accounts(RunSummary& summary, const ResponseTimes& response_times, const FanoutTable& fanout) {
  summary.response_times = response_times.rows();
  summary.fanout = fanout.rows();
  summary.fanout_dropped = fanout.dropped();
}

}  // namespace quartet::analyzer
