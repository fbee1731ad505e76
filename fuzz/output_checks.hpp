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
    if (!nlohmann::json::accept(line)) fail("JSONL line is not JSON", line);
    if (line.substr(0, 9) != "{\"type\":\"")
      fail("JSONL line is not an object starting with its type", line);
    pos = nl + 1;
  }
}

// Text output: every line, quoted as a JSON string (quotes, backslashes and tabs
// escaped), must be accepted by the strict JSON parser, which rejects raw control
// characters and invalid UTF-8 -- an oracle independent of the writer's own code.
inline void check_text(std::string_view out) {
  size_t pos = 0;
  while (pos < out.size()) {
    size_t nl = out.find('\n', pos);
    if (nl == std::string_view::npos) nl = out.size();
    const std::string_view line = out.substr(pos, nl - pos);
    std::string quoted = "\"";
    for (char c : line) {
      if (c == '"' || c == '\\') quoted += '\\';
      if (c == '\t') {
        quoted += "\\t";
        continue;
      }
      quoted += c;
    }
    quoted += '"';
    if (!nlohmann::json::accept(quoted)) fail("control character or invalid UTF-8 in the text output", line);
    pos = nl + 1;
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
