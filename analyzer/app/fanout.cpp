#include "fanout.hpp"

#include <algorithm>

namespace quartet::analyzer {

void FanoutTable::add(const SessionOut& s, Side pub, uint64_t messages) {
  if (kept_.size() >= max_rows_) {
    ++dropped_;
    // Sessions come in first-packet order, except those written early (a memory
    // bound): one later than every kept row is only counted; an earlier one takes
    // the place of the latest kept.
    if (max_rows_ == 0 || s.flow.id > kept_.rbegin()->first) return;
    drop_latest();
  }
  FanoutRow row;
  row.session = s.flow.id;
  row.publisher = pub == Side::Client ? s.flow.client : s.flow.server;
  row.subscriber = pub == Side::Client ? s.flow.server : s.flow.client;
  row.messages = messages;
  const auto [it, added] =
      group_of_.try_emplace(Key{row.publisher.v6, row.publisher.addr, row.publisher.port}, groups_.size());
  if (added) groups_.emplace_back();
  groups_[it->second].push_back(row);
  kept_.emplace(row.session, it->second);
}

// Gives up the kept row of the latest session for an earlier one's. Its group is
// searched from its end (the latest sessions are there); marked rows are removed
// once they are as many as the kept ones, so the work is constant per row.
void FanoutTable::drop_latest() {
  const auto last = std::prev(kept_.end());
  std::vector<FanoutRow>& group = groups_[last->second];
  const auto row =
      std::find_if(group.rbegin(), group.rend(), [&](const FanoutRow& r) { return r.session == last->first; });
  if (row != group.rend()) row->session = kGone;
  kept_.erase(last);
  if (++gone_ <= kept_.size()) return;
  for (auto& g : groups_) std::erase_if(g, [](const FanoutRow& r) { return r.session == kGone; });
  gone_ = 0;
}

// Publishers in order of their first session, each one's rows in session order: the
// order rows come in but for sessions written early, and the order scripts/quartet-dask
// gives the rows of several shards.
std::vector<FanoutRow> FanoutTable::rows() const {
  std::vector<std::vector<FanoutRow>> groups;
  for (const auto& g : groups_) {
    std::vector<FanoutRow>& kept = groups.emplace_back();
    for (const FanoutRow& r : g)
      if (r.session != kGone) kept.push_back(r);
    if (kept.empty()) groups.pop_back();
    else
      std::sort(kept.begin(), kept.end(), [](const FanoutRow& a, const FanoutRow& b) { return a.session < b.session; });
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a[0].session < b[0].session; });
  std::vector<FanoutRow> out;
  out.reserve(kept_.size());
  for (const auto& g : groups) out.insert(out.end(), g.begin(), g.end());
  return out;
}

}  // namespace quartet::analyzer
