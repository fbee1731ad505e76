// SessionOrder: sessions written in first-packet order, each as soon as every earlier
// one has finished; slots removed from the middle (a --threads worker hands closed
// sessions on) are swept out without disturbing the order or the look-ups.
#include "session_order.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace quartet::analyzer {
namespace {

TEST(SessionOrder, WritesInFirstPacketOrderOnceEarlierOnesEnd) {
  SessionOrder<int> order(1000);
  for (uint64_t id = 1; id <= 4; ++id) order.open(id) = static_cast<int>(id * 10);
  std::vector<int> written;
  auto write = [&](int& v) {
    written.push_back(v);
    return true;
  };
  order.close(3, 1);
  order.close(2, 1);
  EXPECT_EQ(order.flush(write), 0u);
  EXPECT_TRUE(written.empty());  // 1 is still open
  ASSERT_NE(order.find_open(1), nullptr);
  EXPECT_EQ(*order.find_open(1), 10);
  EXPECT_EQ(order.find_open(2), nullptr);  // closed: found, but not open
  ASSERT_NE(order.find(2), nullptr);
  order.close(1, 1);
  order.flush(write);
  EXPECT_EQ(written, (std::vector<int>{10, 20, 30}));
  EXPECT_EQ(order.find(1), nullptr);
  std::vector<int> open;
  order.for_each_open([&](int& v) { open.push_back(v); });
  EXPECT_EQ(open, (std::vector<int>{40}));
}

// The session the output stage writes at once when it closes (--threads: as it is
// formatted) is the first one still open, whatever was closed or taken before it.
TEST(SessionOrder, TheFirstOpenSessionIsTheOneWrittenAtItsClose) {
  SessionOrder<int> order(1000);
  for (uint64_t id = 1; id <= 5; ++id) order.open(id) = static_cast<int>(id);
  EXPECT_TRUE(order.first_open(1));
  EXPECT_FALSE(order.first_open(2));
  EXPECT_FALSE(order.first_open(9));  // not open at all
  order.close(2, 1);
  EXPECT_TRUE(order.first_open(1));
  EXPECT_FALSE(order.first_open(2));  // closed, waiting behind 1
  ASSERT_TRUE(order.take_closed(2));  // handed on: a mark in the middle
  std::vector<int> written;
  auto write = [&](int& v) {
    written.push_back(v);
    return true;
  };
  order.close(1, 1);
  EXPECT_FALSE(order.first_open(1));  // closed now, not yet written
  order.flush(write);
  EXPECT_EQ(written, (std::vector<int>{1}));
  EXPECT_TRUE(order.first_open(3));  // 2 was taken: 3 is next
  order.close(4, 1);
  order.close(3, 1);
  order.flush(write);
  EXPECT_EQ(written, (std::vector<int>{1, 3, 4}));
  EXPECT_TRUE(order.first_open(5));
}

// A long-lived first session and many short ones taken behind it: the look-ups
// stay right while the removed slots are swept out, and nothing taken is written.
TEST(SessionOrder, TakenSlotsBehindALongSessionAreSweptOut) {
  SessionOrder<int> order(1u << 30);
  order.open(1) = 1;
  for (uint64_t id = 2; id <= 5000; ++id) {
    order.open(id) = static_cast<int>(id);
    if (id % 3 == 0) continue;  // every third stays open
    order.close(id, 1);
    std::optional<int> taken = order.take_closed(id);
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(*taken, static_cast<int>(id));
    EXPECT_FALSE(order.take_closed(id).has_value());
  }
  for (uint64_t id = 2; id <= 5000; ++id) {
    int* v = order.find_open(id);
    if (id % 3 == 0) {
      ASSERT_NE(v, nullptr) << id;
      EXPECT_EQ(*v, static_cast<int>(id));
    } else {
      EXPECT_EQ(v, nullptr) << id;
    }
  }
  std::vector<int> written;
  order.close(1, 1);
  for (uint64_t id = 3; id <= 5000; id += 3) order.close(id, 1);
  order.flush([&](int& v) {
    written.push_back(v);
    return true;
  });
  ASSERT_EQ(written.size(), 1u + 4998 / 3);
  EXPECT_EQ(written.front(), 1);
  for (size_t i = 1; i < written.size(); ++i) EXPECT_EQ(written[i], static_cast<int>(3 * i));
}

// Beyond the bound on waiting sessions, every closed one is written at once, in order.
TEST(SessionOrder, WaitingBeyondTheBoundIsWrittenEarly) {
  SessionOrder<int> order(3);
  for (uint64_t id = 1; id <= 6; ++id) order.open(id) = static_cast<int>(id);
  std::vector<int> written;
  auto write = [&](int& v) {
    written.push_back(v);
    return true;
  };
  order.close(2, 2);
  EXPECT_EQ(order.flush(write), 0u);
  order.close(4, 2);  // 4 waiting > 3
  EXPECT_EQ(order.flush(write), 2u);
  EXPECT_EQ(written, (std::vector<int>{2, 4}));
  order.close(1, 1);
  order.close(3, 1);
  order.flush(write);
  EXPECT_EQ(written, (std::vector<int>{2, 4, 1, 3}));
  ASSERT_NE(order.find_open(5), nullptr);
}

// A decoding worker's ids are a hash's share of the connections: sparse, in runs
// and gaps of any length. Every open id is found wherever its slot lies from the
// interpolated guess (before it, after it, at either end), ids in the gaps and
// outside the range are not, and removed slots stay unfound.
TEST(SessionOrder, SparseIdsAreFoundWhereverTheyLie) {
  SessionOrder<uint64_t> order(1u << 20);
  std::vector<uint64_t> ids;
  uint64_t state = 12345, id = 100;
  for (int i = 0; i < 5000; ++i) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    // Mostly small gaps, sometimes a long one (a run of the other worker's connections).
    id += 1 + ((state >> 33) % 8 == 0 ? (state >> 40) % 5000 : (state >> 40) % 3);
    ids.push_back(id);
    order.open(id) = id * 2;
  }
  for (size_t i = 0; i < ids.size(); i += 3) {
    order.close(ids[i], 1);
    order.take_closed(ids[i]);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const uint64_t* v = order.find_open(ids[i]);
    if (i % 3 == 0) {
      EXPECT_EQ(v, nullptr) << ids[i];
    } else {
      ASSERT_NE(v, nullptr) << ids[i];
      EXPECT_EQ(*v, ids[i] * 2);
    }
    if (i + 1 < ids.size()) {
      for (uint64_t gap = ids[i] + 1; gap < ids[i + 1] && gap < ids[i] + 4; ++gap) EXPECT_EQ(order.find(gap), nullptr);
    }
  }
  EXPECT_EQ(order.find(ids.front() - 1), nullptr);
  EXPECT_EQ(order.find(ids.back() + 1), nullptr);
  EXPECT_EQ(order.find(0), nullptr);
}

}  // namespace
}  // namespace quartet::analyzer
