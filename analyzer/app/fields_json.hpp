// A message's decoded fields as one JSON object, the way JSONL shows them (and the
// HTML report, whose message details must show the same): keys are the field
// abbrevs in order of first appearance, a field that occurs more than once becomes
// an array of its values in PDU order, sensitive fields are masked.
//
// Written straight from the core's fields while the PDU bytes are still there
// (values pointing into the PDU are rendered, not copied first): the timeline then
// holds one string per message instead of one owned value per field.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/bytes.hpp"
#include "common/protocol.hpp"
#include "out_buf.hpp"

namespace quartet::analyzer {

// Byte fields longer than this are rendered as the hex of their first bytes + "...".
inline constexpr size_t kMaxHexBytes = 1024;
// Text values (e.g. an SP body shown as text) are cut like byte fields, so one
// 200 KiB message does not make a 200 KiB JSON line.
inline constexpr size_t kMaxTextBytes = 2048;

class FieldsJson {
 public:
  // `html`: strings escaped for an HTML script data block (append_json_string_html).
  FieldsJson(bool show_secrets, bool html) : show_secrets_(show_secrets), html_(html) {}
  // `pdu`: the bytes the fields' offsets and views refer to.
  void append(OutBuf& out, const Protocol& p, std::span<const Field> fs, Bytes pdu);
  // The same in a buffer reused from message to message (valid until the next call).
  std::string_view render(const Protocol& p, std::span<const Field> fs, Bytes pdu) {
    scratch_.clear();
    append(scratch_, p, fs, pdu);
    return scratch_.view();
  }

  // How a field's value is shown; None: a subtree without a value of its own (left out).
  enum class Kind : uint8_t { None, UInt, Int, Bool, Text, IPv4Num, IPv4Bytes, IPv6, Hex };

 private:
  void value(OutBuf& out, const FieldDef& def, const Field& f, Kind k, Bytes pdu);
  void text(OutBuf& out, std::string_view s);
  void text(std::string& out, std::string_view s);
  // The protocol's keys, escaped once: `"abbrev":` per field id, all in one
  // string (one allocation per protocol, not one per field: an analyzer is made
  // per run, but the fuzz targets and tests make one per input).
  struct Keys {
    const Protocol* proto;
    std::string text;
    std::vector<uint32_t> end;  // key i is text[end[i-1], end[i])
    std::string_view operator[](size_t i) const {
      const uint32_t from = i ? end[i - 1] : 0;
      return std::string_view(text).substr(from, end[i] - from);
    }
  };
  const Keys& keys(const Protocol& p);

  bool show_secrets_, html_;
  // Grouping by id through index links (next_), reused between messages: no
  // allocation per message once the vectors have grown.
  std::vector<int> last_, next_, first_, head_;
  std::vector<uint32_t> count_;
  std::vector<Kind> kind_;
  std::vector<uint32_t> seen_;  // per field id: the epoch_ of the last message that had it
  uint32_t epoch_ = 0;
  OutBuf scratch_;
  std::vector<Keys> keys_;
};

}  // namespace quartet::analyzer
