// The HTML report: one self-contained page (no network, opens from file://) with
// capture facts, a paged sessions table, a sequence diagram per session, latency
// histograms and a problems list. The page's script and style (analyzer/app/report/)
// are compiled in; the data goes into non-executable <script type="application/...">
// blocks, every string escaped by append_json_string_html so that no capture value
// can end the block or run as script, and a Content-Security-Policy lets only the
// page's own script (by its SHA-256) run and nothing load from the network.
//
// Memory stays bounded: the sessions table goes to a scratch file as it grows
// (SpilledText), and each session's messages are one JSON line, the lines of every
// kSessionsPerBlock sessions (fewer when they reach kBlockBytes) gzip-compressed and
// base64-encoded as they come, as one line of the messages block (GzipBase64Line; with
// --threads on a thread of its own, GzipBase64Thread).
// The page decompresses (DecompressionStream) and parses a block only when one of
// its sessions is opened, so loading costs the sessions table only, and the file is
// several times smaller.
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "format.hpp"
#include "gzip_base64.hpp"
#include "gzip_base64_thread.hpp"
#include "json.hpp"
#include "output.hpp"
#include "report_assets.hpp"
#include "response_times.hpp"
#include "spilled_text.hpp"

namespace quartet::analyzer {
namespace {

// Problems listed one by one (the count per kind is always complete).
constexpr size_t kMaxListedProblems = 20000;
// A compressed block of the messages data ends after this many sessions, or once its
// text reaches kBlockBytes: the page decompresses a whole block to open one of its
// sessions, and keeps a few. Where each block starts is in the summary ("blocks").
constexpr size_t kSessionsPerBlock = 256;
constexpr size_t kBlockBytes = 1u << 20;
// Bytes of a block's messages lines gathered before they go to the compressor.
constexpr size_t kLinePiece = 64u << 10;

// Microseconds, with nanosecond decimals only when there are some.
void append_us(std::string& out, TimeNs ns) {
  char buf[40];
  const bool neg = ns < 0;
  const uint64_t mag = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  if (mag % 1000 == 0)
    std::snprintf(buf, sizeof buf, "%s%llu", neg ? "-" : "", static_cast<unsigned long long>(mag / 1000));
  else
    std::snprintf(buf, sizeof buf, "%s%llu.%03llu", neg ? "-" : "", static_cast<unsigned long long>(mag / 1000),
                  static_cast<unsigned long long>(mag % 1000));
  out += buf;
}

std::string base64_sha256(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  unsigned char b64[2 * EVP_MAX_MD_SIZE];
  const int n = EVP_EncodeBlock(b64, md, static_cast<int>(len));
  return std::string(reinterpret_cast<const char*>(b64), static_cast<size_t>(n > 0 ? n : 0));
}

size_t protocol_index(const Protocol* p) {
  const auto all = all_protocols();
  return static_cast<size_t>(std::find(all.begin(), all.end(), p) - all.begin());
}

class HtmlWriter final : public Writer {
 public:
  HtmlWriter(std::FILE* out, const AppOptions& opt, bool compress_on_own_thread) : out_(out), opt_(opt) {
    const std::string_view script = report_script();
    std::string head =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" +
        base64_sha256(script) +
        "'; style-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width\">\n<title>quartet report</title>\n<style>";
    head += report_style();
    head +=
        "</style></head>\n<body>\n<noscript>This report needs JavaScript (it runs only its own script, "
        "offline).</noscript>\n<div id=\"app\"><p id=\"loading\">Loading the report&hellip;</p></div>\n"
        "<script type=\"application/x-quartet-gzip-base64\" id=\"q-messages\">\n";
    write(head);
    if (compress_on_own_thread) gzip_thread_ = std::make_unique<GzipBase64Thread>(block_);
  }

  void session(const SessionOut& s, absl::FunctionRef<void(const Entry&)> also) override {
    const size_t row = rows_written_++;
    if (block_sessions_ == 0) block_starts_.push_back(row);
    size_t problems = s.warnings_dropped;
    std::vector<TimeNs> latencies;

    buf_ += '[';
    size_t entry_index = 0;
    for_each_entry(s, [&](const Entry& e) {
      also(e);
      if (entry_index) buf_ += ',';
      if (const auto* m = std::get_if<MessageOut>(&e)) {
        buf_ += "[0,";
        append_us(buf_, m->ts - s.start);
        buf_ += m->from == Side::Client ? ",0," : ",1,";
        append_json_string_html(buf_, m->name());
        buf_ += ',';
        append_json_string_html(buf_, m->summary());
        buf_ += ',' + (m->response_to ? std::to_string(*m->response_to) : std::string("-1")) + ',';
        if (m->latency) {
          append_us(buf_, *m->latency);
          latencies.push_back(*m->latency);
        } else {
          buf_ += "-1";
        }
        buf_ += ',' + std::to_string(m->length) + ',';
        buf_ += m->fields_json().empty() ? std::string_view("{}") : m->fields_json();
        buf_ += ",[";
        for (size_t i = 0; i < m->problems.size(); ++i) {
          const Problem& p = m->problems[i];
          if (i) buf_ += ',';
          buf_ += '[';
          append_json_string_html(buf_, kind_name(p.kind));
          buf_ += ',';
          const Severity sev = severity_of(p.kind);
          buf_ += sev == Severity::Error ? "2," : sev == Severity::Warning ? "1," : "0,";
          append_json_string_html(buf_, p.text);
          buf_ += ']';
          if (sev != Severity::Note) ++problems;
          problem(row, entry_index, kind_name(p.kind), p.text);
        }
        buf_ += "],";
        append_json_string_html(buf_, m->request_kind());
        buf_ += ']';
      } else {
        const auto& ev = std::get<EventOut>(e);
        buf_ += "[1,";
        append_us(buf_, ev.ts - s.start);
        buf_ += !ev.from ? ",-1," : *ev.from == Side::Client ? ",0," : ",1,";
        append_json_string_html(buf_, entry_kind_name(ev.kind));
        buf_ += ',';
        append_json_string_html(buf_, ev.text);
        buf_ += ']';
        if (ev.kind == EntryKind::Warning || ev.kind == EntryKind::Gap) {
          ++problems;
          problem(row, entry_index, ev.kind == EntryKind::Gap ? "gap" : "warning", ev.text);
        }
      }
      ++entry_index;
      // A long session's line goes to the compressor a piece at a time, not held whole.
      if (buf_.size() >= kLinePiece) compress_line_piece();
    });
    buf_ += "]\n";
    if (buf_.size() >= kLinePiece) compress_line_piece();
    if (++block_sessions_ == kSessionsPerBlock || block_bytes_ + buf_.size() >= kBlockBytes) flush_block();

    std::sort(latencies.begin(), latencies.end());
    std::string& rows = rows_.text();
    if (row) rows += ',';
    rows += '[' + std::to_string(s.flow.id) + ',' + std::to_string(protocol_index(s.protocol)) + ',';
    append_json_string_html(rows, endpoint_text(s.flow.client));
    rows += ',';
    append_json_string_html(rows, endpoint_text(s.flow.server));
    rows += ',';
    append_seconds(rows, s.start, opt_.ts_decimals);
    rows += ',';
    append_us(rows, s.end - s.start);
    rows += ',';
    std::string state = s.state;
    if (s.closed_by) state += std::string(" by ") + side_name(*s.closed_by);
    if (!s.conn_state.empty()) state += " (" + s.conn_state + ")";
    if (!s.protocol_state.empty()) state += ", " + s.protocol_state;
    append_json_string_html(rows, state);
    rows += ',' + std::to_string(s.messages[0]) + ',' + std::to_string(s.messages[1]) + ',';
    for (double q : {50.0, 99.0, 100.0}) {
      if (latencies.empty()) rows += "-1";
      else append_us(rows, percentile_of(latencies, q));
      rows += ',';
    }
    rows += std::to_string(problems) + ',';
    rows += !s.tls.seen ? "0," : s.tls.handoff ? "2," : "1,";
    rows += std::to_string(s.bytes[0]) + ',' + std::to_string(s.bytes[1]) + ',';
    append_json_string_html(rows, s.flow.roles == RoleSource::PortGuess ? "roles guessed" : "");
    rows += ']';
    rows_.spill_when_full();

    if (!any_ || s.start < first_) first_ = s.start;
    if (!any_ || s.end > last_) last_ = s.end;
    any_ = true;
  }

  void finish(const RunSummary& r) override {
    flush_block();
    if (gzip_thread_) gzip_thread_->drain();  // its lines come before the rest of the page
    write("</script>\n<script type=\"application/json\" id=\"q-sessions\">[");
    rows_.write_to(out_);
    std::string t = "]</script>\n<script type=\"application/json\" id=\"q-summary\">";
    summary(t, r);
    t += "</script>\n<script>";
    t += report_script();
    t += "</script>\n</body></html>\n";
    write(t);
    std::fflush(out_);
  }

 private:
  void write(const std::string& s) { std::fwrite(s.data(), 1, s.size(), out_); }

  // What buf_ holds of the block's messages lines, to the block's compressor: once it
  // reaches kLinePiece (short sessions' lines are gathered: handing each to the
  // compressor's thread on its own cost more than compressing it), and at the block's end.
  void compress_line_piece() {
    block_bytes_ += buf_.size();
    if (gzip_thread_) {
      gzip_thread_->add(buf_);  // buf_ comes back empty
      return;
    }
    block_.add(buf_);
    buf_.clear();
  }

  void flush_block() {
    if (!buf_.empty()) compress_line_piece();
    if (gzip_thread_) gzip_thread_->finish();
    else block_.finish();
    block_sessions_ = 0;
    block_bytes_ = 0;
  }

  void problem(size_t row, size_t entry, std::string_view kind, std::string_view text) {
    ++problem_kinds_[std::string(kind)];
    if (listed_problems_ >= kMaxListedProblems) {
      ++problems_dropped_;
      return;
    }
    if (listed_problems_++) problems_ += ',';
    problems_ += '[' + std::to_string(row) + ',' + std::to_string(entry) + ',';
    append_json_string_html(problems_, kind);
    problems_ += ',';
    append_json_string_html(problems_, text);
    problems_ += ']';
  }

  void strings(std::string& t, const std::vector<std::string>& v) {
    t += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) t += ',';
      append_json_string_html(t, v[i]);
    }
    t += ']';
  }

  void summary(std::string& t, const RunSummary& r) {
    t += "{\"files\":";
    strings(t, r.files);
    t += ",\"packets\":" + std::to_string(r.packets) + ",\"tcp\":" + std::to_string(r.tcp_flows) +
         ",\"sessions\":" + std::to_string(r.sessions) + ",\"other\":" + std::to_string(r.other_flows) + ",\"start\":";
    if (any_) append_seconds(t, first_, opt_.ts_decimals);
    else t += "null";
    t += ",\"end\":";
    if (any_) append_seconds(t, last_, opt_.ts_decimals);
    else t += "null";
    t += ",\"warnings\":";
    strings(t, r.capture_warnings);
    t += ",\"warnings_dropped\":" + std::to_string(r.capture_warnings_dropped) + ",\"protocols\":[";
    bool first = true;
    for (const Protocol* p : all_protocols()) {
      if (!first) t += ',';
      first = false;
      append_json_string_html(t, p->short_name);
    }
    t += "],\"totals\":[";
    for (size_t i = 0; i < r.protocols.size(); ++i) {
      const ProtocolTotals& p = r.protocols[i];
      if (i) t += ',';
      t += '[' + std::to_string(protocol_index(p.protocol)) + ',' + std::to_string(p.sessions) + ',' +
           std::to_string(p.tls_sessions) + ',' + std::to_string(p.messages) + ',' + std::to_string(p.bytes) + ',' +
           std::to_string(p.missing_bytes) + ',' + std::to_string(p.warnings) + ']';
    }
    t += "],\"response_times\":[";
    for (size_t i = 0; i < r.response_times.size(); ++i) {
      const ResponseTimeRow& row = r.response_times[i];
      if (i) t += ',';
      t += '[' + std::to_string(protocol_index(row.protocol)) + ',';
      append_json_string_html(t, row.kind);
      t += ',' + std::to_string(row.answered()) + ',' + std::to_string(row.unanswered);
      for (double q : {50.0, 90.0, 99.0}) {
        t += ',';
        append_us(t, row.percentile(q));
      }
      t += ',';
      append_us(t, row.max());
      t += ",[";
      for (size_t b = 0; b < row.totals.bins.size(); ++b) {
        if (b) t += ',';
        t += std::to_string(row.totals.bins[b]);
      }
      // The percentiles' largest relative error: 0 when exact (ResponseTimeRow::latencies).
      char err[32];
      std::snprintf(err, sizeof err, "],%.6g]", row.percentile_error());
      t += err;
    }
    t += "],\"problem_kinds\":{";
    first = true;
    for (const auto& [kind, n] : problem_kinds_) {
      if (!first) t += ',';
      first = false;
      append_json_string_html(t, kind);
      t += ':' + std::to_string(n);
    }
    t += "},\"problems\":[" + problems_ + "],\"problems_dropped\":" + std::to_string(problems_dropped_) +
         ",\"blocks\":[";
    for (size_t i = 0; i < block_starts_.size(); ++i) {
      if (i) t += ',';
      t += std::to_string(block_starts_[i]);
    }
    t += "]}";
  }

  std::FILE* out_;
  const AppOptions& opt_;
  std::string buf_, problems_;
  GzipBase64Line block_{out_};  // the messages of up to kSessionsPerBlock sessions (kBlockBytes)
  // With --threads, block_ is fed on a thread of its own (declared after it: joined first).
  std::unique_ptr<GzipBase64Thread> gzip_thread_;
  SpilledText rows_;  // the sessions table, on file beyond a few hundred kB
  size_t block_sessions_ = 0, block_bytes_ = 0;
  std::vector<size_t> block_starts_;  // each block's first session (its row in the table)
  size_t rows_written_ = 0, listed_problems_ = 0, problems_dropped_ = 0;
  std::map<std::string, uint64_t> problem_kinds_;
  TimeNs first_ = 0, last_ = 0;
  bool any_ = false;
};

}  // namespace

std::unique_ptr<Writer> make_html_writer(std::FILE* out, const AppOptions& opt, bool compress_on_own_thread) {
  return std::make_unique<HtmlWriter>(out, opt, compress_on_own_thread);
}

}  // namespace quartet::analyzer
