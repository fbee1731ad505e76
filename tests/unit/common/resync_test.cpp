// Each protocol's resync hook (Protocol::resync): where decoding starts again after a
// gap or an invalid frame. The plugin and the analyzer both call it.
#include <gtest/gtest.h>

#include <string>

#include "common/protocol.hpp"

using namespace quartet;

namespace {

const Protocol& named(std::string_view n) { return *find_protocol(n); }

std::optional<size_t> at(const Protocol& p, const std::string& s, size_t from = 0) {
  return p.resync(as_bytes(s), from);
}

// A COPS Keep-Alive: version 1, op-code 9, client-type 0, length 8.
const std::string kKa("\x10\x09\x00\x00\x00\x00\x00\x08", 8);

TEST(Resync, CopsFindsTheNextValidHeaderAtAnyByte) {
  const Protocol& p = named("copsx");
  EXPECT_FALSE(p.line_oriented);
  EXPECT_EQ(at(p, kKa), 0u);
  EXPECT_EQ(at(p, kKa, 1), 8u) << "after the KA: the end, where more bytes may start one";
  EXPECT_EQ(at(p, std::string("\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef", 12) + kKa), 12u);
  // Version 1 but an undefined op-code, then a length below the header: both refused.
  EXPECT_EQ(at(p, std::string("\x10\x63\x00\x00\x00\x00\x00\x08", 8) + kKa), 8u);
  EXPECT_EQ(at(p, std::string("\x10\x09\x00\x00\x00\x00\x00\x04", 8) + kKa), 8u);
}

TEST(Resync, CopsWaitsOnATailTooShortToJudge) {
  // "\x10\x09" could still be a KA: the caller waits for more bytes there.
  EXPECT_EQ(at(named("copsx"), std::string("\xff\xff\x10\x09", 4)), 2u);
}

TEST(Resync, RrpResumesAtTheNextLineTheHeuristicAccepts) {
  const Protocol& p = named("rrp");
  EXPECT_TRUE(p.line_oriented);
  const std::string junk = "\x01\x02 not rrp\r\nstill not\r\n";
  EXPECT_EQ(at(p, junk + "check\r\nEntityName:Domain\r\n.\r\n", 1), junk.size());
  // Mid-line bytes are never a start, even when they spell a command.
  EXPECT_EQ(at(p, "xxcheck\r\nquit\r\n", 1), 9u);
  EXPECT_EQ(at(p, "no line end here", 1), std::nullopt);
}

TEST(Resync, IapResumesAtTheNextStartLine) {
  const Protocol& p = named("iapx");
  EXPECT_TRUE(p.line_oriented);
  const std::string junk = "garbage line\r\n";
  EXPECT_EQ(at(p, junk + "IAP/0.3 200 OK\r\n\r\n", 1), junk.size());
}

TEST(Resync, SpCannotResynchronise) {
  // Length-prefixed messages with no marker: the wrappers stop the direction.
  const Protocol& p = named("sp");
  EXPECT_FALSE(p.line_oriented);
  EXPECT_EQ(p.resync, nullptr);
}

TEST(Resync, EveryLineOrientedProtocolHasTheHook) {
  for (const Protocol* p : all_protocols()) {
    if (p->line_oriented) {
      EXPECT_NE(p->resync, nullptr) << p->filter_name;
    }
  }
}

}  // namespace
