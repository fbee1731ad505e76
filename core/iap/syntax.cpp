#include "syntax.hpp"

#include <limits>

#include "../common/lines.hpp"

namespace quartet::iap {
namespace {

// RFC 2616 token characters: header names and the method.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
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

// A chunk-size line is a hex number and perhaps a short extension.
constexpr size_t kMaxChunkLine = 1024;

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

Layout finish(Layout l, const Trailer& t) {
  l.trailer = t.bytes;
  l.trailer_lines = t.lines;
  l.status = FrameResult::Status::Complete;
  l.length = l.body_end + t.bytes;
  return l;
}

Layout scan_chunks(std::string_view buf, bool whole, Layout l) {
  size_t pos = l.body_start;
  for (;;) {
    Chunk c = next_chunk(buf, pos);
    if (c.status == FrameResult::Status::Invalid) return invalid(l, c.reason, c.size);
    if (c.status == FrameResult::Status::NeedMore) {
      l.length = c.need_total;
      return l;
    }
    pos = c.end;
    if (c.last) break;
    if (pos > kMaxPduBytes) return invalid(l, "chunked body larger than 16 MiB");
  }
  // A Chunked-Body ends itself, and HTTP-minded senders stop there and wait for
  // the response: take the line ends already present, never wait for more (late
  // ones become tolerated blank lines before the next message).
  (void)whole;
  Trailer t = trailer_at(buf, pos, true);
  l.body_end = pos;
  return finish(l, t);
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

bool is_chunked(std::string_view te) {
  size_t comma = te.rfind(',');
  return iequals(trim(comma == std::string_view::npos ? te : te.substr(comma + 1)), "chunked");
}

Chunk next_chunk(std::string_view buf, size_t pos) {
  Chunk c;
  c.start = pos;
  LineCursor cur(buf, pos);
  auto line = cur.next();
  if (!line) {
    std::string_view rest = cur.rest();
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);  // its LF is to come
    if (rest.size() > kMaxChunkLine || !all_text(rest)) {
      c.status = FrameResult::Status::Invalid;
      c.reason = "bad chunk-size line";
    }
    return c;
  }
  if (line->text.size() > kMaxChunkLine) {
    c.status = FrameResult::Status::Invalid;
    c.reason = "bad chunk-size line";
    return c;
  }
  // chunk-size = 1*HEX, then optional ";extension"
  std::string_view t = line->text;
  size_t i = 0;
  uint64_t size = 0;
  bool overflow = false;
  for (; i < t.size(); ++i) {
    char ch = t[i];
    unsigned digit;
    if (ch >= '0' && ch <= '9') digit = static_cast<unsigned>(ch - '0');
    else if (ch >= 'a' && ch <= 'f') digit = static_cast<unsigned>(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F') digit = static_cast<unsigned>(ch - 'A' + 10);
    else break;
    if (size >> 60) overflow = true;
    size = overflow ? std::numeric_limits<uint64_t>::max() : (size << 4) | digit;
  }
  std::string_view after = trim(t.substr(i));
  if (i == 0 || (!after.empty() && after.front() != ';') || !all_text(t)) {
    c.status = FrameResult::Status::Invalid;
    c.reason = "bad chunk-size line";
    return c;
  }
  if (overflow || size > kMaxPduBytes) {
    c.status = FrameResult::Status::Invalid;
    c.reason = "implausible chunk size";
    c.size = size;
    return c;
  }
  c.size = size;
  c.data = cur.pos();
  if (size == 0) {
    // last-chunk: trailer header lines up to a blank line.
    c.last = true;
    while (auto tl = cur.next()) {
      if (tl->text.empty()) {
        c.end = cur.pos();
        c.status = FrameResult::Status::Complete;
        return c;
      }
      if (!split_header(tl->text)) {
        c.status = FrameResult::Status::Invalid;
        c.reason = "bad trailer line after the last chunk";
        return c;
      }
      if (cur.pos() - pos > kMaxHeaderBytes) break;
    }
    if (cur.pos() - pos + cur.rest().size() > kMaxHeaderBytes) {
      c.status = FrameResult::Status::Invalid;
      c.reason = "no end of the chunked trailer within 16 KiB";
    }
    return c;
  }
  size_t data_end = c.data + static_cast<size_t>(size);
  if (data_end >= buf.size() || (buf[data_end] == '\r' && data_end + 1 >= buf.size())) {
    c.need_total = data_end + 1;  // at least one line-end byte follows the data
    return c;
  }
  if (buf[data_end] == '\n') {
    c.end = data_end + 1;
  } else if (buf[data_end] == '\r' && buf[data_end + 1] == '\n') {
    c.end = data_end + 2;
  } else {
    c.status = FrameResult::Status::Invalid;
    c.reason = "chunk data not followed by CRLF: the chunk size lies";
    return c;
  }
  c.status = FrameResult::Status::Complete;
  return c;
}

Layout scan(std::string_view buf, bool whole) {
  Layout l;
  LineCursor cur(buf);
  bool started = false;         // a non-blank line has been read
  std::optional<size_t> blank;  // offset of the blank line ending the headers

  for (;;) {
    size_t line_start = cur.pos();
    auto line = cur.next();
    if (!line) {
      std::string_view rest = cur.rest();
      if (started && (l.content_length || l.chunked) && !could_be_header_line(rest)) {
        l.body_start = line_start;  // transcript form: the body follows the last header
        break;
      }
      if (!could_be_header_line(rest))
        return invalid(l, started ? "non-text bytes in the IAP header block" : "does not start like an IAP message");
      if (line_start + rest.size() > kMaxHeaderBytes) return invalid(l, "no end of the IAP header block within 16 KiB");
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
    if ((kind == LineKind::Text || kind == LineKind::Binary) && (l.content_length || l.chunked)) {
      l.body_start = line_start;  // transcript form
      break;
    }
    if (kind == LineKind::Binary) return invalid(l, "non-text bytes in the IAP header block");
    if (cur.pos() > kMaxHeaderBytes) return invalid(l, "no end of the IAP header block within 16 KiB");
    l.header_end = cur.pos();
    if (kind == LineKind::Text) continue;  // kept in the block; the decoder reports it

    std::string_view item = kind == LineKind::Versioned ? split_version(line->text).item : line->text;
    auto h = split_header(item);
    if (!h) continue;
    if (iequals(h->name, "Transfer-Encoding")) {
      l.chunked = l.chunked || is_chunked(h->value);
      continue;
    }
    if (!iequals(h->name, "Content-Length")) continue;
    LengthValue v = parse_length(h->value);
    switch (v.status) {
      case LengthValue::Status::Ok: break;
      case LengthValue::Status::Negative: return invalid(l, "negative Content-Length");
      case LengthValue::Status::Overflow: return invalid(l, "Content-Length overflows 64 bits", v.value);
      default: return invalid(l, "Content-Length is not a decimal number");
    }
    if (v.value > kMaxPduBytes) return invalid(l, "implausible Content-Length", v.value);
    if (l.content_length && *l.content_length != v.value) return invalid(l, "conflicting Content-Length headers");
    l.content_length = v.value;
  }

  if (l.content_length) l.chunked = false;  // Content-Length governs
  if (l.chunked) return scan_chunks(buf, whole, l);
  if (!l.content_length) {
    l.status = FrameResult::Status::Complete;
    l.length = l.body_end = l.body_start;
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
  l.body_end = l.body_start + static_cast<size_t>(*l.content_length);
  return finish(l, t);
}

}  // namespace quartet::iap
