// The run summary's publish/subscribe fan-out: rows grouped by publisher, the
// publishers in order of their first session, each group in session order.
#include <gtest/gtest.h>

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

}  // namespace
