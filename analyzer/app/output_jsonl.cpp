// JSON Lines output; the schema is documented in docs/jsonl-schema.md and stable:
// fields may be added, none renamed or removed.
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "json.hpp"
#include "output.hpp"

namespace quartet::analyzer {
namespace {

using namespace std::string_view_literals;  // literals appended without strlen

class JsonlWriter final : public Writer {
 public:
  JsonlWriter(ByteSink& out, const AppOptions& opt, std::unique_ptr<FileSink> owned = nullptr)
      : owned_(std::move(owned)), out_(out), opt_(opt) {}
  static constexpr size_t kFlushBytes = 64u << 10;

  void session(const SessionOut& s, absl::FunctionRef<void(const Entry&)> also) override {
    buf_.clear();
    id_size_ = static_cast<size_t>(std::to_chars(id_text_, id_text_ + sizeof id_text_, s.flow.id).ptr - id_text_);
    session_line(s);
    if (opt_.summary_only) {
      for_each_entry(s, also);
    } else {
      for_each_entry(s, [&](const Entry& e) {
        also(e);
        if (const auto* m = std::get_if<MessageOut>(&e)) message_line(s, *m);
        else event_line(std::get<EventOut>(e));
        // A long session's lines go out as they come: the buffer stays small
        // (one per --threads worker) rather than growing to the longest session.
        if (buf_.size() >= kFlushBytes) {
          out_.write(buf_.data(), buf_.size());
          buf_.clear();
        }
      });
    }
    out_.write(buf_.data(), buf_.size());
  }

  void finish(const RunSummary& r) override {
    buf_.clear();
    buf_ += "{\"type\":\"summary\",\"tcp_connections\":" + std::to_string(r.tcp_flows) +
            ",\"sessions\":" + std::to_string(r.sessions) + ",\"written_early\":" + std::to_string(r.written_early) +
            ",\"other_connections\":" + std::to_string(r.other_flows) + ",\"protocols\":{";
    bool first = true;
    for (const auto& t : r.protocols) {
      if (!first) buf_ += ',';
      first = false;
      name(t.protocol->short_name);
      buf_ += ":{\"sessions\":" + std::to_string(t.sessions) + ",\"tls_sessions\":" + std::to_string(t.tls_sessions) +
              ",\"messages\":" + std::to_string(t.messages) + ",\"bytes\":" + std::to_string(t.bytes) +
              ",\"missing_bytes\":" + std::to_string(t.missing_bytes) + ",\"warnings\":" + std::to_string(t.warnings) +
              "}";
    }
    buf_ += "},\"fanout\":["sv;
    for (size_t i = 0; i < r.fanout.size(); ++i) {
      const FanoutRow& f = r.fanout[i];
      if (i) buf_ += ',';
      buf_ += "{\"session\":" + std::to_string(f.session) + ",\"publisher\":";
      endpoint(f.publisher);
      buf_ += ",\"subscriber\":"sv;
      endpoint(f.subscriber);
      buf_ += ",\"messages\":" + std::to_string(f.messages) + "}";
    }
    buf_ += ']';
    // Only when some were not listed: a summary line as it was on every other capture.
    if (r.fanout_dropped) buf_ += ",\"fanout_dropped\":" + std::to_string(r.fanout_dropped);
    buf_ += ",\"capture_warnings\":"sv;
    strings(r.capture_warnings);
    buf_ += ",\"capture_warnings_dropped\":" + std::to_string(r.capture_warnings_dropped) + "}\n";
    out_.write(buf_.data(), buf_.size());
    out_.flush();
  }

 private:
  void endpoint(const Endpoint& e) {
    buf_ += "{\"ip\":\""sv;
    buf_.commit_to(e.write_ip(buf_.room(Endpoint::kIpRoom)));  // digits, dots, colons: nothing to escape
    buf_ += "\",\"port\":"sv;
    append_uint(buf_, e.port);
    buf_ += '}';
  }
  void strings(const std::vector<std::string>& v) {
    buf_ += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) buf_ += ',';
      append_json_string(buf_, v[i]);
    }
    buf_ += ']';
  }
  // A name of our own (side, protocol, kind, severity): plain ASCII, quoted without the escaping scan.
  void name(std::string_view n) {
    buf_ += '"';
    buf_ += n;
    buf_ += '"';
  }
  void ts(TimeNs t) { append_seconds(buf_, t, opt_.ts_decimals); }
  void side_or_null(std::optional<Side> s) {
    if (s) name(side_name(*s));
    else buf_ += "null"sv;
  }
  // The session's number, as its lines give it: made once per session, not once per line.
  void session_id() {
    std::memcpy(buf_.room(sizeof id_text_), id_text_, sizeof id_text_);  // a fixed-size copy
    buf_.commit(id_size_);
  }
  // The start of a message or event line up to its session number.
  void common(std::string_view type_and_session) {
    buf_ += type_and_session;
    session_id();
  }
  // ,"from":"client" / "server" / null as one append: every message and event has it.
  void from(std::optional<Side> s) {
    if (!s) buf_ += ",\"from\":null"sv;
    else buf_ += *s == Side::Client ? ",\"from\":\"client\""sv : ",\"from\":\"server\""sv;
  }

  void session_line(const SessionOut& s) {
    buf_ += "{\"type\":\"session\",\"id\":"sv;
    session_id();
    buf_ += ",\"protocol\":"sv;
    name(s.protocol->short_name);
    buf_ += ",\"client\":"sv;
    endpoint(s.flow.client);
    buf_ += ",\"server\":"sv;
    endpoint(s.flow.server);
    buf_ += ",\"start\":"sv;
    ts(s.start);
    buf_ += ",\"end\":"sv;
    ts(s.end);
    buf_ += ",\"duration\":"sv;
    append_seconds(buf_, s.end - s.start, opt_.ts_decimals);
    buf_ += ",\"state\":"sv;
    append_json_string(buf_, s.state);
    buf_ += ",\"closed_by\":"sv;
    side_or_null(s.closed_by);
    buf_ += ",\"conn_state\":"sv;
    if (s.conn_state.empty()) buf_ += "null"sv;
    else append_json_string(buf_, s.conn_state);
    buf_ += s.handshake ? ",\"handshake\":true" : ",\"handshake\":false";
    buf_ += ",\"roles\":"sv;
    name(roles_name(s.flow.roles));
    buf_ += ",\"detected_by\":"sv;
    append_json_string(buf_, s.detected_by);
    buf_ += ",\"protocol_state\":"sv;
    append_json_string(buf_, s.protocol_state);
    buf_ += ",\"tls\":"sv;
    if (s.tls.seen) {
      buf_ += s.tls.handoff ? "{\"handoff\":true" : "{\"handoff\":false";
      for (auto [key, val] : {std::pair{"version", &s.tls.version},
                              {"sni", &s.tls.sni},
                              {"cipher", &s.tls.cipher},
                              {"subject", &s.tls.subject},
                              {"alpn", &s.tls.alpn}}) {
        buf_ += ",\""sv;
        buf_ += key;
        buf_ += "\":"sv;
        if (val->empty()) buf_ += "null"sv;
        else append_json_string(buf_, *val);
      }
      buf_ += ",\"application_records\":" + std::to_string(s.tls.app_records) +
              ",\"application_bytes\":" + std::to_string(s.tls.app_bytes);
      buf_ += s.tls.decrypted ? ",\"decrypted\":true" : ",\"decrypted\":false";
      buf_ += ",\"reason\":";
      if (s.tls.not_decrypted.empty()) buf_ += "null";
      else append_json_string(buf_, s.tls.not_decrypted);
      buf_ += '}';
    } else {
      buf_ += "null"sv;
    }
    buf_ += ",\"messages\":{\"client\":"sv;
    append_uint(buf_, s.messages[0]);
    buf_ += ",\"server\":"sv;
    append_uint(buf_, s.messages[1]);
    buf_ += "},\"bytes\":{\"client\":"sv;
    append_uint(buf_, s.bytes[0]);
    buf_ += ",\"server\":"sv;
    append_uint(buf_, s.bytes[1]);
    buf_ += "},\"missing_bytes\":"sv;
    append_uint(buf_, s.missing_bytes);
    buf_ += ",\"warnings\":"sv;
    strings(s.warnings);
    buf_ += ",\"warnings_dropped\":"sv;
    append_uint(buf_, s.warnings_dropped);
    buf_ += "}\n"sv;
  }

  void message_line(const SessionOut& s, const MessageOut& m) {
    common("{\"type\":\"message\",\"session\":"sv);
    buf_ += ",\"index\":"sv;
    append_uint(buf_, m.index);
    buf_ += ",\"ts\":"sv;
    ts(m.ts);
    from(m.from);
    buf_ += ",\"protocol\":"sv;
    name(s.protocol->short_name);
    buf_ += ",\"name\":"sv;
    append_json_string(buf_, m.name());
    buf_ += ",\"summary\":"sv;
    append_json_string(buf_, m.summary());
    buf_ += ",\"length\":"sv;
    append_uint(buf_, m.length);
    buf_ += m.is_request ? ",\"request\":true" : ",\"request\":false";
    buf_ += m.is_response ? ",\"response\":true" : ",\"response\":false";
    buf_ += ",\"fields\":"sv;
    buf_ += m.fields_json().empty() ? std::string_view("{}") : m.fields_json();
    buf_ += ",\"response_to\":"sv;
    if (m.response_to) append_uint(buf_, *m.response_to);
    else buf_ += "null"sv;
    buf_ += ",\"latency\":"sv;
    if (m.latency) append_seconds(buf_, *m.latency, opt_.ts_decimals);
    else buf_ += "null"sv;
    buf_ += ",\"problems\":["sv;
    for (size_t i = 0; i < m.problems.size(); ++i) {
      const Problem& p = m.problems[i];
      if (i) buf_ += ',';
      buf_ += "{\"id\":"sv;
      if (p.id.empty()) buf_ += "null"sv;
      else append_json_string(buf_, p.id);
      buf_ += ",\"kind\":"sv;
      name(kind_name(p.kind));
      buf_ += ",\"severity\":"sv;
      name(severity_name(severity_of(p.kind)));
      buf_ += ",\"offset\":"sv;
      append_uint(buf_, p.offset);
      buf_ += ",\"length\":"sv;
      append_uint(buf_, p.length);
      buf_ += ",\"text\":"sv;
      append_json_string(buf_, p.text);
      buf_ += '}';
    }
    buf_ += "]}\n"sv;
  }

  void event_line(const EventOut& e) {
    common("{\"type\":\"event\",\"session\":"sv);
    buf_ += ",\"ts\":"sv;
    ts(e.ts);
    buf_ += ",\"kind\":"sv;
    name(entry_kind_name(e.kind));
    from(e.from);
    buf_ += ",\"text\":"sv;
    const std::string_view text = e.text;
    if (e.text.literal() && plain_literals_.plain(e.text.literal(), text)) name(text);
    else append_json_string(buf_, text);
    buf_ += "}\n"sv;
  }

  // Event texts that are string literals ("connection opened (SYN seen)", "FIN from
  // client": most events), by address: whether they need escaping is found once per
  // literal, not scanned again at every event.
  class PlainLiterals {
   public:
    bool plain(const char* literal, std::string_view text) {
      Slot& s = slots_[(reinterpret_cast<uintptr_t>(literal) >> 3) % slots_.size()];
      if (s.literal != literal) s = {literal, json_plain(text)};
      return s.plain;
    }

   private:
    struct Slot {
      const char* literal = nullptr;
      bool plain = false;
    };
    std::array<Slot, 64> slots_{};
  };

  std::unique_ptr<FileSink> owned_;  // when made for a stdio stream
  ByteSink& out_;
  const AppOptions& opt_;
  OutBuf buf_;
  PlainLiterals plain_literals_;
  char id_text_[24] = {};  // the current session's number in decimal (session_id)
  size_t id_size_ = 0;
};

}  // namespace

std::unique_ptr<Writer> make_jsonl_writer(std::FILE* out, const AppOptions& opt) {
  auto sink = std::make_unique<FileSink>(out);
  ByteSink& s = *sink;
  return std::make_unique<JsonlWriter>(s, opt, std::move(sink));
}

std::unique_ptr<Writer> make_jsonl_writer(ByteSink& out, const AppOptions& opt) {
  return std::make_unique<JsonlWriter>(out, opt);
}

}  // namespace quartet::analyzer
