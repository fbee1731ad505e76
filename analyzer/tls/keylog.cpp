#include "keylog.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace quartet::analyzer::tls {
namespace {

constexpr size_t kRandomBytes = 32;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_hex(std::string_view s, Secret& out) {
  if (s.empty() || s.size() % 2 != 0) return false;
  out.resize(s.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

std::string_view next_word(std::string_view& line) {
  const size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    line = {};
    return {};
  }
  line.remove_prefix(start);
  const size_t end = std::min(line.find_first_of(" \t"), line.size());
  std::string_view w = line.substr(0, end);
  line.remove_prefix(end);
  return w;
}

// Where a label's secret goes; nullptr for labels we read but do not need.
Secret* slot(SessionSecrets& s, std::string_view label) {
  if (label == "CLIENT_RANDOM") return &s.master;
  if (label == "CLIENT_HANDSHAKE_TRAFFIC_SECRET") return &s.client_handshake;
  if (label == "SERVER_HANDSHAKE_TRAFFIC_SECRET") return &s.server_handshake;
  if (label == "CLIENT_TRAFFIC_SECRET_0") return &s.client_traffic;
  if (label == "SERVER_TRAFFIC_SECRET_0") return &s.server_traffic;
  return nullptr;
}

}  // namespace

KeyLogStats KeyLog::add_text(std::string_view text) {
  KeyLogStats st;
  uint64_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view rest = line;
    const std::string_view label = next_word(rest);
    if (label.empty() || label[0] == '#') continue;
    ++st.lines;
    const std::string_view random_hex = next_word(rest), secret_hex = next_word(rest);
    Secret random, secret;
    const bool shaped = !secret_hex.empty() && next_word(rest).empty() && parse_hex(random_hex, random) &&
                        parse_hex(secret_hex, secret);
    SessionSecrets probe;
    const bool known = slot(probe, label) != nullptr;
    // A known label must carry a 32-byte random and a secret of a length TLS uses.
    const bool sized = random.size() == kRandomBytes &&
                       (label == "CLIENT_RANDOM" ? secret.size() == 48 : secret.size() >= 32 && secret.size() <= 64);
    if (!shaped || (known && !sized)) {
      ++st.malformed;
      if (!st.first_malformed_line) st.first_malformed_line = line_no;
      continue;
    }
    if (!known) {
      ++st.ignored;
      continue;
    }
    SessionSecrets& s = by_random_[std::string(reinterpret_cast<const char*>(random.data()), random.size())];
    *slot(s, label) = std::move(secret);
    ++st.used;
  }
  if (st.used) ++generation_;
  return st;
}

bool KeyLog::add_file(const std::string& path, KeyLogStats& stats, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = path + ": read error";
    return false;
  }
  stats = add_text(text.view());
  return true;
}

const SessionSecrets* KeyLog::find(Bytes client_random) const {
  if (client_random.size() != kRandomBytes) return nullptr;
  auto it = by_random_.find(std::string(reinterpret_cast<const char*>(client_random.data()), client_random.size()));
  return it == by_random_.end() ? nullptr : &it->second;
}

}  // namespace quartet::analyzer::tls
