#include "framer.hpp"

#include <algorithm>
#include <string_view>

#include "../common/lines.hpp"
#include "codes.hpp"
#include "text.hpp"

namespace quartet::rrp {

namespace {

// RRP is 7-bit text, but a client that sends a raw UTF-8 domain name is exactly
// what RFC 3632's 510 "Invalid encoding" answers, so well-formed UTF-8 is framed
// (the decoder reports it). Control bytes and bytes >= 0x80 that are not UTF-8
// are what binary data, TLS records and noise are made of: not RRP.
// stream_char() gives the length of the character at `i` (1..4), 0 when it is
// none of these, kCut when the prefix ends inside a UTF-8 sequence.
constexpr size_t kCut = static_cast<size_t>(-1);
size_t stream_char(std::string_view text, size_t i) {
  char c = text[i];
  if (is_line_byte(c)) return 1;
  size_t n = utf8_sequence_length(static_cast<unsigned char>(c));
  if (n == 0) return 0;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= text.size()) return kCut;
    if (!is_utf8_continuation(text[i + k])) return 0;
  }
  return n;
}

}  // namespace

FrameResult frame(Bytes prefix) {
  std::string_view text = as_text(prefix);
  size_t limit = std::min(text.size(), kMaxBlockBytes);
  size_t line_start = 0;
  for (size_t i = 0; i < limit;) {
    if (text[i] == '\n') {
      if (trim(text.substr(line_start, i - line_start)) == ".") return FrameResult::complete(i + 1);
      line_start = ++i;
      continue;
    }
    size_t n = stream_char(text, i);
    if (n == 0) return FrameResult::invalid("not RRP text: binary data, TLS or bytes that are not UTF-8");
    if (n == kCut) return FrameResult::need();
    i += n;
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
  const Command cmd = command_from(line);
  if (cmd == Command::Quit) {
    // A bare QUIT line is SMTP's, FTP's, POP3's and NNTP's too (seen mid-capture, a
    // client's last words); RRP's request is that line and its "." line.
    const std::string_view rest = text.substr(nl + 1);
    const size_t next = rest.find('\n');
    if (next == std::string_view::npos) return text.size() < 1024 ? Probe::NeedMore : Probe::No;
    return trim(rest.substr(0, next)) == "." ? Probe::Yes : Probe::No;
  }
  if (cmd != Command::Unknown) return Probe::Yes;
  if (ifind(line, "RRP Server") != std::string_view::npos) return Probe::Yes;
  if (is_rrp_response_line(line)) return Probe::Yes;
  return Probe::No;
}

}  // namespace quartet::rrp
