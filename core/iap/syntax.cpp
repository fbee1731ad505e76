#include "syntax.hpp"

#include <limits>

#include "../common/lines.hpp"

namespace quartet::iap {
namespace {

// RFC 2616 token characters: header names and the method.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// Control bytes other than HT never occur in IAP text (CR only before LF, which
// the line cursor has already removed). Bytes >= 0x80 are let through as text.
bool is_text_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == '\t' || u >= 0x20;
}
bool all_text(std::string_view s) {
  for (char c : s)
    if (!is_text_byte(c) || c == 0x7f) return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

constexpr std::string_view kVersionPrefix = "IAP/";

// Line ends after a content body: the draft writes CRLF CRLF in both forms.
struct Trailer {
  bool need = false;
  uint64_t need_total = 0;
  size_t bytes = 0;
  unsigned lines = 0;
};
// `whole`: the buffer is known to end where the message ends (the decoder's view).
Trailer trailer_at(std::string_view buf, size_t pos, bool whole) {
  if (pos > buf.size()) return {true, pos + 4, 0, 0};
  size_t p = pos;
  unsigned lines = 0;
  size_t per_line = 2;  // CRLF expected; a first bare LF predicts another one
  while (lines < 2) {
    if (p >= buf.size() || (buf[p] == '\r' && p + 1 >= buf.size())) {
      if (whole) break;
      return {true, p + (2 - lines) * per_line, 0, 0};
    }
    if (buf[p] == '\n') {
      if (lines == 0) per_line = 1;
      ++p;
      ++lines;
    } else if (buf[p] == '\r' && buf[p + 1] == '\n') {
      p += 2;
      ++lines;
    } else {
      break;
    }
  }
  return {false, 0, p - pos, lines};
}

Layout invalid(Layout l, std::string_view why, uint64_t declared = 0) {
  l.status = FrameResult::Status::Invalid;
  l.reason = why;
  l.length = declared;
  return l;
}

}  // namespace

LineKind classify(std::string_view line) {
  if (line.empty()) return LineKind::Blank;
  if (!all_text(line)) return LineKind::Binary;
  if (starts_with_ci(line, kVersionPrefix)) return LineKind::Versioned;
  if (split_header(line)) return LineKind::Header;
  return LineKind::Text;
}

bool could_be_header_line(std::string_view p) {
  if (!p.empty() && p.back() == '\r') p.remove_suffix(1);  // its LF is still to come
  if (p.empty()) return true;
  if (!all_text(p)) return false;
  size_t n = std::min(p.size(), kVersionPrefix.size());
  if (iequals(p.substr(0, n), kVersionPrefix.substr(0, n))) return true;
  size_t i = 0;
  while (i < p.size() && is_token_char(p[i])) ++i;
  return i == p.size() || (i > 0 && p[i] == ':');
}

VersionedLine split_version(std::string_view line) {
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return {line, {}};
  return {line.substr(0, sp), line.substr(sp + 1)};
}

bool well_formed_version(std::string_view v) {
  if (!starts_with_ci(v, kVersionPrefix)) return false;
  v.remove_prefix(kVersionPrefix.size());
  size_t dot = v.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == v.size()) return false;
  for (size_t i = 0; i < v.size(); ++i)
    if (i != dot && (v[i] < '0' || v[i] > '9')) return false;
  return true;
}

std::optional<HeaderLine> split_header(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_token_char(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != ':') return std::nullopt;
  return HeaderLine{s.substr(0, i), trim(s.substr(i + 1))};
}

LengthValue parse_length(std::string_view v) {
  v = trim(v);
  if (v.empty()) return {LengthValue::Status::Empty};
  if (v.front() == '-') return {LengthValue::Status::Negative};
  if (v.front() == '+') v.remove_prefix(1);  // tolerated like strtoul; digits must follow
  if (v.empty()) return {LengthValue::Status::NotDecimal};
  uint64_t n = 0;
  bool overflow = false;
  for (char c : v) {
    if (c < '0' || c > '9') return {LengthValue::Status::NotDecimal};
    auto digit = static_cast<uint64_t>(c - '0');
    if (n > (std::numeric_limits<uint64_t>::max() - digit) / 10) overflow = true;
    if (!overflow) n = n * 10 + digit;
  }
  if (overflow) return {LengthValue::Status::Overflow, std::numeric_limits<uint64_t>::max()};
  return {LengthValue::Status::Ok, n};
}

Layout scan(std::string_view buf, bool whole) {
  Layout l;
  LineCursor cur(buf);
  bool started = false;          // a non-blank line has been read
  std::optional<size_t> blank;   // offset of the blank line ending the headers

  for (;;) {
    size_t line_start = cur.pos();
    auto line = cur.next();
    if (!line) {
      std::string_view rest = cur.rest();
      if (started && l.content_length && !could_be_header_line(rest)) {
        l.body_start = line_start;  // transcript form: the body follows the last header
        break;
      }
      if (!could_be_header_line(rest))
        return invalid(l, started ? "non-text bytes in the IAP header block"
                                  : "does not start like an IAP message");
      if (line_start + rest.size() > kMaxHeaderBytes)
        return invalid(l, "no end of the IAP header block within 16 KiB");
      l.length = 0;
      return l;  // NeedMore: the header block has not ended yet
    }
    LineKind kind = classify(line->text);
    if (!started) {
      if (kind == LineKind::Blank) {
        l.start = l.header_end = cur.pos();
        if (cur.pos() > kMaxHeaderBytes) return invalid(l, "only blank lines for 16 KiB");
        continue;
      }
      if (kind != LineKind::Versioned && kind != LineKind::Header)
        return invalid(l, kind == LineKind::Binary ? "does not start like an IAP message"
                                                   : "first line is neither IAP/x.y nor a header");
      started = true;
    }
    if (kind == LineKind::Blank) {
      blank = line->offset;
      l.blank_separator = true;
      l.body_start = cur.pos();
      break;
    }
    if ((kind == LineKind::Text || kind == LineKind::Binary) && l.content_length) {
      l.body_start = line_start;  // transcript form
      break;
    }
    if (kind == LineKind::Binary) return invalid(l, "non-text bytes in the IAP header block");
    if (cur.pos() > kMaxHeaderBytes) return invalid(l, "no end of the IAP header block within 16 KiB");
    l.header_end = cur.pos();
    if (kind == LineKind::Text) continue;  // kept in the block; the decoder reports it

    std::string_view item = kind == LineKind::Versioned ? split_version(line->text).item : line->text;
    auto h = split_header(item);
    if (!h || !iequals(h->name, "Content-Length")) continue;
    LengthValue v = parse_length(h->value);
    switch (v.status) {
      case LengthValue::Status::Ok: break;
      case LengthValue::Status::Negative: return invalid(l, "negative Content-Length");
      case LengthValue::Status::Overflow:
        return invalid(l, "Content-Length overflows 64 bits", v.value);
      default: return invalid(l, "Content-Length is not a decimal number");
    }
    if (v.value > kMaxPduBytes) return invalid(l, "implausible Content-Length", v.value);
    if (l.content_length && *l.content_length != v.value)
      return invalid(l, "conflicting Content-Length headers");
    l.content_length = v.value;
  }

  if (!l.content_length) {
    l.status = FrameResult::Status::Complete;
    l.length = l.body_start;
    return l;
  }
  Trailer t = trailer_at(buf, l.body_start + *l.content_length, whole);
  if (t.need) {
    l.length = t.need_total;
    return l;
  }
  if (t.lines < 2 && blank) {
    // Content-Length governs: a transcript-form body that starts with CRLF is told
    // apart by the CRLF CRLF the draft puts after every body.
    Trailer alt = trailer_at(buf, *blank + *l.content_length, whole);
    if (!alt.need && alt.lines == 2) {
      l.blank_separator = false;
      l.body_start = *blank;
      t = alt;
    }
  }
  l.trailer = t.bytes;
  l.trailer_lines = t.lines;
  l.status = FrameResult::Status::Complete;
  l.length = l.body_start + *l.content_length + t.bytes;
  return l;
}

}  // namespace quartet::iap
