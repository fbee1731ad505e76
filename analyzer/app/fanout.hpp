// Publish/subscribe fan-out for the run summary: for each session where one side
// announced itself as a publisher (a field whose value is named "PUB" in the
// protocol's field table, i.e. the SP connection header), how many messages that
// side sent down the connection.
#pragma once

#include <optional>
#include <vector>

#include <utility>

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

// The publishing side and how many messages it sent besides its announcements;
// nullopt for a session that is not publish/subscribe.
std::optional<std::pair<Side, uint64_t>> fanout_of(const SessionOut& s);
// Adds the session's row (if it is a pub/sub session) to `rows`, keeping rows of
// one publisher together.
void add_fanout(const SessionOut& s, std::vector<FanoutRow>& rows);
// The same row when the timeline was not kept (--summary): the publishing side
// and how many messages it sent besides its announcements.
void add_fanout(const SessionOut& s, Side publisher, uint64_t messages, std::vector<FanoutRow>& rows);

}  // namespace quartet::analyzer
