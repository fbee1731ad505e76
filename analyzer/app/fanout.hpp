// Publish/subscribe fan-out for the run summary: for each session where one side
// announced itself as a publisher (a field whose value is named "PUB" in the
// protocol's field table, i.e. the SP connection header), how many messages that
// side sent down the connection.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <array>
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
class FanoutTable {
 public:
  // The session's row: the publishing side and how many messages it sent besides
  // its announcements.
  void add(const SessionOut& s, Side publisher, uint64_t messages);
  // Every row, grouped (RunSummary::fanout).
  std::vector<FanoutRow> rows() const;

 private:
  using Key = std::tuple<bool, std::array<uint8_t, 16>, uint16_t>;
  std::vector<std::vector<FanoutRow>> groups_;
  absl::flat_hash_map<Key, size_t> group_of_;
};

}  // namespace quartet::analyzer
