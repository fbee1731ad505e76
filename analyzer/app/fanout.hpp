// Publish/subscribe fan-out for the run summary: for each session where one side
// announced itself as a publisher (a field whose value is named "PUB" in the
// protocol's field table, i.e. the SP connection header), how many messages that
// side sent down the connection.
#pragma once

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "output.hpp"

namespace quartet::analyzer {

// Counts a session's messages, one at a time in timeline order: the publishing
// side (its first announcement) and what each side sent besides announcements.
class FanoutCount {
 public:
  void add(const MessageOut& m) {
    if (!m.announces_publisher) ++sent_[side_index(m.from)];
    else if (!pub_) pub_ = m.from;
  }
  std::optional<std::pair<Side, uint64_t>> result() const {
    if (!pub_) return std::nullopt;
    return std::pair{*pub_, sent_[side_index(*pub_)]};
  }

 private:
  std::optional<Side> pub_;
  uint64_t sent_[2] = {0, 0};
};

// The run's fan-out rows, kept grouped by publisher, publishers in order of their
// first session. A publisher's group is found by hash: adding a row costs the same
// however many the run has (a search of every row, and an insertion in the middle
// of one list, made a long capture's pub/sub sessions quadratic).
//
// At most kMaxRows rows are kept, those of the sessions that started first (the
// smallest session numbers), and the rest counted (dropped()): a capture of millions
// of publish/subscribe connections (a subscriber reconnecting all day) would
// otherwise hold, and print, a row each. Kept by session number, not by arrival, so
// that --shard runs merged keep the same rows as one run (scripts/quartet-dask).
class FanoutTable {
 public:
  static constexpr size_t kMaxRows = 100000;
  explicit FanoutTable(size_t max_rows = kMaxRows) : max_rows_(max_rows) {}
  // The session's row: the publishing side and how many messages it sent besides
  // its announcements.
  void add(const SessionOut& s, Side publisher, uint64_t messages);
  // Every row kept, grouped: publishers in order of their first session, each one's
  // rows in session order (RunSummary::fanout).
  std::vector<FanoutRow> rows() const;
  // Sessions with a row that is not kept (RunSummary::fanout_dropped).
  uint64_t dropped() const { return dropped_; }

 private:
  // A row given up for one of an earlier session, until the groups are compacted.
  static constexpr uint64_t kGone = UINT64_MAX;
  void drop_latest();
  using Key = std::tuple<bool, std::array<uint8_t, 16>, uint16_t>;
  std::vector<std::vector<FanoutRow>> groups_;
  absl::flat_hash_map<Key, size_t> group_of_;
  size_t max_rows_;
  absl::btree_set<std::pair<uint64_t, size_t>> kept_;  // (session, its group) of every row kept
  size_t gone_ = 0;                                    // rows marked kGone in groups_
  uint64_t dropped_ = 0;
};

}  // namespace quartet::analyzer
