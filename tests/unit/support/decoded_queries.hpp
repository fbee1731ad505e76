// Lookups every unit test makes in a Decoded (fields by id, problems by kind or
// text) and in a session's Transition (problems), and byte views over test
// strings: one copy for all protocols' tests.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.hpp"
#include "common/decoded.hpp"
#include "common/problem.hpp"
#include "common/session.hpp"

namespace quartet::test {

inline Bytes bytes(std::string_view s) { return as_bytes(s); }
inline Bytes bytes(const std::vector<uint8_t>& b) { return {reinterpret_cast<const std::byte*>(b.data()), b.size()}; }

// The n-th field with that id, or nullptr.
inline const Field* field(const Decoded& d, FieldRef id, size_t nth = 0) {
  for (const auto& f : d.fields)
    if (f.is(id) && nth-- == 0) return &f;
  return nullptr;
}
inline std::vector<const Field*> all(const Decoded& d, FieldRef id) {
  std::vector<const Field*> out;
  for (const auto& f : d.fields)
    if (f.is(id)) out.push_back(&f);
  return out;
}
inline size_t count(const Decoded& d, FieldRef id) {
  size_t n = 0;
  for (const auto& f : d.fields) n += f.is(id);
  return n;
}
// The integer value of the n-th field with that id; ~0 when absent or not an integer.
inline uint64_t uint_of(const Decoded& d, FieldRef id, size_t nth = 0) {
  const Field* f = field(d, id, nth);
  return f && f->uint() ? *f->uint() : ~uint64_t{0};
}
// The text of the n-th field with that id; "<absent>" when there is none.
inline std::string text_of(const Decoded& d, FieldRef id, size_t nth = 0) {
  const Field* f = field(d, id, nth);
  return f ? std::string(f->text()) : std::string("<absent>");
}
inline std::vector<std::string> texts(const Decoded& d, FieldRef id) {
  std::vector<std::string> out;
  for (const Field* f : all(d, id)) out.emplace_back(f->text());
  return out;
}

inline size_t count(const std::vector<Problem>& ps, ProblemKind k) {
  size_t n = 0;
  for (const auto& p : ps) n += p.kind == k;
  return n;
}
inline size_t count(const Decoded& d, ProblemKind k) { return count(d.problems, k); }
// The first problem of kind k whose text contains `part` (any text when empty).
inline const Problem* problem(const std::vector<Problem>& ps, ProblemKind k, std::string_view part = {}) {
  for (const auto& p : ps)
    if (p.kind == k && p.text.find(part) != std::string::npos) return &p;
  return nullptr;
}
inline const Problem* problem(const Decoded& d, ProblemKind k, std::string_view part = {}) {
  return problem(d.problems, k, part);
}
inline bool has_problem(const Decoded& d, ProblemKind k, std::string_view part = {}) {
  return problem(d, k, part) != nullptr;
}
inline bool has_problem(const Transition& t, ProblemKind k, std::string_view part = {}) {
  return problem(t.problems, k, part) != nullptr;
}
// Every problem, one per line, for failure messages.
inline std::string dump(const std::vector<Problem>& ps) {
  std::string s;
  for (const auto& p : ps)
    s += "  [" + std::string(kind_name(p.kind)) + "@" + std::to_string(p.offset) + "] " + p.text + "\n";
  return s;
}
inline std::string dump(const Decoded& d) { return std::string(d.name) + " | " + d.summary + "\n" + dump(d.problems); }

}  // namespace quartet::test
