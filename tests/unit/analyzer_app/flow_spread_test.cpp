// FlowSpread: which worker decodes a connection with --threads (a decoding thread or
// the reader itself), and how the reader's share follows the CPU it measures.
#include "flow_spread.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace quartet::analyzer;

namespace {

// Each connection's worker, for ids [from, to), opened in order.
std::vector<size_t> open_all(FlowSpread& s, uint64_t from, uint64_t to) {
  std::vector<size_t> got;
  for (uint64_t id = from; id < to; ++id) {
    s.open(id);
    got.push_back(s.worker_of(id));
  }
  return got;
}

TEST(FlowSpread, StartsWithEveryConnectionOnTheThreads) {
  FlowSpread s(3, 4);
  EXPECT_EQ(s.reader(), 3u);
  EXPECT_EQ(s.share(), 0u);
  const std::vector<size_t> got = open_all(s, 0, 300);
  for (uint64_t id = 0; id < 300; ++id) EXPECT_EQ(got[id], id % 3) << id;
}

TEST(FlowSpread, TheReadersShareIsTheFirstOfEachEpoch) {
  FlowSpread s(2, 2);
  s.fix_share(16, 2);  // the rest on both threads
  std::vector<size_t> count(3);
  for (size_t w : open_all(s, 0, 10 * FlowSpread::kEpoch)) ++count[w];
  EXPECT_EQ(count[2], 160u);  // 16 of every 64
  EXPECT_EQ(count[0], 240u);  // the other 48 alternate between the threads
  EXPECT_EQ(count[1], 240u);
  for (uint64_t id = 0; id < 10 * FlowSpread::kEpoch; ++id)
    EXPECT_EQ(s.worker_of(id) == 2, id % FlowSpread::kEpoch < 16) << id;
  s.fix_share(FlowSpread::kEpoch, 2);  // all of them: the epochs to come
  for (size_t w : open_all(s, 10 * FlowSpread::kEpoch, 11 * FlowSpread::kEpoch)) EXPECT_EQ(w, 2u);
}

// While the reader takes a share, the rest go to one decoding thread fewer than can
// run at once: on two cores, to one thread, which then has a core as the reader does.
TEST(FlowSpread, WhileTheReaderTakesAShareTheRestGoToOneThreadFewerThanTheCores) {
  FlowSpread s(2, 2);
  EXPECT_EQ(s.narrow(), 1u);
  for (size_t w : open_all(s, 0, FlowSpread::kEpoch)) EXPECT_NE(w, 2u);  // no share yet: both threads
  s.steer(10, 100);                                                      // the reader has CPU to spare
  ASSERT_EQ(s.share(), FlowSpread::kStep);
  std::vector<size_t> count(3);
  for (size_t w : open_all(s, FlowSpread::kEpoch, 3 * FlowSpread::kEpoch)) ++count[w];
  EXPECT_EQ(count[2], 2 * FlowSpread::kStep);
  EXPECT_EQ(count[0], 2 * (FlowSpread::kEpoch - FlowSpread::kStep));
  EXPECT_EQ(count[1], 0u);
  for (int i = 0; i < 20; ++i) s.steer(90, 100);  // it has none: both threads again
  ASSERT_EQ(s.share(), 0u);
  count.assign(3, 0);
  for (size_t w : open_all(s, 3 * FlowSpread::kEpoch, 4 * FlowSpread::kEpoch)) ++count[w];
  EXPECT_EQ(count[0], FlowSpread::kEpoch / 2);
  EXPECT_EQ(count[1], FlowSpread::kEpoch / 2);
  // Earlier epochs keep their rule.
  for (uint64_t id = FlowSpread::kEpoch; id < 3 * FlowSpread::kEpoch; ++id) EXPECT_NE(s.worker_of(id), 1u) << id;

  struct Case {
    size_t threads;
    unsigned cores;
    size_t narrow;
  };
  for (const Case c : {Case{4, 4, 3},     // the reader and three threads, one a core
                       Case{8, 2, 1},     // more threads than cores
                       Case{2, 64, 2},    // many cores: every thread
                       Case{3, 0, 3},     // cores not known: every thread
                       Case{1, 1, 1}}) {  // one core: the one thread
    FlowSpread t(c.threads, c.cores);
    EXPECT_EQ(t.narrow(), c.narrow) << c.threads << " threads, " << c.cores << " cores";
    t.steer(0, 100);
    for (size_t w : open_all(t, 0, 4 * FlowSpread::kEpoch))
      EXPECT_TRUE(w == c.threads || w < c.narrow) << w << ", " << c.threads << " threads, " << c.cores << " cores";
  }
}

// A connection is looked up at each of its events: its worker must not change when
// the share does, nor when later epochs open.
TEST(FlowSpread, AConnectionKeepsItsWorker) {
  FlowSpread s(2, 2);
  std::vector<size_t> first;
  for (uint64_t id = 0; id < 40 * FlowSpread::kEpoch; ++id) {
    if (s.starts_epoch(id)) s.steer(id % 3 ? 10 : 90, 100);  // the share goes up and down
    s.open(id);
    first.push_back(s.worker_of(id));
  }
  bool reader = false, threads = false;
  for (uint64_t id = 0; id < first.size(); ++id) {
    EXPECT_EQ(s.worker_of(id), first[id]) << id;
    reader = reader || first[id] == 2;
    threads = threads || first[id] != 2;
  }
  EXPECT_TRUE(reader && threads);
  // Only the first of an epoch starts it.
  EXPECT_FALSE(s.starts_epoch(40 * FlowSpread::kEpoch - 1));
  EXPECT_TRUE(s.starts_epoch(40 * FlowSpread::kEpoch));
}

// The reader takes more while its side does less than its part of the CPU (the
// process's over the threads that can run at once), less once it does more.
TEST(FlowSpread, TheShareFollowsTheReadersPartOfTheCpu) {
  FlowSpread two(2, 2);  // two cores: its part is half
  two.steer(49, 100);
  EXPECT_EQ(two.share(), FlowSpread::kStep);
  for (int i = 0; i < 20; ++i) two.steer(10, 100);
  EXPECT_EQ(two.share(), FlowSpread::kMaxShare);  // never more than half
  two.steer(50, 100);
  EXPECT_EQ(two.share(), FlowSpread::kMaxShare - FlowSpread::kStep);
  for (int i = 0; i < 20; ++i) two.steer(80, 100);
  EXPECT_EQ(two.share(), 0u);

  // The reader's part, in % of the process's CPU, by decoding threads and cores:
  // one share step up just below it, back to none at it.
  struct Case {
    size_t threads;
    unsigned cores;
    uint64_t part;  // rounded up
  };
  for (const Case c : {Case{2, 64, 34},  // many cores: three threads run at once, a third
                       Case{8, 8, 13},   // eight threads on eight cores: an eighth
                       Case{3, 0, 25}})  // cores not known: as many as the threads and the reader
  {
    FlowSpread s(c.threads, c.cores);
    s.steer(c.part - 1, 100);
    EXPECT_EQ(s.share(), FlowSpread::kStep) << c.threads << " threads, " << c.cores << " cores";
    s.steer(c.part, 100);
    EXPECT_EQ(s.share(), 0u) << c.threads << " threads, " << c.cores << " cores";
  }

  FlowSpread fixed(2, 2);
  fixed.fix_share(8, 2);
  fixed.steer(0, 100);
  fixed.steer(100, 100);
  EXPECT_EQ(fixed.share(), 8u);
}

}  // namespace
