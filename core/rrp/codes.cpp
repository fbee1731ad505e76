#include "codes.hpp"

#include <array>

#include "../common/lines.hpp"

namespace quartet::rrp {
namespace {

struct CommandWord {
  Command command;
  std::string_view word;
};
constexpr std::array<CommandWord, 10> kCommands = {{
    {Command::Add, "add"},
    {Command::Check, "check"},
    {Command::Del, "del"},
    {Command::Describe, "describe"},
    {Command::Mod, "mod"},
    {Command::Quit, "quit"},
    {Command::Renew, "renew"},
    {Command::Session, "session"},
    {Command::Status, "status"},
    {Command::Transfer, "transfer"},
}};

}  // namespace

std::string_view command_name(Command c) {
  for (const auto& w : kCommands)
    if (w.command == c) return w.word;
  return "unknown";
}

Command command_from(std::string_view word) {
  for (const auto& w : kCommands)
    if (iequals(w.word, word)) return w.command;
  return Command::Unknown;
}

const char* response_meaning(uint64_t code) { return name_of(kResponseCodes, code); }

bool closes_connection(uint64_t code) { return code == 220 || code == 420 || code == 520 || code == 521; }

}  // namespace quartet::rrp
