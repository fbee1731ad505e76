// What the fuzz targets demand of the analyzer's output, whatever the input:
// every JSONL line is one JSON object (strict parser: escaped controls, valid
// UTF-8), the text output carries no control characters but newlines and tabs
// (capture bytes must not reach a terminal raw) and is valid UTF-8, and the HTML
// report's data blocks cannot end their <script> element and parse as JSON the
// way the page reads them.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

// The checks live in the shared library quartet_fuzz_oracle (output_checks.cpp),
// built without instrumentation; only these are exported from it.
#define QUARTET_FUZZ_ORACLE_API __attribute__((visibility("default")))

namespace quartet::fuzz {

// Each check aborts with the offending text on stderr.
QUARTET_FUZZ_ORACLE_API void check_jsonl(std::string_view out);
QUARTET_FUZZ_ORACLE_API void check_text(std::string_view out);
QUARTET_FUZZ_ORACLE_API void check_html(std::string_view page);

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
