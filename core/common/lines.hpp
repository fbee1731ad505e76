// Zero-copy line scanning for the text protocols (RRP, IAP), in the manner of
// picohttpparser: lines are string_views into the PDU, found with memchr.
#pragma once

#include <cstddef>
#include <cstring>
#include <optional>
#include <string_view>

#include "text.hpp"  // iequals, trim: most line parsers need them

namespace quartet {

struct Line {
  std::string_view text;  // without the terminator
  size_t offset = 0;      // of text within the buffer
  size_t length = 0;      // text + terminator
  bool bare_lf = false;   // terminated by LF alone (tolerated, reported as a deviation)
};

// Reads successive lines from a buffer. A last line without terminator is not
// returned by next(); rest() gives it.
class LineCursor {
 public:
  explicit LineCursor(std::string_view buf, size_t pos = 0) : buf_(buf), pos_(pos) {}

  std::optional<Line> next() {
    if (pos_ >= buf_.size()) return std::nullopt;
    const void* nl = std::memchr(buf_.data() + pos_, '\n', buf_.size() - pos_);
    if (!nl) return std::nullopt;
    size_t end = static_cast<const char*>(nl) - buf_.data();
    Line l;
    l.offset = pos_;
    l.bare_lf = !(end > pos_ && buf_[end - 1] == '\r');
    l.text = buf_.substr(pos_, end - pos_ - (l.bare_lf ? 0 : 1));
    l.length = end + 1 - pos_;
    pos_ = end + 1;
    return l;
  }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return buf_.substr(pos_ < buf_.size() ? pos_ : buf_.size()); }

 private:
  std::string_view buf_;
  size_t pos_;
};

}  // namespace quartet
