// The SP descriptor as the wrappers see it.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/protocol.hpp"
#include "sp/fields.hpp"
#include "sp_test_util.hpp"

using namespace quartet;
using namespace sp_test;

TEST(SpProtocol, Names) {
  const Protocol& p = sp::protocol();
  EXPECT_EQ(p.filter_name, "sp");
  EXPECT_EQ(p.short_name, "SP");
  EXPECT_EQ(p.long_name, "Scalability Protocols (nanomsg SP)");
  EXPECT_TRUE(p.default_tcp_ports.empty());  // SP has no port; found by heuristic
  EXPECT_TRUE(p.default_tls_ports.empty());
  EXPECT_EQ(find_protocol("sp"), &p);
}

TEST(SpProtocol, FieldTableIsSystematic) {
  auto fields = sp::protocol().fields;
  ASSERT_EQ(fields.size(), static_cast<size_t>(sp::kFieldCount));
  std::set<std::string> abbrevs;
  for (const auto& f : fields) {
    std::string a = f.abbrev;
    EXPECT_TRUE(abbrevs.insert(a).second) << a;
    for (char c : a) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '.' || c == '_') << a;
  }
  EXPECT_STREQ(def_of(fields, sp::Field::kType).abbrev, "header.type");
  EXPECT_STREQ(def_of(fields, sp::Field::kProtocolId).abbrev, "header.protocol");
  EXPECT_EQ(def_of(fields, sp::Field::kProtocolId).bitmask, 0xfff0u);
  EXPECT_EQ(def_of(fields, sp::Field::kRole).bitmask, 0x000fu);
  EXPECT_STREQ(def_of(fields, sp::Field::kBacktraceHop).abbrev, "backtrace.hop");
  EXPECT_STREQ(def_of(fields, sp::Field::kRequestId).abbrev, "request_id");
  EXPECT_STREQ(def_of(fields, sp::Field::kSurveyId).abbrev, "survey_id");
  EXPECT_STREQ(def_of(fields, sp::Field::kHops).abbrev, "hops");
  EXPECT_STREQ(name_of(def_of(fields, sp::Field::kType).names, 0x30), "REQ (v0)");
  EXPECT_STREQ(name_of(def_of(fields, sp::Field::kProtocolId).names, 6), "survey");
}

TEST(SpProtocol, DescriptorFunctionsWork) {
  const Protocol& p = sp::protocol();
  std::string stream = header(0x31) + message("x");
  EXPECT_EQ(p.probe(bytes(stream)), Probe::Yes);
  EXPECT_EQ(p.frame(bytes(stream)).length, 8u);
  EXPECT_EQ(p.decode(bytes(stream).first(8), Direction::ToClient).summary, "SP header REP (v0)");
  auto s = p.new_session();
  EXPECT_EQ(s->state(), "awaiting headers");
}
