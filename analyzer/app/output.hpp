// Writers: the analyzer hands them finished sessions in order of first packet,
// then the run summary. Text (readable timeline) and JSONL implement it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <absl/functional/function_ref.h>

#include "options.hpp"
#include "response_times.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

struct ProtocolTotals {
  const Protocol* protocol = nullptr;
  uint64_t sessions = 0, tls_sessions = 0, messages = 0, bytes = 0, missing_bytes = 0, warnings = 0;
};

// Pub/sub fan-out: how many messages a publisher sent down each subscriber connection.
struct FanoutRow {
  uint64_t session = 0;
  Endpoint publisher, subscriber;
  uint64_t messages = 0;
};

struct RunSummary {
  std::vector<ProtocolTotals> protocols;  // one per all_protocols() entry, same order
  uint64_t tcp_flows = 0;                 // every TCP connection seen (of this --shard)
  uint64_t sessions = 0;                  // sessions written
  uint64_t written_early = 0;             // written before an earlier session had finished (memory bound)
  uint64_t other_flows = 0;               // not one of ours (or filtered out by --protocol)
  std::vector<std::string> capture_warnings;
  uint64_t capture_warnings_dropped = 0;
  std::vector<FanoutRow> fanout;                // grouped by publisher, in order of first session
  uint64_t fanout_dropped = 0;                  // pub/sub sessions beyond FanoutTable::kMaxRows, not listed
  std::vector<ResponseTimeRow> response_times;  // filled at the end of the run
  uint64_t packets = 0;                         // read from the capture files (set by main)
  std::vector<std::string> files;               // the inputs, as given
};

class Writer {
 public:
  virtual ~Writer() = default;
  // Writes a session. `also` sees each of its timeline entries in the same pass,
  // also when nothing of the timeline is written (--summary): the run summary's
  // accounting reads them there, so a long timeline is streamed back from the
  // spill file once.
  virtual void session(const SessionOut& s, absl::FunctionRef<void(const Entry&)> also) = 0;
  void session(const SessionOut& s) {
    session(s, [](const Entry&) {});
  }
  virtual void finish(const RunSummary& r) = 0;
};

// Where a text or JSONL writer's bytes go: a stdio stream, or (--threads) a
// decoding worker's relay to the output stage, reached without stdio (through an
// unbuffered fopencookie stream, each session took stdio's locked write path:
// 0.7 % of the instructions of a --threads 2 run on short connections).
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const char* data, size_t n) = 0;
  virtual void flush() {}
};

class FileSink final : public ByteSink {
 public:
  explicit FileSink(std::FILE* f) : f_(f), fd_(fileno(f)) {}
  // From this size on, a write skips stdio's buffer (write_past_stdio): the JSONL
  // writer's 64 KiB chunks were copied there whole before being written.
  static constexpr size_t kPastStdioFrom = 32u << 10;
  void write(const char* data, size_t n) override;
  void flush() override { std::fflush(f_); }

 private:
  std::FILE* f_;
  int fd_;  // -1: a stream without a descriptor, all through stdio
};

std::unique_ptr<Writer> make_text_writer(std::FILE* out, const AppOptions& opt);
std::unique_ptr<Writer> make_jsonl_writer(std::FILE* out, const AppOptions& opt);
// The same, writing to `out` (which outlives the writer).
std::unique_ptr<Writer> make_text_writer(ByteSink& out, const AppOptions& opt);
std::unique_ptr<Writer> make_jsonl_writer(ByteSink& out, const AppOptions& opt);
// `compress_on_own_thread` (--threads): the report's messages are compressed on a
// thread of its own (GzipBase64Thread); the page is the same.
std::unique_ptr<Writer> make_html_writer(std::FILE* out, const AppOptions& opt, bool compress_on_own_thread = false);

// "192.0.2.1:3288" / "[2001:db8::1]:3288"
std::string endpoint_text(const Endpoint& e);

}  // namespace quartet::analyzer
