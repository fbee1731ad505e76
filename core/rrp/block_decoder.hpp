// Internals shared by the request and server-side block decoders: line
// splitting, offsets of views into the block, and the three entry points that
// parse() in decoder.cpp dispatches to.
#pragma once

#include <string>
#include <string_view>

#include "../common/lines.hpp"
#include "block_reader.hpp"
#include "decoder.hpp"
#include "fields.hpp"

namespace quartet::rrp {

struct NameValue {
  std::string_view name;
  std::string_view value;
  bool has_colon = false;
};

// "Name:value" split at the first colon (values such as dates contain colons).
inline NameValue split_line(std::string_view t) {
  size_t colon = t.find(':');
  if (colon == std::string_view::npos) return {t, t.substr(t.size()), false};
  return {trim(t.substr(0, colon)), trim(t.substr(colon + 1)), true};
}

// Text in double quotes, for problem messages.
inline std::string quoted(std::string_view s) {
  std::string q(1, '"');
  q.append(s).push_back('"');
  return q;
}

// Offsets of views into the block, for the field list.
class BlockDecoder {
 public:
  BlockDecoder(std::string_view text, Decoded& d, Message& m) : text_(text), d_(d), m_(m) {}

 protected:
  size_t at(std::string_view part) const { return static_cast<size_t>(part.data() - text_.data()); }
  void add_text(Field id, std::string_view v) { d_.add(id, at(v), v.size(), v); }

  std::string_view text_;
  Decoded& d_;
  Message& m_;
};

// Each decodes the block whose first line is `first`, the rest coming from `lines`.
void decode_request(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m);
void decode_response(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m);
void decode_greeting(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m);

}  // namespace quartet::rrp
