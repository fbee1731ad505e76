// What the fuzz targets demand of the analyzer's output, whatever the input:
// every JSONL line is one JSON object (strict parser: escaped controls, valid
// UTF-8), and the text output carries no control characters but newlines and
// tabs (capture bytes must not reach a terminal raw) and is valid UTF-8.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace quartet::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(line.size() > 2000 ? 2000 : line.size()),
               line.data());
  std::abort();
}

inline void check_jsonl(std::string_view out) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string_view::npos) fail("JSONL output does not end with a newline", out.substr(pos));
    const std::string_view line = out.substr(pos, nl - pos);
    const auto v = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (v.is_discarded()) fail("JSONL line is not JSON", line);
    if (!v.is_object() || !v.contains("type")) fail("JSONL line is not an object with a type", line);
    pos = nl + 1;
  }
}

// Length of the UTF-8 sequence starting at s[i], 0 if it is not valid (RFC 3629).
inline size_t utf8_length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  const unsigned char c1 = b(i + 1);
  if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0) || (c == 0xf0 && c1 < 0x90) ||
      (c == 0xf4 && c1 >= 0x90))
    return 0;  // overlong, surrogate or beyond U+10FFFF
  return n;
}

inline void check_text(std::string_view out) {
  for (size_t i = 0; i < out.size();) {
    const auto c = static_cast<unsigned char>(out[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      const size_t start = out.rfind('\n', i);
      fail("control character in the text output", out.substr(start == std::string_view::npos ? 0 : start + 1));
    }
    const size_t n = utf8_length(out, i);
    if (n == 0) fail("invalid UTF-8 in the text output", out.substr(i, 40));
    i += n;
  }
}

// An in-memory FILE* for the writers.
struct MemOut {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  MemOut() = default;
  MemOut(const MemOut&) = delete;
  MemOut& operator=(const MemOut&) = delete;
  ~MemOut() {
    if (f) std::fclose(f);
    std::free(buf);
  }
  std::string_view text() {
    std::fflush(f);
    return {buf, len};
  }
};

}  // namespace quartet::fuzz
