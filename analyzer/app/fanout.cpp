#include "fanout.hpp"

namespace quartet::analyzer {
namespace {

bool same(const Endpoint& a, const Endpoint& b) { return a.v6 == b.v6 && a.addr == b.addr && a.port == b.port; }

}  // namespace

std::optional<std::pair<Side, uint64_t>> fanout_of(const SessionOut& s) {
  if (!s.protocol) return std::nullopt;
  // One pass (a long timeline is streamed back from the spill file).
  FanoutCount count;
  for_each_entry(s, [&](const Entry& e) {
    if (const auto* m = std::get_if<MessageOut>(&e)) count.add(*m);
  });
  return count.result();
}

void add_fanout(const SessionOut& s, std::vector<FanoutRow>& rows) {
  if (const auto f = fanout_of(s)) add_fanout(s, f->first, f->second, rows);
}

void add_fanout(const SessionOut& s, Side pub, uint64_t messages, std::vector<FanoutRow>& rows) {
  FanoutRow row;
  row.session = s.flow.id;
  row.publisher = pub == Side::Client ? s.flow.client : s.flow.server;
  row.subscriber = pub == Side::Client ? s.flow.server : s.flow.client;
  row.messages = messages;
  // Keep one publisher's rows together, in order of their first session.
  auto last_of_publisher = rows.end();
  for (auto it = rows.begin(); it != rows.end(); ++it)
    if (same(it->publisher, row.publisher)) last_of_publisher = it + 1;
  rows.insert(last_of_publisher == rows.end() ? rows.end() : last_of_publisher, row);
}

}  // namespace quartet::analyzer
