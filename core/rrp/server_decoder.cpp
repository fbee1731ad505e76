// What the server sends: responses (RFC 2832 4.2: "NNN text", attribute lines
// whose names may hold spaces) and the greeting banner sent on connect.
#include <charconv>
#include <string>

#include "block_decoder.hpp"
#include "fields.hpp"
#include "grammar.hpp"
#include "text.hpp"
#include "problems.hpp"

namespace quartet::rrp {

using enum Field;

namespace {

class ResponseDecoder : public BlockDecoder {
 public:
  using BlockDecoder::BlockDecoder;

  void run(const Line& first, BlockReader& lines) {
    m_.kind = Kind::Response;
    d_.is_response = true;
    std::string_view line = trim(first.text);
    d_.open(kResponse, 0, text_.size(), line);
    uint64_t code = 0;
    parse_decimal(line.substr(0, 3), code);
    m_.code = static_cast<uint16_t>(code);
    d_.add(kCode, at(line), 3, code);
    std::string_view description = trim(line.substr(3));
    m_.text = description;
    add_text(kText, description);
    // 520 carries the server's reason after a ';' (RFC 2832 5.1: "...; <why>").
    size_t semicolon = description.find(';');
    if (code == 520 && semicolon != std::string_view::npos) add_text(kReason, trim(description.substr(semicolon + 1)));
    const char* meaning = response_meaning(code);
    if (!meaning)
      d_.problem(ProblemId::kResponseCodeUnknown, at(line), 3,
                 "response code " + std::to_string(code) + " is not defined by RFC 2832 or RFC 3632");
    if (description.empty())
      d_.problem(ProblemId::kResponseNoDescription, first.offset, first.length,
                 "response line without a description (RFC 2832 4.2)");
    while (std::optional<Line> l = lines.next()) attribute_line(*l);
    d_.close();
    char digits[8];
    d_.name = d_.keep(std::string_view(
        digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, code).ptr - digits)));
    d_.summary.assign(d_.name).append(" ").append(description.empty() && meaning ? std::string_view(meaning)
                                                                                 : description);
  }

 private:
  void attribute_line(const Line& l) {
    std::string_view t = trim(l.text);
    if (t.empty()) {
      d_.problem(ProblemId::kResponseEmptyLine, l.offset, l.length, "empty line inside a response");
      return;
    }
    NameValue nv = split_line(t);
    d_.open(kAttribute, l.offset, l.length, t);
    if (!nv.has_colon) {
      add_text(kAttrValue, t);
      d_.close();
      d_.problem(ProblemId::kResponseAttributeNoColon, l.offset, l.length, "response attribute line without ':'");
      return;
    }
    const NamedItem* item = response_attribute(nv.name);
    add_text(kAttrName, nv.name);
    add_text(item ? item->field : Field{kAttrValue}, nv.value);
    d_.close();
  }
};

// "<registry> RRP Server version x.y.z", more lines, "." — sent on connect.
class GreetingDecoder : public BlockDecoder {
 public:
  using BlockDecoder::BlockDecoder;

  void run(const Line& first, BlockReader& lines) {
    m_.kind = Kind::Greeting;
    m_.greeting = trim(first.text);
    d_.open(kGreeting, 0, text_.size(), m_.greeting);
    bool identified = banner_line(first);
    while (std::optional<Line> l = lines.next()) identified = banner_line(*l) || identified;
    d_.close();
    if (!identified)
      d_.problem(ProblemId::kGreetingUnrecognised, first.offset, first.length,
                 "server block is neither a response (\"NNN text\") nor an \"RRP Server version\" greeting");
    d_.name = "greeting";
    d_.summary.assign("greeting ").append(m_.greeting);
  }

 private:
  bool banner_line(const Line& l) {
    std::string_view t = trim(l.text);
    add_text(kGreetingLine, t);
    if (identified_) return true;
    size_t pos = ifind(t, "RRP Server");
    if (pos == std::string_view::npos) return false;
    identified_ = true;
    std::string_view server = trim(t.substr(0, pos));
    if (!server.empty()) add_text(kGreetingServer, server);
    std::string_view rest = t.substr(pos + 10);
    size_t v = ifind(rest, "version");
    if (v != std::string_view::npos) {
      std::string_view version = trim(rest.substr(v + 7));
      version = version.substr(0, version.find_first_of(" \t"));
      if (!version.empty()) add_text(kGreetingVersion, version);
    }
    return true;
  }

  bool identified_ = false;
};

}  // namespace

void decode_response(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m) {
  ResponseDecoder(block, d, m).run(first, lines);
}

void decode_greeting(std::string_view block, const Line& first, BlockReader& lines, Decoded& d, Message& m) {
  GreetingDecoder(block, d, m).run(first, lines);
}

}  // namespace quartet::rrp
