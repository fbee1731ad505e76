// The readable timeline: one header line per session, one line per message or
// event, warnings inline (marked "!"), a summary block at the end.
#include <cstdio>

#include "fanout.hpp"
#include "format.hpp"
#include "json.hpp"
#include "output.hpp"

namespace quartet::analyzer {
namespace {

const char* arrow(std::optional<Side> s) {
  if (!s) return "·";
  return *s == Side::Client ? "→" : "←";
}

// "closed by client (SF), COPS open"
void append_state(OutBuf& out, const SessionOut& s) {
  out += s.state;
  if (s.closed_by) {
    out += std::string_view(" by ");
    out += side_name(*s.closed_by);
  }
  if (!s.conn_state.empty()) {
    out += std::string_view(" (");
    out += s.conn_state;
    out += ')';
  }
  if (!s.protocol_state.empty()) {
    out += std::string_view(", ");
    out += s.protocol->short_name;
    out += ' ';
    out += s.protocol_state;
  }
}

// "1→ 2←": a count each way.
void append_both_ways(OutBuf& out, const uint64_t (&n)[2]) {
  append_uint(out, n[0]);
  out += std::string_view("→ ");
  append_uint(out, n[1]);
  out += std::string_view("←");
}

class TextWriter final : public Writer {
 public:
  TextWriter(ByteSink& out, const AppOptions& opt, std::unique_ptr<FileSink> owned = nullptr)
      : owned_(std::move(owned)), out_(out), opt_(opt) {}

  void session(const SessionOut& s, absl::FunctionRef<void(const Entry&)> also) override {
    line_.clear();
    header(s);
    if (opt_.summary_only) {
      for_each_entry(s, also);
    } else {
      for_each_entry(s, [&](const Entry& e) {
        also(e);
        entry(s, e);
      });
      line_ += '\n';
    }
    out_.write(line_.data(), line_.size());
  }

  void finish(const RunSummary& r) override {
    line_.clear();
    const uint64_t ours = r.sessions;
    line_ += "== summary: " + std::to_string(r.tcp_flows) + " TCP connections, " + std::to_string(ours) +
             " sessions shown, " + std::to_string(r.other_flows) + " other\n";
    for (const auto& t : r.protocols) {
      if (t.sessions == 0) continue;
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "   %-5s %llu sessions (%llu TLS), %llu messages, %s, %llu bytes missing, %llu warnings\n",
                    std::string(t.protocol->short_name).c_str(), static_cast<unsigned long long>(t.sessions),
                    static_cast<unsigned long long>(t.tls_sessions), static_cast<unsigned long long>(t.messages),
                    format_bytes(t.bytes).c_str(), static_cast<unsigned long long>(t.missing_bytes),
                    static_cast<unsigned long long>(t.warnings));
      line_ += buf;
    }
    if (r.written_early)
      line_ += "   " + std::to_string(r.written_early) +
               " sessions were written before an earlier, still open one (memory bound)\n";
    if (!r.fanout.empty()) {
      line_ += "   publish/subscribe fan-out:\n";
      const Endpoint* last = nullptr;
      for (const FanoutRow& f : r.fanout) {
        if (!last || endpoint_text(*last) != endpoint_text(f.publisher))
          line_ += "     publisher " + endpoint_text(f.publisher) + "\n";
        last = &f.publisher;
        line_ += "       → subscriber " + endpoint_text(f.subscriber) + " (#" + std::to_string(f.session) +
                 "): " + std::to_string(f.messages) + " messages\n";
      }
      if (r.fanout_dropped)
        line_ += "     ... and " + std::to_string(r.fanout_dropped) +
                 " later publish/subscribe sessions, not listed (the first " + std::to_string(r.fanout.size()) +
                 " are)\n";
    }
    line_ += response_time_table(r.response_times);
    if (!r.capture_warnings.empty()) {
      line_ += "   capture warnings:\n";
      for (const auto& w : r.capture_warnings) {
        line_ += "   ! ";
        append_printable(line_, w);
        line_ += '\n';
      }
      if (r.capture_warnings_dropped) line_ += "   ! ... and " + std::to_string(r.capture_warnings_dropped) + " more\n";
    }
    out_.write(line_.data(), line_.size());
    out_.flush();
  }

 private:
  // Appended piece by piece, without a temporary string: on connection-heavy
  // captures this line is most of --summary's output.
  void header(const SessionOut& s) {
    line_ += '#';
    append_uint(line_, s.flow.id);
    line_ += ' ';
    line_ += s.protocol->short_name;
    if (s.tls.seen) line_ += std::string_view(s.tls.handoff ? "+TLS" : "/TLS");
    line_ += std::string_view("  ");
    append_endpoint(line_, s.flow.client);
    line_ += std::string_view(" → ");
    append_endpoint(line_, s.flow.server);
    if (s.flow.roles == RoleSource::PortGuess) line_ += std::string_view(" (roles guessed)");
    line_ += std::string_view("  start ");
    append_utc(line_, s.start, opt_.ts_decimals);
    line_ += std::string_view("  duration ");
    append_seconds(line_, s.end - s.start, opt_.ts_decimals);
    line_ += std::string_view(" s  ");
    append_state(line_, s);
    line_ += std::string_view("  messages ");
    append_both_ways(line_, s.messages);
    line_ += std::string_view("  bytes ");
    append_both_ways(line_, s.bytes);
    if (s.tls.seen) tls_summary(s.tls);
    if (s.missing_bytes) {
      line_ += std::string_view("  missing ");
      append_uint(line_, s.missing_bytes);
    }
    const uint64_t warnings = s.warnings.size() + s.warnings_dropped;
    if (warnings) {
      line_ += std::string_view("  warnings ");
      append_uint(line_, warnings);
    }
    line_ += '\n';
  }

  // What the handshake showed, so that --summary lines carry it too.
  void tls_summary(const TlsInfo& t) {
    line_ += "  [";
    append_printable(line_, t.version.empty() ? "TLS" : t.version);
    if (!t.cipher.empty()) {
      line_ += ' ';
      append_printable(line_, t.cipher);
    }
    if (!t.sni.empty()) {
      line_ += " sni=";
      append_printable(line_, t.sni);
    }
    line_ += t.decrypted ? " decrypted" : " encrypted";
    if (!t.not_decrypted.empty()) line_ += ": " + t.not_decrypted;
    line_ += ']';
  }

  void prefix(const SessionOut& s, TimeNs ts, std::optional<Side> from) {
    char rel[1 + kSecondsRoom];
    rel[0] = '+';
    const auto n = static_cast<size_t>(write_seconds(rel + 1, ts - s.start, opt_.ts_decimals) - rel);
    line_ += "  ";  // then right-aligned in 14 columns, as printf's "%14s" (not cut when wider)
    if (n < 14) line_.append(14 - n, ' ');
    line_.append(rel, n);
    line_ += ' ';
    line_ += arrow(from);
    line_ += "  ";
  }

  void entry(const SessionOut& s, const Entry& e) {
    if (const auto* m = std::get_if<MessageOut>(&e)) {
      prefix(s, m->ts, m->from);
      line_ += '[';
      append_uint(line_, m->index);
      line_ += "] ";
      append_printable(line_, m->summary().empty() ? m->name() : m->summary());
      if (m->response_to) {
        line_ += std::string_view("  (answers [");
        append_uint(line_, *m->response_to);
        line_ += ']';
        if (m->latency) {
          line_ += std::string_view(" after ");
          append_ms(line_, *m->latency, opt_.ts_decimals);
        }
        line_ += ')';
      }
      line_ += '\n';
      for (const Problem& p : m->problems) {
        prefix(s, m->ts, m->from);
        line_ += std::string_view("! [");
        append_uint(line_, m->index);
        line_ += std::string_view("] ");
        line_ += kind_name(p.kind);
        line_ += std::string_view(": ");
        append_printable(line_, p.text);
        line_ += '\n';
      }
      return;
    }
    const auto& ev = std::get<EventOut>(e);
    prefix(s, ev.ts, ev.from);
    if (ev.kind == EntryKind::Warning) line_ += "! ";
    else if (ev.kind == EntryKind::Gap) line_ += "! gap: ";
    else if (ev.kind == EntryKind::Phase) line_ += "phase: ";
    append_printable(line_, ev.text);
    line_ += '\n';
  }

  std::unique_ptr<FileSink> owned_;  // when made for a stdio stream
  ByteSink& out_;
  const AppOptions& opt_;
  OutBuf line_;
};

}  // namespace

std::unique_ptr<Writer> make_text_writer(std::FILE* out, const AppOptions& opt) {
  auto sink = std::make_unique<FileSink>(out);
  ByteSink& s = *sink;
  return std::make_unique<TextWriter>(s, opt, std::move(sink));
}

std::unique_ptr<Writer> make_text_writer(ByteSink& out, const AppOptions& opt) {
  return std::make_unique<TextWriter>(out, opt);
}

}  // namespace quartet::analyzer
