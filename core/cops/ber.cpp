#include "ber.hpp"

namespace quartet::cops::ber {

Status read(Bytes b, size_t off, size_t end, Tlv& out) {
  if (end > b.size()) end = b.size();
  if (off >= end) return Status::Truncated;
  out = {};
  out.offset = off;
  out.ident = be8(b, off);
  size_t p = off + 1;
  out.tag = out.ident & 0x1f;
  if (out.tag == 0x1f) {  // high-tag-number form: base-128 octets
    out.tag = 0;
    for (int i = 0;; ++i) {
      if (p >= end) return Status::Truncated;
      if (i == 4) return Status::TooLong;
      uint8_t o = be8(b, p++);
      out.tag = (out.tag << 7) | (o & 0x7f);
      if (!(o & 0x80)) break;
    }
  }
  if (p >= end) return Status::Truncated;
  uint8_t l = be8(b, p++);
  size_t len = l;
  if (l == 0x80) return Status::Indefinite;
  if (l & 0x80) {
    unsigned n = l & 0x7f;
    if (n > 4) return Status::TooLong;
    len = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (p >= end) return Status::Truncated;
      len = (len << 8) | be8(b, p++);
    }
  }
  out.value_offset = p;
  out.value_length = len;
  if (len > end - p) return Status::Truncated;
  return Status::Ok;
}

const char* status_text(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Truncated: return "BER value runs past the end of its object";
    case Status::Indefinite: return "BER indefinite length (not allowed here)";
    case Status::TooLong: return "BER tag or length field too long";
  }
  return "?";
}

std::optional<std::string> oid_text(Bytes value, uint64_t* last_arc) {
  if (value.empty()) return std::nullopt;
  std::string out;
  uint64_t arc = 0;
  bool first = true, pending = false;
  for (size_t i = 0; i < value.size(); ++i) {
    uint8_t o = be8(value, i);
    if (arc > (UINT64_MAX >> 7)) return std::nullopt;
    arc = (arc << 7) | (o & 0x7f);
    pending = true;
    if (o & 0x80) continue;
    if (first) {  // X.690 8.19.4: the first octets hold X*40+Y
      uint64_t x = arc < 40 ? 0 : arc < 80 ? 1 : 2;
      out += std::to_string(x);
      out += '.';
      out += std::to_string(arc - 40 * x);
      first = false;
    } else {
      out += '.';
      out += std::to_string(arc);
    }
    if (last_arc) *last_arc = arc;
    arc = 0;
    pending = false;
  }
  if (pending) return std::nullopt;
  return out;
}

std::optional<int64_t> integer(Bytes value) {
  if (value.empty() || value.size() > 8) return std::nullopt;
  uint64_t v = (be8(value, 0) & 0x80) ? ~uint64_t{0} : 0;
  for (size_t i = 0; i < value.size(); ++i) v = (v << 8) | be8(value, i);
  return static_cast<int64_t>(v);
}

std::optional<uint64_t> unsigned_value(Bytes value) {
  if (value.empty()) return std::nullopt;
  size_t start = 0;
  if (value.size() == 9 && be8(value, 0) == 0) start = 1;
  if (value.size() - start > 8) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = start; i < value.size(); ++i) v = (v << 8) | be8(value, i);
  return v;
}

}  // namespace quartet::cops::ber
