// Command-line parsing for `quartet`, kept apart from main() so it can be tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace quartet::analyzer {

struct CliArgs {
  AppOptions app;
  std::vector<std::string> files;    // "-" = standard input
  std::string bpf;                   // -f
  std::string output;                // -o, empty = standard output
  uint64_t max_flows = 0;            // --max-flows; 0 = the reassembler's default
  unsigned threads = 0;              // --threads: decoding workers; 0 = one per core, 1 = no extra thread
  std::vector<std::string> keylogs;  // --keylog, in order
  bool progress = true;              // --no-progress turns the stderr progress bar off
  bool help = false, version = false;
  bool list_protocols = false;  // --list-protocols (with -F json: as JSON)
  std::string error;            // set when the command line is wrong (exit 2)
};

CliArgs parse_cli(const std::vector<std::string_view>& argv);  // argv without the program name
std::string usage_text();
std::string protocol_names(std::string_view separator = ", ");  // "copsx, rrp, iapx, sp"

// Exit status, documented in --help and docs/analyzer.md.
enum ExitCode : int { kExitOk = 0, kExitWarnings = 1, kExitError = 2 };

}  // namespace quartet::analyzer
