// Walks the lines of one RRP block (request, response or greeting) up to its
// "." terminator line and reports what is wrong with the framing of the block:
// bare-LF line ends, a missing terminator, bytes after it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "../common/decoded.hpp"
#include "../common/lines.hpp"
#include "problems.hpp"

namespace quartet::rrp {

class BlockReader {
 public:
  explicit BlockReader(std::string_view block) : block_(block), cursor_(block) {}

  // The next line before the terminator; nullopt once the "." line (or the end
  // of the bytes) is reached. A last line without LF is handed out once.
  std::optional<Line> next() {
    if (done_) return std::nullopt;
    std::optional<Line> l = cursor_.next();
    if (!l) {
      done_ = true;
      std::string_view rest = cursor_.rest();
      if (rest.empty()) return std::nullopt;
      unterminated_line_ = true;
      Line partial;
      partial.offset = block_.size() - rest.size();
      partial.length = rest.size();
      partial.text = rest.back() == '\r' ? rest.substr(0, rest.size() - 1) : rest;
      if (trim(partial.text) == ".") {
        terminated_ = true;
        end_ = block_.size();
        return std::nullopt;
      }
      return partial;
    }
    if (l->bare_lf && bare_lf_lines_++ == 0) first_bare_lf_ = *l;
    if (trim(l->text) == ".") {
      done_ = true;
      terminated_ = true;
      end_ = cursor_.pos();
      return std::nullopt;
    }
    return l;
  }

  // Call once next() returned nullopt.
  void report(Decoded& d) const {
    if (bare_lf_lines_ > 0)
      d.problem(ProblemId::kBlockBareLf, first_bare_lf_.offset, first_bare_lf_.length,
                std::to_string(bare_lf_lines_) + (bare_lf_lines_ == 1 ? " line ends" : " lines end") +
                    " in a bare LF; RFC 2832 4 requires CRLF");
    if (unterminated_line_)
      d.problem(ProblemId::kBlockUnterminatedLine, block_.size(), 0, "last line has no line ending (truncated block?)");
    if (!terminated_)
      d.problem(ProblemId::kBlockNoTerminator, block_.size(), 0,
                "block ends without its \".\" terminator line (RFC 2832 4.1/4.2)");
    else if (end_ < block_.size())
      d.problem(ProblemId::kBlockAfterTerminator, end_, block_.size() - end_,
                std::to_string(block_.size() - end_) + " bytes after the \".\" terminator line");
  }

 private:
  std::string_view block_;
  LineCursor cursor_;
  bool done_ = false;
  bool terminated_ = false;
  bool unterminated_line_ = false;
  size_t end_ = 0;
  size_t bare_lf_lines_ = 0;
  Line first_bare_lf_;
};

}  // namespace quartet::rrp
