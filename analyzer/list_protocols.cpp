// quartet-list-protocols FILE: writes `quartet --list-protocols -F json` to FILE.
// It links the core only, so the protocol list the scripts read (build/protocols.json:
// goldens, e2e runner, fuzz seeds, bench) exists in builds without the analyzer too,
// such as the plugin-only runs on other Wireshark versions.
#include <cstdio>

#include "app/protocol_list.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: quartet-list-protocols FILE\n", stderr);
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "w");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  const std::string json = quartet::analyzer::protocol_list_json();
  const bool ok = std::fwrite(json.data(), 1, json.size(), f) == json.size();
  return std::fclose(f) == 0 && ok ? 0 : 1;
}
