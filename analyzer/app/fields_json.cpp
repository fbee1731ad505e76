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
    case FieldOut::Kind::UInt: out += std::to_string(f.num); break;
    case FieldOut::Kind::Int: out += std::to_string(static_cast<int32_t>(static_cast<uint32_t>(f.num))); break;
    case FieldOut::Kind::Bool: out += f.num ? "true" : "false"; break;
    case FieldOut::Kind::Text: text(out, f.text); break;
    case FieldOut::Kind::None: out += "null"; break;
  }
}

void FieldsJson::append(std::string& out, const Protocol& p, const std::vector<FieldOut>& fs) {
  slot_.assign(p.fields.size(), -1);
  groups_.clear();
  for (const FieldOut& f : fs) {
    if (f.kind == FieldOut::Kind::None) continue;  // subtrees without a value of their own
    int& s = slot_[f.id];
    if (s < 0) {
      s = static_cast<int>(groups_.size());
      groups_.emplace_back();
    }
    groups_[static_cast<size_t>(s)].push_back(&f);
  }
  out += '{';
  for (size_t g = 0; g < groups_.size(); ++g) {
    const auto& vals = groups_[g];
    const FieldDef& def = p.fields[vals.front()->id];
    if (g) out += ',';
    text(out, def.abbrev);
    out += ':';
    if (vals.size() == 1) {
      value(out, def, *vals.front());
      continue;
    }
    out += '[';
    for (size_t i = 0; i < vals.size(); ++i) {
      if (i) out += ',';
      value(out, def, *vals[i]);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace quartet::analyzer
