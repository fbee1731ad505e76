#include "fields_json.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "common/text.hpp"
#include "json.hpp"

namespace quartet::analyzer {
namespace {

constexpr std::string_view kMasked = "********";
using Kind = FieldsJson::Kind;

// The bytes a field covers, clipped to the PDU (a decoder's offset is trusted no further).
Bytes covered(Bytes pdu, const Field& f) {
  if (f.offset >= pdu.size()) return {};
  return pdu.subspan(f.offset, std::min<size_t>(f.length, pdu.size() - f.offset));
}

// How the field's type and stored value are shown (nothing rendered yet).
Kind kind_of(const FieldDef& def, const Field& f, Bytes pdu) {
  const bool num = f.uint() != nullptr;
  const bool has_text = f.has_text();
  switch (def.type) {
    case FieldType::Bool:
      if (num) return Kind::Bool;
      break;
    case FieldType::Int32:
      if (num) return Kind::Int;
      break;
    case FieldType::IPv4:
      if (num) return Kind::IPv4Num;
      if (covered(pdu, f).size() == 4) return Kind::IPv4Bytes;
      break;
    case FieldType::IPv6:
      if (!has_text && covered(pdu, f).size() == 16) return Kind::IPv6;
      break;
    case FieldType::Octets:
      if (!has_text && !num) return Kind::Hex;
      break;
    default: break;
  }
  if (num) return Kind::UInt;
  if (has_text) return Kind::Text;
  return Kind::None;
}

void append_hex(OutBuf& out, Bytes b) {
  const size_t n = std::min(b.size(), kMaxHexBytes);
  out += '"';
  char* p = out.room(2 * n);
  out.commit(2 * n);
  write_hex(p, b.data(), n);
  if (n < b.size()) out += "...";
  out += '"';
}

}  // namespace

void FieldsJson::text(OutBuf& out, std::string_view s) {
  if (html_) append_json_string_html(out, s);
  else append_json_string(out, s);
}
void FieldsJson::text(std::string& out, std::string_view s) {
  if (html_) append_json_string_html(out, s);
  else append_json_string(out, s);
}

const FieldsJson::Keys& FieldsJson::keys(const Protocol& p) {
  for (const Keys& k : keys_)
    if (k.proto == &p) return k;
  Keys k{&p, {}, {}};
  k.end.reserve(p.fields.size());
  for (const FieldDef& d : p.fields) {
    text(k.text, d.abbrev);
    k.text += ':';
    k.end.push_back(static_cast<uint32_t>(k.text.size()));
  }
  return keys_.emplace_back(std::move(k));
}

void FieldsJson::value(OutBuf& out, const FieldDef& def, const Field& f, Kind k, Bytes pdu) {
  if (def.sensitive && !show_secrets_) {
    text(out, kMasked);
    return;
  }
  const uint64_t* num = f.uint();
  switch (k) {
    case Kind::UInt: append_uint(out, *num); break;
    case Kind::Int: append_int(out, static_cast<int32_t>(static_cast<uint32_t>(*num))); break;
    case Kind::Bool: out += *num ? std::string_view("true") : std::string_view("false"); break;
    case Kind::Text: {
      const std::string_view t = f.text();
      if (t.size() <= kMaxTextBytes) {
        text(out, t);
      } else {  // cut, then "..." inside the string (escaped as it stands: a sequence cut in two is
                // invalid either way, and "..." needs no escaping)
        text(out, t.substr(0, kMaxTextBytes));
        out.pop_back();
        out += "...\"";
      }
      break;
    }
    case Kind::IPv4Num:
      out += '"';
      for (int shift = 24; shift >= 0; shift -= 8) {
        append_uint(out, *num >> shift & 255);
        if (shift) out += '.';
      }
      out += '"';
      break;
    case Kind::IPv4Bytes:
    case Kind::IPv6: {
      char buf[INET6_ADDRSTRLEN];
      if (inet_ntop(k == Kind::IPv6 ? AF_INET6 : AF_INET, covered(pdu, f).data(), buf, sizeof buf)) text(out, buf);
      else out += "null";
      break;
    }
    case Kind::Hex: append_hex(out, covered(pdu, f)); break;
    case Kind::None: out += "null"; break;
  }
}

void FieldsJson::append(OutBuf& out, const Protocol& p, std::span<const Field> fs, Bytes pdu) {
  const Keys& key = keys(p);
  // First pass: how each field is shown, and whether any id repeats (the epoch
  // table needs no reset between messages).
  if (seen_.size() < p.fields.size()) seen_.resize(p.fields.size(), 0);
  if (++epoch_ == 0) {  // wrapped: forget every mark
    std::fill(seen_.begin(), seen_.end(), 0);
    epoch_ = 1;
  }
  kind_.resize(fs.size());
  bool repeats = false;
  for (size_t i = 0; i < fs.size(); ++i) {
    const Field& f = fs[i];
    kind_[i] = f.id < p.fields.size() ? kind_of(p.fields[f.id], f, pdu) : Kind::None;  // an id past the table
    if (kind_[i] == Kind::None) continue;  // is a decoder bug; subtrees have no value of their own
    repeats = repeats || seen_[f.id] == epoch_;
    seen_[f.id] = epoch_;
  }
  // The usual message: every key once, written in PDU order.
  if (!repeats) {
    out += '{';
    bool first = true;
    for (size_t i = 0; i < fs.size(); ++i) {
      if (kind_[i] == Kind::None) continue;
      if (!first) out += ',';
      first = false;
      out += key[fs[i].id];
      value(out, p.fields[fs[i].id], fs[i], kind_[i], pdu);
    }
    out += '}';
    return;
  }
  // Some key repeats: its values become an array at its first place. Grouped by
  // id through index links; last_/head_ are indexed by field id, grown once to the
  // table's size and reset afterwards only where this message used them.
  if (last_.size() < p.fields.size()) {
    last_.resize(p.fields.size(), -1);
    head_.resize(p.fields.size(), -1);
  }
  next_.assign(fs.size(), -1);
  count_.assign(fs.size(), 0);
  first_.clear();
  for (size_t i = 0; i < fs.size(); ++i) {
    const Field& f = fs[i];
    if (kind_[i] == Kind::None) continue;
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
    out += key[fs[head].id];
    if (count_[head] == 1) {
      value(out, def, fs[head], kind_[head], pdu);
      continue;
    }
    out += '[';
    for (int i = first_[g]; i >= 0; i = next_[static_cast<size_t>(i)]) {
      if (i != first_[g]) out += ',';
      value(out, def, fs[static_cast<size_t>(i)], kind_[static_cast<size_t>(i)], pdu);
    }
    out += ']';
  }
  out += '}';
  for (const int head : first_) {
    const FieldId id = fs[static_cast<size_t>(head)].id;
    last_[id] = head_[id] = -1;
  }
}

}  // namespace quartet::analyzer
