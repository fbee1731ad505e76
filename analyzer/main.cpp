// quartet: reads captures and prints a timeline per COPS, RRP, IAP and SP session.
// The network half (analyzer/net) reads and reassembles; the application half
// (analyzer/app) detects, decodes and writes. This file only wires them up.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/analyzer_sink.hpp"
#include "app/cli.hpp"
#include "app/protocol_list.hpp"
#include "app/threaded_run.hpp"
#include "net/pipeline.hpp"
#include "tls/keylog.hpp"

#ifndef QUARTET_VERSION
#define QUARTET_VERSION "0.0.0"
#endif

namespace {

using namespace quartet;
using namespace quartet::analyzer;

// Inputs at least this large get a progress bar (when stderr is a terminal).
constexpr uint64_t kProgressMinBytes = 32u << 20;

class ProgressBar {
 public:
  void update(uint64_t done, uint64_t total) {
    if (total < kProgressMinBytes) return;
    // At most 100: a file still being written grows past the size it had when opened.
    const int pct = static_cast<int>(std::min<uint64_t>(done, total) * 100 / total);
    if (pct == last_) return;
    last_ = pct;
    char bar[41];
    const int filled = pct * 40 / 100;
    for (int i = 0; i < 40; ++i) bar[i] = i < filled ? '#' : '.';
    bar[40] = '\0';
    std::fprintf(stderr, "\r[%s] %3d%%  %llu / %llu MB", bar, pct, static_cast<unsigned long long>(done >> 20),
                 static_cast<unsigned long long>(total >> 20));
    shown_ = true;
  }
  void clear() {
    if (shown_) std::fprintf(stderr, "\r%*s\r", 70, "");
    shown_ = false;
  }

 private:
  int last_ = -1;
  bool shown_ = false;
};

// Ctrl-C (SIGINT) or SIGTERM: the first stops reading; what was read is decoded
// and written, as at the end of the capture (a live capture has no other end).
// The second ends the program at once, as without this.
std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int sig) {
  if (g_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

void catch_stop_signals() {
  for (const int sig : {SIGINT, SIGTERM}) {
    struct sigaction old {};
    // A signal ignored when we started (a background job of a script) stays ignored.
    if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // writes of the output go on; a stream's wait looks at g_stop
    sigaction(sig, &sa, nullptr);
  }
}

std::vector<uint16_t> server_ports(const AppOptions& app) {
  std::vector<uint16_t> ports;
  for (const DecodeAs& d : app.decode_as) ports.push_back(d.port);
  for (const Protocol* p : all_protocols()) {
    ports.insert(ports.end(), p->default_tcp_ports.begin(), p->default_tcp_ports.end());
    ports.insert(ports.end(), p->default_tls_ports.begin(), p->default_tls_ports.end());
  }
  return ports;
}

// Reads one key log; malformed lines are reported, not fatal.
bool load_keylog(tls::KeyLog& keys, const std::string& path, bool must_exist) {
  tls::KeyLogStats st;
  std::string error;
  if (!keys.add_file(path, st, error)) {
    if (must_exist) std::fprintf(stderr, "quartet: --keylog %s\n", error.c_str());
    else std::fprintf(stderr, "quartet: note: SSLKEYLOGFILE %s (not used)\n", error.c_str());
    return !must_exist;
  }
  if (st.malformed)
    std::fprintf(stderr, "quartet: %s: %llu malformed key log lines ignored (first: line %llu)\n", path.c_str(),
                 static_cast<unsigned long long>(st.malformed),
                 static_cast<unsigned long long>(st.first_malformed_line));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  CliArgs cli = parse_cli(args);
  if (cli.help) {
    std::fputs(usage_text().c_str(), stdout);
    return kExitOk;
  }
  if (cli.version) {
    std::printf("quartet %s\n", QUARTET_VERSION);
    return kExitOk;
  }
  if (!cli.error.empty()) {
    std::fprintf(stderr, "quartet: %s\nTry 'quartet --help'.\n", cli.error.c_str());
    return kExitError;
  }
  if (cli.list_protocols) {
    const std::string list = cli.app.format == OutputFormat::Jsonl ? protocol_list_json() : protocol_list_text();
    std::fputs(list.c_str(), stdout);
    return kExitOk;
  }

  std::FILE* out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, std::fclose);
  if (!cli.output.empty() && cli.output != "-") {
    // fopen "w" empties a file before anything is read: never one of the inputs.
    std::error_code ec;
    const bool regular = std::filesystem::is_regular_file(cli.output, ec);
    const auto overwrites = [&](const std::vector<std::string>& inputs, const char* what) {
      for (const std::string& in : inputs) {
        if (regular && in != "-" && std::filesystem::equivalent(cli.output, in, ec)) {
          std::fprintf(stderr, "quartet: -o %s would overwrite the %s %s\n", cli.output.c_str(), what, in.c_str());
          return true;
        }
      }
      return false;
    };
    if (overwrites(cli.files, "capture") || overwrites(cli.keylogs, "key log")) return kExitError;
    owned.reset(std::fopen(cli.output.c_str(), "w"));
    if (!owned) {
      std::fprintf(stderr, "quartet: %s: %s\n", cli.output.c_str(), std::strerror(errno));
      return kExitError;
    }
    out = owned.get();
  }
  // A terminal keeps stdio's line buffering (a live capture's sessions show as they
  // are written); a file or pipe gets a large buffer.
  static char outbuf[1 << 16];
  if (!isatty(fileno(out))) std::setvbuf(out, outbuf, _IOFBF, sizeof outbuf);

  // TLS secrets: --keylog files, else the SSLKEYLOGFILE file as curl and browsers
  // use it; pcapng Decryption Secrets Blocks add theirs while the capture is read.
  tls::KeyLog keys;
  for (const std::string& path : cli.keylogs)
    if (!load_keylog(keys, path, true)) return kExitError;
  if (cli.keylogs.empty())
    if (const char* env = std::getenv("SSLKEYLOGFILE"); env && *env) load_keylog(keys, env, false);
  cli.app.keylog = &keys;

  // --threads 1: everything on this thread. More: a reader, N decoding workers, and
  // this thread writing (analyzer/app/threaded_run.hpp); the same output.
  const unsigned threads = cli.threads ? cli.threads : std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<Writer> writer = cli.app.format == OutputFormat::Jsonl  ? make_jsonl_writer(out, cli.app)
                                   : cli.app.format == OutputFormat::Html ? make_html_writer(out, cli.app, threads > 1)
                                                                          : make_text_writer(out, cli.app);
  net::Options nopt;
  nopt.inputs = cli.files;
  nopt.bpf_filter = cli.bpf;
  nopt.tcp.server_ports = server_ports(cli.app);
  if (cli.max_flows) nopt.tcp.max_flows = static_cast<size_t>(cli.max_flows);
  nopt.on_secrets = [&keys](std::string_view text) { keys.add_text(text); };
  nopt.live.stop = &g_stop;
  // A live input waits for data: what is written so far goes out now (with --threads,
  // the output stage does it: ThreadedAnalyzer).
  nopt.live.on_idle = [out] { std::fflush(out); };
  catch_stop_signals();
  ProgressBar bar;
  if (cli.progress && isatty(STDERR_FILENO))
    nopt.progress = [&bar](uint64_t done, uint64_t total) { bar.update(done, total); };

  std::unique_ptr<Analyzer> single;
  std::unique_ptr<ThreadedAnalyzer> threaded;
  if (threads > 1) threaded = std::make_unique<ThreadedAnalyzer>(cli.app, *writer, out, threads, keys);
  else single = std::make_unique<Analyzer>(cli.app, *writer);
  RunSummary& summary = threaded ? threaded->summary() : single->summary();

  net::CaptureStats stats;
  try {
    stats = threaded ? threaded->run(nopt) : net::run(nopt, *single);
    bar.clear();
    summary.packets = stats.packets;
    summary.files = cli.files;
    if (threaded) threaded->finish();
    else single->finish();  // may read long timelines back from the spill file
  } catch (const net::CaptureError& e) {
    bar.clear();
    std::fprintf(stderr, "quartet: %s\n", e.what());
    return kExitError;
  } catch (const std::exception& e) {
    bar.clear();
    std::fprintf(stderr, "quartet: %s\n", e.what());
    return kExitError;
  }
  std::fflush(out);
  if (stats.interrupted)
    std::fprintf(stderr, "quartet: interrupted: stopped reading after %llu packets; what was read is written\n",
                 static_cast<unsigned long long>(stats.packets));

  // Capture-level problems also go to stderr, so they are seen when the output is redirected.
  const auto& warnings = summary.capture_warnings;
  for (size_t i = 0; i < warnings.size() && i < 10; ++i)
    std::fprintf(stderr, "quartet: warning: %s\n", warnings[i].c_str());
  if (warnings.size() > 10)
    std::fprintf(stderr, "quartet: warning: ... %zu more in the summary\n", warnings.size() - 10);
  if (std::ferror(out)) {
    std::fprintf(stderr, "quartet: error writing the output\n");
    return kExitError;
  }
  return stats.truncated_files > 0 || !warnings.empty() ? kExitWarnings : kExitOk;
}
