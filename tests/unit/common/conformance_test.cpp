// Every protocol in the registry keeps the shape the wrappers rely on. The tests
// loop over all_protocols(), so a fifth protocol is checked without an edit here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "../support/seed_streams.hpp"

using namespace quartet;

namespace {

bool lower_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_')) return false;
  return s.front() != '.' && s.back() != '.' && s.find("..") == std::string_view::npos;
}

std::vector<uint8_t> random_bytes(std::mt19937& rng, size_t n) {
  std::vector<uint8_t> b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}
Bytes view(const std::vector<uint8_t>& b) { return {reinterpret_cast<const std::byte*>(b.data()), b.size()}; }

class EveryProtocol : public testing::TestWithParam<const Protocol*> {};

TEST_P(EveryProtocol, DescriptorIsComplete) {
  const Protocol& p = *GetParam();
  EXPECT_TRUE(lower_name(p.filter_name)) << p.filter_name;
  EXPECT_FALSE(p.short_name.empty());
  EXPECT_FALSE(p.long_name.empty());
  EXPECT_TRUE(p.frame && p.decode && p.probe && p.new_session) << p.filter_name;
  EXPECT_FALSE(p.fields.empty());
  EXPECT_FALSE(p.problems.empty());
}

TEST_P(EveryProtocol, FieldsAreNamedAndTyped) {
  const Protocol& p = *GetParam();
  std::set<std::string> abbrevs;
  for (const FieldDef& f : p.fields) {
    ASSERT_TRUE(f.abbrev && f.name) << p.filter_name;
    EXPECT_TRUE(lower_name(f.abbrev)) << f.abbrev;
    EXPECT_TRUE(abbrevs.insert(f.abbrev).second) << "repeated " << f.abbrev;
    // A Bool is a bit of a container (mask and container width, which Wireshark
    // needs together) or a flag of its own (neither, e.g. RRP's trailing '=').
    if (f.type == FieldType::Bool && (f.bitmask || f.width)) {
      EXPECT_NE(f.bitmask, 0u) << f.abbrev << ": a width without its bit";
      EXPECT_TRUE(f.width == 8 || f.width == 16 || f.width == 24 || f.width == 32) << f.abbrev;
      if (f.width < 64) {
        EXPECT_EQ(f.bitmask >> f.width, 0u) << f.abbrev << ": bit outside its container";
      }
    }
  }
}

TEST_P(EveryProtocol, ProblemIdsAreStableNames) {
  const Protocol& p = *GetParam();
  const std::string prefix = std::string(p.filter_name) + ".";
  std::set<std::string> fields;
  for (const FieldDef& f : p.fields) fields.insert(prefix + f.abbrev);
  std::set<std::string_view> ids;
  for (const ProblemDef& d : p.problems) {
    EXPECT_TRUE(d.id.starts_with(prefix)) << d.id;
    EXPECT_TRUE(lower_name(d.id)) << d.id;
    EXPECT_TRUE(ids.insert(d.id).second) << "repeated " << d.id;
    // Wireshark registers each id as a filter name: it must not be a field's too.
    EXPECT_FALSE(fields.count(std::string(d.id))) << d.id << " is also a field";
    EXPECT_FALSE(d.summary.empty()) << d.id;
  }
}

// Framers never claim an empty PDU (the wrappers would loop), and decode, probe
// and the session machine never throw, whatever the bytes.
TEST_P(EveryProtocol, RandomInputIsSafe) {
  const Protocol& p = *GetParam();
  std::mt19937 rng(20261201);
  for (int round = 0; round < 300; ++round) {
    const auto b = random_bytes(rng, rng() % 300);
    const FrameResult r = p.frame(view(b));
    if (r.status == FrameResult::Status::Complete) {
      EXPECT_GT(r.length, 0u) << p.filter_name;
      EXPECT_LE(r.length, b.size()) << p.filter_name;
    }
    EXPECT_NO_THROW(p.probe(view(b)));
    EXPECT_NO_THROW(p.decode(view(b), round % 2 ? Direction::ToServer : Direction::ToClient));
  }
  auto s = p.new_session();
  for (uint64_t i = 0; i < 300; ++i) {
    const auto b = random_bytes(rng, 1 + rng() % 200);
    const Direction dir = rng() % 2 ? Direction::ToServer : Direction::ToClient;
    EXPECT_NO_THROW(s->on_pdu(dir, view(b), static_cast<TimeNs>(rng()) * 1000, i));
    EXPECT_NO_THROW(s->decode(dir, view(b)));
  }
  EXPECT_NO_THROW(s->on_close());
}

// Every problem a decode raises has an id from the protocol's own table.
TEST_P(EveryProtocol, RaisedProblemsHaveTableIds) {
  const Protocol& p = *GetParam();
  std::set<std::string_view> ids;
  for (const ProblemDef& d : p.problems) ids.insert(d.id);
  std::mt19937 rng(7);
  auto s = p.new_session();
  for (uint64_t i = 0; i < 300; ++i) {
    const auto b = random_bytes(rng, rng() % 120);
    MessageRecord r = s->on_pdu(i % 3 ? Direction::ToServer : Direction::ToClient, view(b), 0, i);
    for (const Problem& pr : r.decoded.problems) EXPECT_TRUE(ids.count(pr.id)) << pr.id << ": " << pr.text;
    for (const Problem& pr : r.transition.problems) EXPECT_TRUE(ids.count(pr.id)) << pr.id << ": " << pr.text;
  }
  for (const Problem& pr : s->on_close()) EXPECT_TRUE(ids.count(pr.id)) << pr.id << ": " << pr.text;
}

// The same over real streams: the fuzz seeds framed per direction and fed to the
// session, as the wrappers do (tests/unit/support/seed_streams.hpp).
TEST(Registry, SeedStreamsRaiseOnlyTableIds) {
  size_t problems = 0;
  std::set<std::string_view> ids;
  std::unique_ptr<Session> s;
  std::string name;
  uint64_t index = 0;
  auto check = [&](const std::vector<Problem>& list) {
    for (const Problem& pr : list) {
      ++problems;
      EXPECT_TRUE(ids.count(pr.id)) << name << ": " << pr.id << ": " << pr.text;
    }
  };
  const size_t streams = test::for_each_seed_stream(
      [&](const Protocol& p, const std::string& file) {
        if (s) check(s->on_close());
        ids.clear();
        for (const ProblemDef& d : p.problems) ids.insert(d.id);
        s = p.new_session();
        name = file;
        index = 0;
      },
      [&](Direction dir, Bytes pdu) {
        MessageRecord m = s->on_pdu(dir, pdu, static_cast<TimeNs>(index) * 1000, index);
        ++index;
        check(m.decoded.problems);
        check(m.transition.problems);
      });
  if (s) check(s->on_close());
  EXPECT_GT(streams, 20u);
  EXPECT_GT(problems, 0u);  // the seeds do reach problems: the loop above checks something
}

std::string name_of_param(const testing::TestParamInfo<const Protocol*>& info) {
  return std::string(info.param->filter_name);
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryProtocol, testing::ValuesIn(all_protocols().begin(), all_protocols().end()),
                         name_of_param);

TEST(Registry, NamesAreUnique) {
  std::set<std::string_view> filters, shorts;
  for (const Protocol* p : all_protocols()) {
    EXPECT_TRUE(filters.insert(p->filter_name).second) << p->filter_name;
    EXPECT_TRUE(shorts.insert(p->short_name).second) << p->short_name;
    EXPECT_EQ(find_protocol(p->filter_name), p);
  }
}

}  // namespace
