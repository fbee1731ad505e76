#include "message_out.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cstdio>

#include "common/lines.hpp"

namespace quartet::analyzer {
namespace {

std::string hex(Bytes b) {
  std::string s = hex_bytes(as_text(b.first(std::min(b.size(), kMaxHexBytes))));
  if (s.size() < 2 * b.size()) s += "...";
  return s;
}

std::string clipped_text(std::string_view t) {
  if (t.size() <= kMaxTextBytes) return std::string(t);
  return std::string(t.substr(0, kMaxTextBytes)) + "...";
}

// The bytes a field covers, clipped to the PDU (a decoder's offset is trusted no further).
Bytes covered(Bytes pdu, const Field& f) {
  if (f.offset >= pdu.size()) return {};
  return pdu.subspan(f.offset, std::min<size_t>(f.length, pdu.size() - f.offset));
}

FieldOut convert(const FieldDef& def, const Field& f, Bytes pdu) {
  FieldOut o;
  o.id = f.id;
  o.depth = f.depth;
  const uint64_t* num = f.uint();
  const bool has_text = std::holds_alternative<std::string_view>(f.value) ||
                        std::holds_alternative<std::string>(f.value);
  using K = FieldOut::Kind;
  switch (def.type) {
    case FieldType::Bool:
      if (num) o.kind = K::Bool, o.num = *num != 0;
      break;
    case FieldType::Int32:
      if (num) o.kind = K::Int, o.num = *num;
      break;
    case FieldType::IPv4:
      if (num) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", unsigned(*num >> 24 & 255), unsigned(*num >> 16 & 255),
                      unsigned(*num >> 8 & 255), unsigned(*num & 255));
        o.kind = K::Text, o.text = buf;
      } else if (Bytes b = covered(pdu, f); b.size() == 4) {
        char buf[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, b.data(), buf, sizeof buf)) o.kind = K::Text, o.text = buf;
      }
      break;
    case FieldType::IPv6:
      if (Bytes b = covered(pdu, f); b.size() == 16 && !has_text) {
        char buf[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, b.data(), buf, sizeof buf)) o.kind = K::Text, o.text = buf;
      }
      break;
    case FieldType::Octets:
      if (!has_text && !num) o.kind = K::Text, o.text = hex(covered(pdu, f));
      break;
    default:
      break;
  }
  if (o.kind == K::None) {
    if (num) o.kind = K::UInt, o.num = *num;
    else if (has_text) o.kind = K::Text, o.text = clipped_text(f.text());
  }
  return o;
}

}  // namespace

MessageOut make_message(const Protocol& p, const MessageRecord& rec, Bytes pdu, Side from, TimeNs ts,
                        uint64_t index, bool keep_fields) {
  MessageOut m;
  m.index = index;
  m.ts = ts;
  m.from = from;
  m.length = pdu.size();
  m.name = rec.decoded.name;
  m.summary = rec.decoded.summary;
  m.is_request = rec.decoded.is_request;
  m.is_response = rec.decoded.is_response;
  if (keep_fields) m.fields.reserve(rec.decoded.fields.size());
  for (const Field& f : rec.decoded.fields) {
    if (f.id >= p.fields.size()) continue;  // a decoder bug must not index past the table
    const FieldDef& def = p.fields[f.id];
    if (keep_fields) m.fields.push_back(convert(def, f, pdu));
  }
  for (const Event& e : rec.transition.events)
    if (e.kind == EventKind::Publisher) m.announces_publisher = true;
  m.response_to = rec.transition.response_to;
  m.latency = rec.transition.latency;
  m.problems = rec.decoded.problems;
  m.problems.insert(m.problems.end(), rec.transition.problems.begin(), rec.transition.problems.end());
  return m;
}

}  // namespace quartet::analyzer
