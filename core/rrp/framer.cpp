#include "framer.hpp"

#include <algorithm>
#include <string_view>

#include "../common/lines.hpp"
#include "codes.hpp"
#include "text.hpp"

namespace quartet::rrp {

FrameResult frame(Bytes prefix) {
  std::string_view text = as_text(prefix);
  size_t limit = std::min(text.size(), kMaxBlockBytes);
  size_t line_start = 0;
  for (size_t i = 0; i < limit; ++i) {
    char c = text[i];
    if (c == '\n') {
      if (trim(text.substr(line_start, i - line_start)) == ".") return FrameResult::complete(i + 1);
      line_start = i + 1;
    } else if (!is_stream_byte(c)) {
      return FrameResult::invalid("not RRP text: control byte (binary data or TLS)");
    }
  }
  if (text.size() >= kMaxBlockBytes) return FrameResult::invalid("no \".\" terminator line within 64 KiB");
  return FrameResult::need();
}

namespace {

// The response line "NNN text" with RRP's own code and wording; 3-digit lines
// alone would also match SMTP, FTP or NNTP greetings.
bool is_rrp_response_line(std::string_view line) {
  if (!is_code_line(line)) return false;
  uint64_t code = 0;
  parse_decimal(line.substr(0, 3), code);
  const char* meaning = response_meaning(code);
  return meaning && istarts_with(trim(line.substr(3)), meaning);
}

}  // namespace

Probe probe(Bytes first_bytes) {
  std::string_view text = as_text(first_bytes);
  if (text.empty()) return Probe::NeedMore;
  size_t limit = std::min(text.size(), size_t{1024});
  size_t nl = text.substr(0, limit).find('\n');
  std::string_view scanned = text.substr(0, nl == std::string_view::npos ? limit : nl);
  for (char c : scanned)
    if (!is_line_byte(c)) return Probe::No;
  if (nl == std::string_view::npos) return limit < 1024 ? Probe::NeedMore : Probe::No;
  std::string_view line = trim(scanned);
  if (command_from(line) != Command::Unknown) return Probe::Yes;
  if (ifind(line, "RRP Server") != std::string_view::npos) return Probe::Yes;
  if (is_rrp_response_line(line)) return Probe::Yes;
  return Probe::No;
}

}  // namespace quartet::rrp
