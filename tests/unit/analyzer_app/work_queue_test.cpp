// The blocking queue between the threads of --threads: items come out in order, and
// a producer that found it full goes on at its low-water mark, not before.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "work_queue.hpp"

namespace quartet::analyzer {
namespace {

using namespace std::chrono_literals;

// Pushes `item` on a thread of its own and says when the push has returned.
struct BlockedPush {
  BlockedPush(WorkQueue<int>& q, int item)
      : queue(q), thread([this, item] {
          queue.push(item);
          done = true;
        }) {}
  ~BlockedPush() { finishes(); }
  // Whether the push is still waiting after a while (long enough for a woken thread to run).
  bool still_waiting() {
    std::this_thread::sleep_for(50ms);
    return !done;
  }
  // Whether the push returns within a few seconds; if not, the queue is closed to
  // release it (a failure, not a test that hangs).
  bool finishes() {
    for (int i = 0; i < 500 && !done; ++i) std::this_thread::sleep_for(10ms);
    const bool in_time = done;
    if (!in_time) queue.close();
    if (thread.joinable()) thread.join();
    return in_time;
  }
  WorkQueue<int>& queue;
  std::atomic<bool> done{false};
  std::thread thread;
};

TEST(WorkQueue, AProducerThatFoundItFullGoesOnOnlyAtTheLowWaterMark) {
  WorkQueue<int> q(4, 1);
  for (int i = 0; i < 4; ++i) q.push(i);
  BlockedPush fifth(q, 4);
  EXPECT_TRUE(fifth.still_waiting());
  EXPECT_EQ(q.pop(), 0);  // three left: room, but above the mark
  EXPECT_TRUE(fifth.still_waiting());
  EXPECT_EQ(q.pop(), 1);  // two left
  EXPECT_TRUE(fifth.still_waiting());
  EXPECT_EQ(q.pop(), 2);  // one left: at the mark
  EXPECT_TRUE(fifth.finishes());
  EXPECT_EQ(q.pop(), 3);
  EXPECT_EQ(q.pop(), 4);
  EXPECT_EQ(q.try_pop(), std::nullopt);
}

TEST(WorkQueue, ByDefaultAProducerGoesOnAtTheFirstFreePlace) {
  WorkQueue<int> q(2);
  q.push(0);
  q.push(1);
  BlockedPush third(q, 2);
  EXPECT_TRUE(third.still_waiting());
  EXPECT_EQ(q.pop(), 0);
  EXPECT_TRUE(third.finishes());
  EXPECT_EQ(q.pop(), 1);
  EXPECT_EQ(q.pop(), 2);
}

TEST(WorkQueue, ClosingReleasesAWaitingProducerAndThenTheItemsLeft) {
  WorkQueue<int> q(2, 0);
  q.push(0);
  q.push(1);
  BlockedPush third(q, 2);
  EXPECT_TRUE(third.still_waiting());
  EXPECT_EQ(q.pop(), 0);  // one left: above the mark of none
  EXPECT_TRUE(third.still_waiting());
  q.close();
  EXPECT_TRUE(third.finishes());
  EXPECT_EQ(q.pop(), 1);
  EXPECT_EQ(q.pop(), 2);
  EXPECT_EQ(q.pop(), std::nullopt);
}

}  // namespace
}  // namespace quartet::analyzer
