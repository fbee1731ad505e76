// FieldNeeds thins the field list and nothing else: over every fuzz seed stream
// (every sample capture's TCP streams and hand-made exchanges, all four protocols),
// sessions decoding with all, none and some of the fields agree on everything but
// the list, and "some" is exactly the full list with the unwanted entries taken out
// (children of a group left out moving up to its place, as Wireshark hangs the
// children of an item it fakes).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "common/protocol.hpp"
#include "../support/seed_streams.hpp"

using namespace quartet;

namespace {

// Two partial needs: a pseudo-random half of the fields, and every field but the
// groups (the hardest case for the nesting).
bool hashed_half(const Protocol&, FieldId id) { return ((id * 2654435761u) >> 9) & 1u; }
bool no_groups(const Protocol& p, FieldId id) { return id < p.fields.size() && p.fields[id].type != FieldType::Group; }
using Keep = bool (*)(const Protocol&, FieldId);

// FieldNeeds::some's flag table for `keep`: one int per field, as dense as can be,
// then spread out with a stride (as the plugin's table is).
struct Flags {
  std::vector<int> dense;
  std::vector<std::byte> spread;
  Flags(const Protocol& p, Keep keep) : dense(p.fields.size()), spread(p.fields.size() * 24) {
    for (size_t i = 0; i < dense.size(); ++i) {
      dense[i] = keep(p, static_cast<FieldId>(i)) ? static_cast<int>(1 + i % 2) : 0;
      std::memcpy(spread.data() + i * 24, &dense[i], sizeof(int));
    }
  }
};

// `all` with the fields `keep` rejects taken out and depths counting kept groups only.
std::vector<Field> thinned(const Decoded& all, const Protocol& p, Keep keep) {
  std::vector<Field> out;
  std::vector<bool> kept_at;  // per depth of `all`: whether the field opened there is kept
  for (size_t i = 0; i < all.fields.size(); ++i) {
    Field f = all.fields[i];
    kept_at.resize(f.depth);
    const bool kept = keep(p, f.id);
    // It was opened (Decoded::open) when the next field is deeper.
    if (i + 1 < all.fields.size() && all.fields[i + 1].depth > f.depth) kept_at.push_back(kept);
    if (!kept) continue;
    f.depth = static_cast<uint8_t>(std::count(kept_at.begin(), kept_at.begin() + f.depth, true));
    out.push_back(f);
  }
  return out;
}

void expect_same_fields(const std::vector<Field>& want, const std::vector<Field>& got, const std::string& where) {
  ASSERT_EQ(want.size(), got.size()) << where;
  for (size_t i = 0; i < want.size(); ++i) {
    const Field &a = want[i], &b = got[i];
    EXPECT_TRUE(a.id == b.id && a.depth == b.depth && a.offset == b.offset && a.length == b.length &&
                a.value.kind() == b.value.kind() && a.text() == b.text() && (!a.uint() || *a.uint() == *b.uint()))
        << where << " field " << i << " (id " << a.id << " vs " << b.id << ", depth " << int(a.depth) << " vs "
        << int(b.depth) << ")";
  }
}

void expect_same_problems(const std::vector<Problem>& a, const std::vector<Problem>& b, const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(a[i].kind == b[i].kind && a[i].id == b[i].id && a[i].offset == b[i].offset &&
                a[i].length == b[i].length && a[i].text == b[i].text)
        << where << ": " << a[i].text << " vs " << b[i].text;
}

// Everything but the field list.
void expect_same_rest(const MessageRecord& a, const MessageRecord& b, const std::string& where) {
  EXPECT_EQ(a.decoded.name, b.decoded.name) << where;
  EXPECT_EQ(a.decoded.summary, b.decoded.summary) << where;
  EXPECT_EQ(a.decoded.kind, b.decoded.kind) << where;
  EXPECT_EQ(a.decoded.is_request, b.decoded.is_request) << where;
  EXPECT_EQ(a.decoded.is_response, b.decoded.is_response) << where;
  expect_same_problems(a.decoded.problems, b.decoded.problems, where);
  const Transition &s = a.transition, &t = b.transition;
  EXPECT_EQ(s.response_to, t.response_to) << where;
  EXPECT_EQ(s.latency, t.latency) << where;
  EXPECT_EQ(s.tls_follows, t.tls_follows) << where;
  EXPECT_EQ(s.link_group == nullptr, t.link_group == nullptr) << where;
  expect_same_problems(s.problems, t.problems, where);
  ASSERT_EQ(s.events.size(), t.events.size()) << where;
  for (size_t i = 0; i < s.events.size(); ++i)
    EXPECT_TRUE(s.events[i].kind == t.events[i].kind && s.events[i].text == t.events[i].text) << where;
}

}  // namespace

TEST(FieldNeeds, ThinOnlyTheFieldList) {
  constexpr size_t kWays = 4;  // [0] all, [1] none, [2] a hashed half, [3] all but the groups
  std::unique_ptr<Flags> half, nogroups;
  std::unique_ptr<Session> sessions[kWays];
  MessageRecord records[kWays];  // reused from PDU to PDU, as the plugin does
  FieldNeeds needs[kWays];
  const Protocol* proto = nullptr;
  std::string name;
  size_t pdus = 0, dropped = 0, kept = 0;
  uint64_t index = 0;
  const size_t streams = test::for_each_seed_stream(
      [&](const Protocol& p, const std::string& file) {
        proto = &p;
        name = file;
        index = 0;
        half = std::make_unique<Flags>(p, hashed_half);
        nogroups = std::make_unique<Flags>(p, no_groups);
        needs[0] = FieldNeeds::all();
        needs[1] = FieldNeeds::none();
        needs[2] =
            FieldNeeds::some(reinterpret_cast<const std::byte*>(half->dense.data()), sizeof(int), p.fields.size());
        needs[3] = FieldNeeds::some(nogroups->spread.data(), 24, p.fields.size());
        for (size_t k = 0; k < kWays; ++k) {
          sessions[k] = p.new_session();
          records[k].decoded.set_needs(needs[k]);
        }
      },
      [&](Direction dir, Bytes pdu) {
        const Protocol& p = *proto;
        const std::string where = name + " PDU " + std::to_string(index);
        for (size_t k = 0; k < kWays; ++k)
          sessions[k]->on_pdu(dir, pdu, static_cast<TimeNs>(index) * 1000, index, records[k]);
        const MessageRecord& all = records[0];
        for (size_t k = 1; k < kWays; ++k) {
          expect_same_rest(all, records[k], where + " needs " + std::to_string(k));
          EXPECT_EQ(sessions[0]->state(), sessions[k]->state()) << where;
        }
        EXPECT_TRUE(records[1].decoded.fields.empty()) << where;
        expect_same_fields(thinned(all.decoded, p, hashed_half), records[2].decoded.fields, where + " half");
        expect_same_fields(thinned(all.decoded, p, no_groups), records[3].decoded.fields, where + " no groups");
        // The re-dissection path (Session::decode) thins alike.
        Decoded again;
        again.set_needs(needs[2]);
        sessions[2]->decode(dir, pdu, again);
        expect_same_fields(records[2].decoded.fields, again.fields, where + " decode()");
        EXPECT_EQ(again.summary, all.decoded.summary) << where;
        dropped += all.decoded.fields.size() - records[2].decoded.fields.size();
        kept += records[2].decoded.fields.size();
        ++index;
        ++pdus;
      });
  EXPECT_GT(streams, 20u);
  EXPECT_GT(pdus, 1000u);
  // Both halves are non-trivial: the comparisons above did compare something.
  EXPECT_GT(dropped, 1000u);
  EXPECT_GT(kept, 1000u);
}
