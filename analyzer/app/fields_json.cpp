#include "fields_json.hpp"

#include "json.hpp"

namespace quartet::analyzer {
namespace {
constexpr std::string_view kMasked = "********";
}  // namespace

void FieldsJson::text(std::string& out, std::string_view s) {
  if (html_) append_json_string_html(out, s);
  else append_json_string(out, s);
}

void FieldsJson::value(std::string& out, const FieldDef& def, const FieldOut& f) {
  if (def.sensitive && !show_secrets_) {
    text(out, kMasked);
    return;
  }
  switch (f.kind) {
    case FieldOut::Kind::UInt: append_uint(out, f.num); break;
    case FieldOut::Kind::Int: append_int(out, static_cast<int32_t>(static_cast<uint32_t>(f.num))); break;
    case FieldOut::Kind::Bool: out += f.num ? "true" : "false"; break;
    case FieldOut::Kind::Text: text(out, f.text); break;
    case FieldOut::Kind::None: out += "null"; break;
  }
}

void FieldsJson::append(std::string& out, const Protocol& p, const std::vector<FieldOut>& fs) {
  last_.assign(p.fields.size(), -1);
  head_.assign(p.fields.size(), -1);
  next_.assign(fs.size(), -1);
  count_.assign(fs.size(), 0);
  first_.clear();
  for (size_t i = 0; i < fs.size(); ++i) {
    const FieldOut& f = fs[i];
    if (f.kind == FieldOut::Kind::None) continue;  // subtrees without a value of their own
    int& last = last_[f.id];
    if (last < 0) {
      first_.push_back(static_cast<int>(i));
      head_[f.id] = static_cast<int>(i);
    } else {
      next_[static_cast<size_t>(last)] = static_cast<int>(i);
    }
    last = static_cast<int>(i);
    ++count_[static_cast<size_t>(head_[f.id])];
  }
  out += '{';
  for (size_t g = 0; g < first_.size(); ++g) {
    const auto head = static_cast<size_t>(first_[g]);
    const FieldDef& def = p.fields[fs[head].id];
    if (g) out += ',';
    text(out, def.abbrev);
    out += ':';
    if (count_[head] == 1) {
      value(out, def, fs[head]);
      continue;
    }
    out += '[';
    for (int i = first_[g]; i >= 0; i = next_[static_cast<size_t>(i)]) {
      if (i != first_[g]) out += ',';
      value(out, def, fs[static_cast<size_t>(i)]);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace quartet::analyzer
