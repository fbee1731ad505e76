#include "decoder.hpp"

#include <string>

#include "block_decoder.hpp"
#include "text.hpp"

namespace quartet::rrp {
namespace {

std::string hex_byte(unsigned char b) {
  constexpr char digits[] = "0123456789abcdef";
  return std::string{"0x"} + digits[b >> 4] + digits[b & 0xf];
}


// RRP is 7-bit ASCII text (RFC 2832 1); report the first byte that is not.
void check_text(std::string_view text, Decoded& d) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_line_byte(text[i])) continue;
    d.problem(ProblemKind::Violation, i, 1,
              "byte " + hex_byte(static_cast<unsigned char>(text[i])) + " at offset " + std::to_string(i) +
                  " is not 7-bit ASCII text (RFC 2832 1; RFC 3632: names travel in ACE form, servers answer 510)");
    return;
  }
}

}  // namespace

Message parse(Bytes pdu, Direction dir, Decoded& d) {
  Message m;
  std::string_view text = as_text(pdu);
  if (text.empty()) {
    d.name = "empty";
    d.summary = "empty block";
    d.problem(ProblemKind::Malformed, 0, 0, "empty PDU");
    return m;
  }
  check_text(text, d);
  BlockReader lines(text);
  std::optional<Line> first = lines.next();
  if (!first) {
    d.name = "empty";
    d.summary = dir == Direction::ToServer ? "empty request" : "empty response";
    d.problem(ProblemKind::Malformed, 0, text.size(), "\".\" terminator without a command or response line");
  } else if (dir == Direction::ToServer) {
    decode_request(text, *first, lines, d, m);
  } else if (is_code_line(trim(first->text))) {
    decode_response(text, *first, lines, d, m);
  } else {
    decode_greeting(text, *first, lines, d, m);
  }
  lines.report(d);
  return m;
}

Decoded decode(Bytes pdu, Direction dir) {
  Decoded d;
  parse(pdu, dir, d);
  return d;
}

}  // namespace quartet::rrp
