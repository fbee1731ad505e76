#include <gtest/gtest.h>

#include "common/lines.hpp"
#include "common/protocol.hpp"

using namespace quartet;

TEST(LineCursor, SplitsCrlfAndBareLf) {
  LineCursor c("add\r\nEntityName:Domain\n.\r\npartial");
  auto a = c.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->text, "add");
  EXPECT_EQ(a->offset, 0u);
  EXPECT_EQ(a->length, 5u);
  EXPECT_FALSE(a->bare_lf);
  auto b = c.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->text, "EntityName:Domain");
  EXPECT_TRUE(b->bare_lf);
  auto d = c.next();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->text, ".");
  EXPECT_FALSE(c.next());
  EXPECT_EQ(c.rest(), "partial");
}

TEST(Registry, FourProtocolsWithUniqueNames) {
  auto all = all_protocols();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]->filter_name, "copsx");
  EXPECT_EQ(all[1]->filter_name, "rrp");
  EXPECT_EQ(all[2]->filter_name, "iapx");
  EXPECT_EQ(all[3]->filter_name, "sp");
  EXPECT_EQ(find_protocol("COPS"), all[0]);
  EXPECT_EQ(find_protocol("iapx"), all[2]);
  EXPECT_EQ(find_protocol("nope"), nullptr);
}
