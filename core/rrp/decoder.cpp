#include "decoder.hpp"
#include "problems.hpp"

#include <string>

#include "../common/text.hpp"
#include "block_decoder.hpp"
#include "text.hpp"

namespace quartet::rrp {
namespace {

// RRP is 7-bit ASCII text (RFC 2832 1); report the first byte that is not.
void check_text(std::string_view text, Decoded& d) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_line_byte(text[i])) continue;
    d.problem(ProblemId::kTextNotAscii, i, 1,
              "byte " + hex_number(static_cast<unsigned char>(text[i]), 2) + " at offset " + std::to_string(i) +
                  " is not 7-bit ASCII text (RFC 2832 1; RFC 3632: names travel in ACE form, servers answer 510)");
    return;
  }
}

}  // namespace

void parse(Bytes pdu, Direction dir, Decoded& d, Message& m) {
  d.clear();
  m = Message{};
  std::string_view text = as_text(pdu);
  if (text.empty()) {
    d.name = "empty";
    d.summary = "empty block";
    d.problem(ProblemId::kBlockEmpty, 0, 0, "empty PDU");
    return;
  }
  check_text(text, d);
  BlockReader lines(text);
  std::optional<Line> first = lines.next();
  if (!first) {
    d.name = "empty";
    d.summary = dir == Direction::ToServer ? "empty request" : "empty response";
    d.problem(ProblemId::kBlockNoFirstLine, 0, text.size(), "\".\" terminator without a command or response line");
  } else if (dir == Direction::ToServer) {
    decode_request(text, *first, lines, d, m);
  } else if (is_code_line(trim(first->text))) {
    decode_response(text, *first, lines, d, m);
  } else {
    decode_greeting(text, *first, lines, d, m);
  }
  lines.report(d);
}

Parsed<Message> parse(Bytes pdu, Direction dir) {
  Parsed<Message> p;
  parse(pdu, dir, p.decoded, p.message);
  return p;
}

void decode(Bytes pdu, Direction dir, Decoded& d) {
  Message m;
  parse(pdu, dir, d, m);
}

Decoded decode(Bytes pdu, Direction dir) {
  Decoded d;
  decode(pdu, dir, d);
  return d;
}

}  // namespace quartet::rrp
