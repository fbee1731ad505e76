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
