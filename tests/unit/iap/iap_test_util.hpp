// Helpers for the IAP unit tests: byte views over string literals and field lookups.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/decoded.hpp"
#include "common/bytes.hpp"
#include "iap/fields.hpp"

namespace iap_test {

inline quartet::Bytes bytes(std::string_view s) { return quartet::as_bytes(s); }

// The 64-octet alert of the draft's section 4.4 example: every octet 0xFF.
inline std::string alert64() { return std::string(64, '\xff'); }

inline std::vector<std::string> texts(const quartet::Decoded& d, quartet::FieldId id) {
  std::vector<std::string> out;
  for (const auto& f : d.fields)
    if (f.id == id) out.emplace_back(f.text());
  return out;
}

inline uint64_t uint_of(const quartet::Decoded& d, quartet::FieldId id) {
  const quartet::Field* f = d.find(id);
  return f && f->uint() ? *f->uint() : ~uint64_t{0};
}

inline bool has_problem(const quartet::Decoded& d, quartet::ProblemKind k, std::string_view part) {
  for (const auto& p : d.problems)
    if (p.kind == k && p.text.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace iap_test
