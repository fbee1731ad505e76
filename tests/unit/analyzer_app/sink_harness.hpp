// Drives the Analyzer (the StreamSink) with fake flows and captures what the
// writers produce, as the network half would.
#pragma once

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer_sink.hpp"
#include "fake_protocols.hpp"

namespace harness {

using namespace quartet;
using namespace quartet::analyzer;

inline Endpoint v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  Endpoint e;
  e.addr[0] = a, e.addr[1] = b, e.addr[2] = c, e.addr[3] = d;
  e.port = port;
  return e;
}

inline FlowInfo flow(uint64_t id, uint16_t server_port, TimeNs ts, uint16_t client_port = 40000) {
  FlowInfo f;
  f.id = id;
  f.client = v4(192, 0, 2, 1, client_port);
  f.server = v4(192, 0, 2, 2, server_port);
  f.roles = RoleSource::Handshake;
  f.handshake_seen = true;
  f.first_ts = ts;
  return f;
}

// Keeps the sessions the Analyzer writes (and the summary) for inspection, and
// the text a real writer produces.
class Capture : public Writer {
 public:
  explicit Capture(std::unique_ptr<Writer> real = nullptr) : real_(std::move(real)) {}
  void session(const SessionOut& s, absl::FunctionRef<void(const Entry&)> also) override {
    // Kept with its whole timeline in memory (the spilled part read back from the file).
    SessionOut& kept = sessions.emplace_back(s);
    kept.entries.clear();
    kept.spilled = {};
    kept.spill = nullptr;
    for_each_entry(s, [&kept, also](const Entry& e) {
      also(e);
      kept.entries.push_back(e);
    });
    if (real_) real_->session(s);
  }
  void finish(const RunSummary& r) override {
    summary = r;
    finished = true;
    if (real_) real_->finish(r);
  }
  std::vector<SessionOut> sessions;
  RunSummary summary;
  bool finished = false;

 private:
  std::unique_ptr<Writer> real_;
};

// A writer into memory (open_memstream).
struct MemFile {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ~MemFile() {
    if (f) std::fclose(f);
    std::free(buf);
  }
  std::string text() {
    std::fflush(f);
    return std::string(buf, len);
  }
};

inline std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

inline const MessageOut* message(const SessionOut& s, size_t n) {
  size_t i = 0;
  for (const Entry& e : s.entries)
    if (const auto* m = std::get_if<MessageOut>(&e))
      if (i++ == n) return m;
  return nullptr;
}
inline std::vector<EventOut> events(const SessionOut& s, EntryKind k) {
  std::vector<EventOut> out;
  for (const Entry& e : s.entries)
    if (const auto* ev = std::get_if<EventOut>(&e))
      if (ev->kind == k) out.push_back(*ev);
  return out;
}

// The deleted files this process holds open (temporary files: spill files, a
// --threads worker's relay overflow), by descriptor: their size and the space they take.
struct DeletedFile {
  off_t size;
  uint64_t bytes_on_disk;
};
inline std::map<int, DeletedFile> deleted_files() {
  std::map<int, DeletedFile> files;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = std::filesystem::read_symlink(e.path(), ec).string();
    if (ec || !target.ends_with(" (deleted)")) continue;
    const int fd = std::stoi(e.path().filename().string());
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) files[fd] = {st.st_size, static_cast<uint64_t>(st.st_blocks) * 512};
  }
  return files;
}

}  // namespace harness
