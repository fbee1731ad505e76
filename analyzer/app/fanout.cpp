#include "fanout.hpp"

namespace quartet::analyzer {
void FanoutTable::add(const SessionOut& s, Side pub, uint64_t messages) {
  FanoutRow row;
  row.session = s.flow.id;
  row.publisher = pub == Side::Client ? s.flow.client : s.flow.server;
  row.subscriber = pub == Side::Client ? s.flow.server : s.flow.client;
  row.messages = messages;
  const auto [it, added] =
      group_of_.try_emplace(Key{row.publisher.v6, row.publisher.addr, row.publisher.port}, groups_.size());
  if (added) groups_.emplace_back();
  groups_[it->second].push_back(row);
}

std::vector<FanoutRow> FanoutTable::rows() const {
  std::vector<FanoutRow> out;
  for (const auto& g : groups_) out.insert(out.end(), g.begin(), g.end());
  return out;
}

}  // namespace quartet::analyzer
