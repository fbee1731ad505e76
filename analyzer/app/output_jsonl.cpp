// JSON Lines output; the schema is documented in docs/jsonl-schema.md and stable:
// fields may be added, none renamed or removed.
#include <cstdio>

#include "json.hpp"
#include "output.hpp"

namespace quartet::analyzer {
namespace {

constexpr std::string_view kMasked = "********";

class JsonlWriter final : public Writer {
 public:
  JsonlWriter(std::FILE* out, const AppOptions& opt) : out_(out), opt_(opt) {}

  void session(const SessionOut& s) override {
    buf_.clear();
    session_line(s);
    if (!opt_.summary_only) {
      for (const Entry& e : s.entries) {
        if (const auto* m = std::get_if<MessageOut>(&e)) message_line(s, *m);
        else event_line(s, std::get<EventOut>(e));
      }
    }
    std::fwrite(buf_.data(), 1, buf_.size(), out_);
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
      append_json_string(buf_, t.protocol->short_name);
      buf_ += ":{\"sessions\":" + std::to_string(t.sessions) + ",\"tls_sessions\":" + std::to_string(t.tls_sessions) +
              ",\"messages\":" + std::to_string(t.messages) + ",\"bytes\":" + std::to_string(t.bytes) +
              ",\"missing_bytes\":" + std::to_string(t.missing_bytes) + ",\"warnings\":" + std::to_string(t.warnings) +
              "}";
    }
    buf_ += "},\"fanout\":[";
    for (size_t i = 0; i < r.fanout.size(); ++i) {
      const FanoutRow& f = r.fanout[i];
      if (i) buf_ += ',';
      buf_ += "{\"session\":" + std::to_string(f.session) + ",\"publisher\":";
      endpoint(f.publisher);
      buf_ += ",\"subscriber\":";
      endpoint(f.subscriber);
      buf_ += ",\"messages\":" + std::to_string(f.messages) + "}";
    }
    buf_ += "],\"capture_warnings\":";
    strings(r.capture_warnings);
    buf_ += ",\"capture_warnings_dropped\":" + std::to_string(r.capture_warnings_dropped) + "}\n";
    std::fwrite(buf_.data(), 1, buf_.size(), out_);
    std::fflush(out_);
  }

 private:
  void endpoint(const Endpoint& e) {
    buf_ += "{\"ip\":";
    append_json_string(buf_, e.ip_string());
    buf_ += ",\"port\":" + std::to_string(e.port) + "}";
  }
  void strings(const std::vector<std::string>& v) {
    buf_ += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) buf_ += ',';
      append_json_string(buf_, v[i]);
    }
    buf_ += ']';
  }
  void ts(TimeNs t) { append_seconds(buf_, t, opt_.ts_decimals); }
  void side_or_null(std::optional<Side> s) {
    if (s) append_json_string(buf_, side_name(*s));
    else buf_ += "null";
  }
  void common(const char* type, const SessionOut& s) {
    buf_ += "{\"type\":\"";
    buf_ += type;
    buf_ += "\",\"session\":" + std::to_string(s.flow.id);
  }

  void session_line(const SessionOut& s) {
    buf_ += "{\"type\":\"session\",\"id\":" + std::to_string(s.flow.id) + ",\"protocol\":";
    append_json_string(buf_, s.protocol->short_name);
    buf_ += ",\"client\":";
    endpoint(s.flow.client);
    buf_ += ",\"server\":";
    endpoint(s.flow.server);
    buf_ += ",\"start\":";
    ts(s.start);
    buf_ += ",\"end\":";
    ts(s.end);
    buf_ += ",\"duration\":";
    append_seconds(buf_, s.end - s.start, opt_.ts_decimals);
    buf_ += ",\"state\":";
    append_json_string(buf_, s.state);
    buf_ += ",\"closed_by\":";
    side_or_null(s.closed_by);
    buf_ += ",\"conn_state\":";
    if (s.conn_state.empty()) buf_ += "null";
    else append_json_string(buf_, s.conn_state);
    buf_ += s.handshake ? ",\"handshake\":true" : ",\"handshake\":false";
    buf_ += ",\"roles\":";
    append_json_string(buf_, roles_name(s.flow.roles));
    buf_ += ",\"detected_by\":";
    append_json_string(buf_, s.detected_by);
    buf_ += ",\"protocol_state\":";
    append_json_string(buf_, s.protocol_state);
    buf_ += ",\"tls\":";
    if (s.tls.seen) {
      buf_ += s.tls.handoff ? "{\"handoff\":true" : "{\"handoff\":false";
      for (auto [key, val] : {std::pair{"version", &s.tls.version}, {"sni", &s.tls.sni}, {"cipher", &s.tls.cipher},
                              {"subject", &s.tls.subject}, {"alpn", &s.tls.alpn}}) {
        buf_ += ",\"";
        buf_ += key;
        buf_ += "\":";
        if (val->empty()) buf_ += "null";
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
      buf_ += "null";
    }
    buf_ += ",\"messages\":{\"client\":" + std::to_string(s.messages[0]) + ",\"server\":" + std::to_string(s.messages[1]) +
            "},\"bytes\":{\"client\":" + std::to_string(s.bytes[0]) + ",\"server\":" + std::to_string(s.bytes[1]) +
            "},\"missing_bytes\":" + std::to_string(s.missing_bytes) + ",\"warnings\":";
    strings(s.warnings);
    buf_ += ",\"warnings_dropped\":" + std::to_string(s.warnings_dropped) + "}\n";
  }

  void message_line(const SessionOut& s, const MessageOut& m) {
    common("message", s);
    buf_ += ",\"index\":" + std::to_string(m.index) + ",\"ts\":";
    ts(m.ts);
    buf_ += ",\"from\":";
    append_json_string(buf_, side_name(m.from));
    buf_ += ",\"protocol\":";
    append_json_string(buf_, s.protocol->short_name);
    buf_ += ",\"name\":";
    append_json_string(buf_, m.name);
    buf_ += ",\"summary\":";
    append_json_string(buf_, m.summary);
    buf_ += ",\"length\":" + std::to_string(m.length);
    buf_ += m.is_request ? ",\"request\":true" : ",\"request\":false";
    buf_ += m.is_response ? ",\"response\":true" : ",\"response\":false";
    buf_ += ",\"fields\":";
    fields(*s.protocol, m.fields);
    buf_ += ",\"response_to\":";
    buf_ += m.response_to ? std::to_string(*m.response_to) : "null";
    buf_ += ",\"latency\":";
    if (m.latency) append_seconds(buf_, *m.latency, opt_.ts_decimals);
    else buf_ += "null";
    buf_ += ",\"problems\":[";
    for (size_t i = 0; i < m.problems.size(); ++i) {
      const Problem& p = m.problems[i];
      if (i) buf_ += ',';
      buf_ += "{\"id\":";
      if (p.id.empty()) buf_ += "null";
      else append_json_string(buf_, p.id);
      buf_ += ",\"kind\":";
      append_json_string(buf_, kind_name(p.kind));
      buf_ += ",\"severity\":";
      append_json_string(buf_, severity_name(severity_of(p.kind)));
      buf_ += ",\"offset\":" + std::to_string(p.offset) + ",\"length\":" + std::to_string(p.length) + ",\"text\":";
      append_json_string(buf_, p.text);
      buf_ += '}';
    }
    buf_ += "]}\n";
  }

  void event_line(const SessionOut& s, const EventOut& e) {
    common("event", s);
    buf_ += ",\"ts\":";
    ts(e.ts);
    buf_ += ",\"kind\":";
    append_json_string(buf_, entry_kind_name(e.kind));
    buf_ += ",\"from\":";
    side_or_null(e.from);
    buf_ += ",\"text\":";
    append_json_string(buf_, e.text);
    buf_ += "}\n";
  }

  void value(const FieldDef& def, const FieldOut& f) {
    if (def.sensitive && !opt_.show_secrets) {
      append_json_string(buf_, kMasked);
      return;
    }
    switch (f.kind) {
      case FieldOut::Kind::UInt: buf_ += std::to_string(f.num); break;
      case FieldOut::Kind::Int: buf_ += std::to_string(static_cast<int32_t>(static_cast<uint32_t>(f.num))); break;
      case FieldOut::Kind::Bool: buf_ += f.num ? "true" : "false"; break;
      case FieldOut::Kind::Text: append_json_string(buf_, f.text); break;
      case FieldOut::Kind::None: buf_ += "null"; break;
    }
  }

  // Keys are the field abbrevs in order of first appearance; a field that occurs
  // more than once becomes an array of its values in PDU order.
  void fields(const Protocol& p, const std::vector<FieldOut>& fs) {
    slot_.assign(p.fields.size(), -1);
    groups_.clear();
    for (const FieldOut& f : fs) {
      if (f.kind == FieldOut::Kind::None) continue;  // subtrees without a value of their own
      int& s = slot_[f.id];
      if (s < 0) {
        s = static_cast<int>(groups_.size());
        groups_.emplace_back();
      }
      groups_[static_cast<size_t>(s)].push_back(&f);
    }
    buf_ += '{';
    for (size_t g = 0; g < groups_.size(); ++g) {
      const auto& vals = groups_[g];
      const FieldDef& def = p.fields[vals.front()->id];
      if (g) buf_ += ',';
      append_json_string(buf_, def.abbrev);
      buf_ += ':';
      if (vals.size() == 1) {
        value(def, *vals.front());
        continue;
      }
      buf_ += '[';
      for (size_t i = 0; i < vals.size(); ++i) {
        if (i) buf_ += ',';
        value(def, *vals[i]);
      }
      buf_ += ']';
    }
    buf_ += '}';
  }

  std::FILE* out_;
  const AppOptions& opt_;
  std::string buf_;
  std::vector<int> slot_;
  std::vector<std::vector<const FieldOut*>> groups_;
};

}  // namespace

std::unique_ptr<Writer> make_jsonl_writer(std::FILE* out, const AppOptions& opt) {
  return std::make_unique<JsonlWriter>(out, opt);
}

}  // namespace quartet::analyzer
