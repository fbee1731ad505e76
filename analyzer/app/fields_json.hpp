// A message's decoded fields as one JSON object, the way JSONL shows them (and the
// HTML report, whose message details must show the same): keys are the field
// abbrevs in order of first appearance, a field that occurs more than once becomes
// an array of its values in PDU order, sensitive fields are masked.
#pragma once

#include <string>
#include <vector>

#include "timeline.hpp"

namespace quartet::analyzer {

class FieldsJson {
 public:
  // `html`: strings escaped for an HTML script data block (append_json_string_html).
  FieldsJson(bool show_secrets, bool html) : show_secrets_(show_secrets), html_(html) {}
  void append(std::string& out, const Protocol& p, const std::vector<FieldOut>& fs);

 private:
  void value(std::string& out, const FieldDef& def, const FieldOut& f);
  void text(std::string& out, std::string_view s);

  bool show_secrets_, html_;
  // Grouping by id through index links (next_), reused between messages: no
  // allocation per message once the vectors have grown.
  std::vector<int> last_, next_, first_, head_;
  std::vector<uint32_t> count_;
};

}  // namespace quartet::analyzer
