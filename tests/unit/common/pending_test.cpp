// PendingMap reuses the nodes of answered requests for the next ones (no
// allocation per request): a reused node must carry exactly the new key, value
// and age, whatever the old one held.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "common/pending.hpp"

using namespace quartet;

namespace {

// `prefix` then the number (appended: GCC 12 warns wrongly about "x" + std::to_string).
std::string key(std::string prefix, int n) { return prefix.append(std::to_string(n)); }

std::vector<std::pair<std::string, int>> oldest_first(const PendingMap<std::string, int>& m) {
  std::vector<std::pair<std::string, int>> out;
  m.for_each_oldest_first([&](const std::string& k, const auto& e) { out.emplace_back(k, e.value); });
  return out;
}

TEST(PendingMap, ReusedNodesCarryTheNewKeyValueAndAge) {
  PendingMap<std::string, int> m;
  // Short and long keys (inline and heap strings) answered and asked again, in turns.
  const std::string long_key(100, 'x');
  for (int round = 0; round < 20; ++round) {
    const std::string a = key(round % 2 ? long_key : "k", round);
    m.put(a, 3 * round, round);
    m.put(key("b", round), 3 * round + 1, -round);
    auto it = m.find(a);
    ASSERT_NE(it, m.end());
    EXPECT_EQ(it->second.value, round);
    EXPECT_EQ(it->second.index, static_cast<uint64_t>(3 * round));
    m.erase(it);
    EXPECT_EQ(m.find(a), m.end());
  }
  // The twenty "b" requests are left, oldest first, each with its own value.
  const auto left = oldest_first(m);
  ASSERT_EQ(left.size(), 20u);
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(left[round].first, key("b", round));
    EXPECT_EQ(left[round].second, -round);
  }
}

TEST(PendingMap, PuttingAKeyAgainReplacesItsEntry) {
  PendingMap<std::string, int> m;
  m.put("h", 1, 10);
  m.put("g", 2, 20);
  m.put("h", 3, 30);  // the earlier "h" goes, its nodes serve the new one
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.find("h")->second.value, 30);
  EXPECT_EQ(m.find("h")->second.index, 3u);
  const auto left = oldest_first(m);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0], (std::pair<std::string, int>{"g", 20}));
  EXPECT_EQ(left[1], (std::pair<std::string, int>{"h", 30}));
}

}  // namespace
