// The run summary's publish/subscribe fan-out: rows grouped by publisher, the
// publishers in order of their first session, each group in session order.
#include <gtest/gtest.h>

#include <algorithm>

#include "fanout.hpp"
#include "sink_harness.hpp"

using namespace harness;

namespace {

SessionOut pubsub(uint64_t id, uint8_t publisher, uint16_t subscriber_port) {
  SessionOut s;
  s.flow.id = id;
  s.flow.client = v4(192, 0, 2, 9, subscriber_port);
  s.flow.server = v4(192, 0, 2, publisher, 6000);
  return s;
}

TEST(FanoutTable, GroupsRowsByPublisherInOrderOfFirstSession) {
  FanoutTable t;
  t.add(pubsub(1, 1, 40001), Side::Server, 10);
  t.add(pubsub(2, 2, 40002), Side::Server, 20);
  t.add(pubsub(3, 1, 40003), Side::Server, 30);
  t.add(pubsub(4, 3, 40004), Side::Client, 40);  // the client publishes: 192.0.2.9:40004
  t.add(pubsub(5, 2, 40005), Side::Server, 50);
  t.add(pubsub(6, 1, 40006), Side::Server, 60);
  const std::vector<FanoutRow> rows = t.rows();
  std::vector<uint64_t> order;
  for (const FanoutRow& r : rows) order.push_back(r.session);
  EXPECT_EQ(order, (std::vector<uint64_t>{1, 3, 6, 2, 5, 4}));
  EXPECT_EQ(rows[0].publisher.addr[3], 1);
  EXPECT_EQ(rows[0].subscriber.port, 40001);
  EXPECT_EQ(rows[2].messages, 60u);
  EXPECT_EQ(rows[5].publisher.port, 40004);
  EXPECT_EQ(rows[5].subscriber.port, 6000);
}

// Many sessions of many publishers: the same grouping (this was quadratic).
TEST(FanoutTable, ManyPublishers) {
  FanoutTable t;
  constexpr uint64_t kSessions = 20000;
  for (uint64_t i = 0; i < kSessions; ++i)
    t.add(pubsub(i + 1, static_cast<uint8_t>(1 + i % 200), static_cast<uint16_t>(30000 + i)), Side::Server, i);
  const std::vector<FanoutRow> rows = t.rows();
  ASSERT_EQ(rows.size(), kSessions);
  for (size_t k = 1; k < rows.size(); ++k) {
    const bool same = rows[k].publisher.addr == rows[k - 1].publisher.addr;
    if (same) EXPECT_GT(rows[k].session, rows[k - 1].session);
    else EXPECT_GT(rows[k].publisher.addr[3], rows[k - 1].publisher.addr[3]);  // first sessions 1..200 in order
  }
}

std::vector<uint64_t> sessions_of(const FanoutTable& t) {
  std::vector<uint64_t> order;
  for (const FanoutRow& r : t.rows()) order.push_back(r.session);
  return order;
}

// Beyond the limit only the earliest sessions' rows are kept, grouped as before, and
// the rest counted: a later session is counted at once; an earlier one, written late
// (sessions written early are, when many wait behind a long one), takes the place of
// the latest kept.
TEST(FanoutTable, KeepsTheEarliestSessionsRowsBeyondTheLimit) {
  FanoutTable t(4);
  t.add(pubsub(3, 1, 40003), Side::Server, 3);
  t.add(pubsub(5, 2, 40005), Side::Server, 5);
  t.add(pubsub(6, 1, 40006), Side::Server, 6);
  t.add(pubsub(8, 2, 40008), Side::Server, 8);
  t.add(pubsub(9, 1, 40009), Side::Server, 9);  // later than every kept one: counted
  EXPECT_EQ(sessions_of(t), (std::vector<uint64_t>{3, 6, 5, 8}));
  EXPECT_EQ(t.dropped(), 1u);
  t.add(pubsub(4, 3, 40004), Side::Server, 4);  // earlier: 8 goes; publisher 3 starts with #4, before 2 (#5)
  EXPECT_EQ(sessions_of(t), (std::vector<uint64_t>{3, 6, 4, 5}));
  t.add(pubsub(2, 2, 40002), Side::Server, 2);  // 6 goes
  t.add(pubsub(1, 2, 40001), Side::Server, 1);  // 5 goes
  // Publisher 2's first session is now #1: its group comes first, in session order
  // (as scripts/quartet-dask orders the rows of several shards).
  EXPECT_EQ(sessions_of(t), (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(t.dropped(), 4u);
  const std::vector<FanoutRow> rows = t.rows();
  EXPECT_EQ(rows[0].messages, 1u);
  EXPECT_EQ(rows[0].subscriber.port, 40001);
  EXPECT_EQ(rows[2].publisher.addr[3], 1);
  EXPECT_EQ(rows[3].publisher.addr[3], 3);
}

// Sessions arriving latest first: every one takes the place of the latest kept, and
// the rows given up are cleared out as they pile up (the table stays near its limit).
TEST(FanoutTable, LatestFirstKeepsTheEarliest) {
  constexpr uint64_t kSessions = 5000;
  FanoutTable t(100);
  for (uint64_t id = kSessions; id >= 1; --id)
    t.add(pubsub(id, static_cast<uint8_t>(1 + id % 7), static_cast<uint16_t>(20000 + id)), Side::Server, id);
  std::vector<uint64_t> kept = sessions_of(t);
  EXPECT_EQ(t.dropped(), kSessions - 100);
  ASSERT_EQ(kept.size(), 100u);
  std::sort(kept.begin(), kept.end());
  for (uint64_t i = 0; i < 100; ++i) EXPECT_EQ(kept[i], i + 1);
}

TEST(FanoutTable, NoRowsWithALimitOfZero) {
  FanoutTable t(0);
  t.add(pubsub(1, 1, 40001), Side::Server, 1);
  EXPECT_TRUE(t.rows().empty());
  EXPECT_EQ(t.dropped(), 1u);
}

}  // namespace
