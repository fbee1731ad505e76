// A file in gtest's temporary folder for one test, removed when it goes out of
// scope, also when a failed ASSERT ends the test early. The name carries the
// process id: ctest runs each test in a process of its own, several at a time.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace quartet::test {

struct TempFile {
  std::string path;
  explicit TempFile(std::string_view name)
      : path(testing::TempDir() + "quartet_" + std::to_string(getpid()) + "_" + std::string(name)) {}
  ~TempFile() { std::remove(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
};

}  // namespace quartet::test
