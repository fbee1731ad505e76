// The fuzz targets' oracle (output_checks.hpp). Built as its own shared library
// without sanitizer or coverage instrumentation (fuzz/CMakeLists.txt): it checks
// every output line of every input, and the fuzzer should explore quartet, not the
// checks. The JSON validator is simdjson's DOM parser (strict RFC 8259: UTF-8,
// no raw control character in strings, numbers that fit a double), one parser
// reused for every line. nlohmann::json::accept, used before, built a lexer per
// line whose buffers grew a character at a time: 10-16% of fuzz_output's,
// fuzz_tls's and fuzz_capture's time went to it and its allocations.
#include "output_checks.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <simdjson.h>

namespace quartet::fuzz {

namespace {

[[noreturn]] void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(line.size() > 2000 ? 2000 : line.size()), line.data());
  std::abort();
}

// One JSON value and nothing else (RFC 8259, strict).
bool is_json(std::string_view text) {
  static simdjson::dom::parser parser;  // its buffers are kept from call to call
  simdjson::dom::element root;
  return parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root) == simdjson::SUCCESS;
}

}  // namespace

void check_jsonl(std::string_view out) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string_view::npos) fail("JSONL output does not end with a newline", out.substr(pos));
    const std::string_view line = out.substr(pos, nl - pos);
    if (!is_json(line)) fail("JSONL line is not JSON", line);
    if (line.substr(0, 9) != "{\"type\":\"") fail("JSONL line is not an object starting with its type", line);
    pos = nl + 1;
  }
}

// Text output: no raw control character but the tab, only valid UTF-8 (what a
// JSON string may hold unescaped, so the same strict rules as for the JSONL).
void check_text(std::string_view out) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string_view::npos) nl = out.size();
    const std::string_view line = out.substr(pos, nl - pos);
    bool control = false;
    for (char c : line) control = control || (static_cast<unsigned char>(c) < 0x20 && c != '\t');
    if (control || !simdjson::validate_utf8(line.data(), line.size()))
      fail("control character or invalid UTF-8 in the text output", line);
    pos = nl + 1;
  }
}

// How often `what` (lower case, starting with '<') occurs in `text`, ignoring
// case. ASCII folding by hand: strncasecmp at every offset of a
// 100 KB page went through the sanitizer's interceptor and libFuzzer's compare
// hook (which records every call's operands), 20-30% of fuzz_output's time.
namespace {

size_t count_nocase(std::string_view text, std::string_view what) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  size_t n = 0;
  for (size_t i = text.find('<'); i != std::string_view::npos && i + what.size() <= text.size();
       i = text.find('<', i + 1)) {
    size_t k = 0;
    while (k < what.size() && lower(text[i + k]) == what[k]) ++k;
    n += k == what.size();
  }
  return n;
}

// The text of the data block <script ... id="ID">TEXT</script>; fails when absent.
std::string_view html_block(std::string_view page, std::string_view id) {
  const std::string open = "id=\"" + std::string(id) + "\">";
  const size_t start = page.find(open);
  if (start == std::string_view::npos) fail("HTML report without its data block", id);
  const size_t from = start + open.size();
  const size_t end = page.find("</script>", from);
  if (end == std::string_view::npos) fail("HTML data block not closed", id);
  return page.substr(from, end - from);
}

// Base64 of gzip -> the text, as the page's DecompressionStream gives it.
std::string gunzip_base64(std::string_view b64) {
  std::string packed(b64.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(packed.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (b64.size() % 4 != 0 || n < 0) fail("HTML messages block: a line is not base64", b64);
  packed.resize(static_cast<size_t>(n));
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) std::abort();
  std::string out;
  char buf[16384];
  z.next_in = reinterpret_cast<Bytef*>(packed.data());
  z.avail_in = static_cast<uInt>(packed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) fail("HTML messages block: a line is not gzip", b64);
  return out;
}

}  // namespace

// The report (output_html.cpp): capture values live only in the data blocks. A
// browser ends a <script> element at the first "</script" whatever its type, and
// "<!--" changes how it looks for that end, so no '<' may appear in a JSON block;
// the page then reads each block's text with JSON.parse (strict JSON here), and
// each line of the messages block after base64 and gunzip.
void check_html(std::string_view page) {
  if (count_nocase(page, "<script") != 4 || count_nocase(page, "</script") != 4)
    fail("HTML report: a capture value opened or closed a <script> element", page);
  for (std::string_view id : {"q-sessions", "q-summary"}) {
    const std::string_view block = html_block(page, id);
    if (block.find('<') != std::string_view::npos) fail("HTML data block with a raw '<'", block);
    if (!is_json(block)) fail("HTML data block is not JSON", block);
  }
  // Where each block of messages starts (the summary's last member, "blocks"): the page
  // finds a session's messages by it.
  const std::string_view summary = html_block(page, "q-summary");
  const size_t list = summary.rfind("\"blocks\":[");
  if (list == std::string_view::npos) fail("HTML summary without its blocks", summary);
  std::vector<uint64_t> starts;
  for (std::string_view rest = summary.substr(list + 10); !rest.empty() && rest[0] != ']';) {
    uint64_t v = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
    if (ec != std::errc()) fail("HTML summary: a block start is not a number", rest);
    starts.push_back(v);
    rest.remove_prefix(static_cast<size_t>(end - rest.data()));
    if (!rest.empty() && rest[0] == ',') rest.remove_prefix(1);
  }
  uint64_t session_lines = 0;
  size_t block = 0;
  std::string_view messages = html_block(page, "q-messages");
  while (!messages.empty()) {
    const size_t nl = messages.find('\n');
    const std::string_view line = messages.substr(0, nl);
    messages.remove_prefix(nl == std::string_view::npos ? messages.size() : nl + 1);
    if (line.empty()) continue;
    if (block >= starts.size() || starts[block++] != session_lines)
      fail("HTML summary: the blocks do not start where the messages block's lines do", summary);
    const std::string sessions = gunzip_base64(line);
    std::string_view rest = sessions;
    while (!rest.empty()) {
      const size_t end = rest.find('\n');
      if (end == std::string_view::npos) fail("HTML messages block: a session line without its newline", rest);
      if (!is_json(rest.substr(0, end))) fail("HTML messages block: a session is not JSON", rest);
      rest.remove_prefix(end + 1);
      ++session_lines;
    }
  }
  if (block != starts.size()) fail("HTML summary: more blocks than the messages block has lines", summary);
}

}  // namespace quartet::fuzz
