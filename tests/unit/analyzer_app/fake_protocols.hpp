// Two tiny protocols for driving the analyzer's application half without the
// real ones: "LEN" (binary: 2-byte big-endian total length, then a body) and
// "TXT" (text: one line per PDU). Both pair requests (client) with responses
// (server) first-in first-out; a PDU whose body is STARTTLS hands off to TLS.
#pragma once

#include <cstring>
#include <deque>
#include <string>

#include "common/protocol.hpp"
#include "common/resync.hpp"

namespace fake {

using namespace quartet;

inline constexpr FieldDef kFields[] = {
    {"body", "Body", FieldType::String},
    {"len", "Length", FieldType::UInt16, Base::Dec},
    {"password", "Password", FieldType::String, Base::None, {}, 0, nullptr, true},
    {"word", "Word", FieldType::String},
    {"blob", "Blob", FieldType::Octets},
};

// Their problems, by id like the real protocols' (ids as the descriptor's filter name "fake").
enum class ProblemId : uint16_t { kBadMessage, kResponseWithoutRequest, kRequestUnanswered };
inline constexpr ProblemDef kProblems[] = {
    {"fake.bad_message", ProblemKind::Malformed, "A bad message", ""},
    {"fake.response_without_request", ProblemKind::Sequence, "Response without request", ""},
    {"fake.request_unanswered", ProblemKind::Sequence, "Request never answered", ""},
};
inline const ProblemDef& problem_def(ProblemId id) { return kProblems[static_cast<size_t>(id)]; }

inline std::string_view body_of(Bytes pdu, size_t skip) {
  return pdu.size() >= skip ? as_text(pdu.subspan(skip)) : std::string_view();
}

inline Decoded decode_common(std::string_view body, size_t off, Direction dir) {
  Decoded d;
  d.is_request = dir == Direction::ToServer;
  d.is_response = !d.is_request;
  d.name = body.substr(0, body.find(' '));
  d.summary = std::string(body);
  d.add(0, off, body.size(), body);
  if (body.rfind("LOGIN ", 0) == 0) d.add(2, off + 6, body.size() - 6, body.substr(6));
  // every space-separated word as a repeated field
  size_t pos = 0;
  while (pos < body.size()) {
    size_t sp = body.find(' ', pos);
    if (sp == std::string_view::npos) sp = body.size();
    d.add(3, off + pos, sp - pos, body.substr(pos, sp - pos));
    pos = sp + 1;
  }
  if (body == "BAD") d.problem(ProblemId::kBadMessage, 0, 0, "a bad message");
  return d;
}

class PairingSession final : public Session {
 public:
  explicit PairingSession(Decoded (*dec)(Bytes, Direction)) : dec_(dec) {}
  std::vector<Problem> on_close() override {
    if (pending_.empty()) return {};
    return {session_problem(ProblemId::kRequestUnanswered, std::to_string(pending_.size()) + " requests unanswered")};
  }
  std::string_view state() const override { return pending_.empty() ? "idle" : "waiting"; }

 protected:
  void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& r) override {
    r.decoded = dec_(pdu, dir);
    if (dir == Direction::ToServer) {
      pending_.push_back({index, ts});
    } else if (!pending_.empty()) {
      r.transition.response_to = pending_.front().first;
      r.transition.latency = ts - pending_.front().second;
      pending_.pop_front();
    } else {
      r.transition.problem(ProblemId::kResponseWithoutRequest, "response without request");
    }
    if (r.decoded.summary == "STARTTLS" && dir == Direction::ToClient) {
      r.transition.tls_follows = true;
      r.transition.events.push_back({EventKind::TlsHandoff, "TLS handshake follows STARTTLS"});
    }
    if (r.decoded.summary == "PHASE") r.transition.events.push_back({EventKind::Phase, "data"});
  }
  void decode_into(Direction dir, Bytes pdu, Decoded& out) const override { out = dec_(pdu, dir); }

 private:
  Decoded (*dec_)(Bytes, Direction);
  std::deque<std::pair<uint64_t, TimeNs>> pending_;
};

// --- LEN ---
inline FrameResult len_frame(Bytes b) {
  if (b.size() < 2) return FrameResult::need();
  if (be8(b, 0) == 0xff) return FrameResult::invalid("bad marker");
  const uint16_t len = be16(b, 0);
  if (len < 2) return FrameResult::invalid("length below header", len);
  return len <= b.size() ? FrameResult::complete(len) : FrameResult::need(len);
}
inline Decoded len_decode(Bytes pdu, Direction dir) {
  Decoded d = decode_common(body_of(pdu, 2), 2, dir);
  d.add(1, 0, 2, uint64_t{be16(pdu, 0)});
  return d;
}
inline Probe len_probe(Bytes b) {
  if (b.empty()) return Probe::NeedMore;
  if (be8(b, 0) != 0) return Probe::No;  // our test PDUs are < 256 bytes
  if (b.size() < 3) return Probe::NeedMore;
  return be8(b, 1) >= 3 && be8(b, 2) >= 'A' && be8(b, 2) <= 'Z' ? Probe::Yes : Probe::No;
}
inline std::unique_ptr<Session> len_session() { return std::make_unique<PairingSession>(len_decode); }
inline const Protocol kLen{.filter_name = "len",
                           .short_name = "LEN",
                           .long_name = "Length-prefixed test protocol",
                           .fields = kFields,
                           .frame = len_frame,
                           .decode = len_decode,
                           .probe = len_probe,
                           .new_session = len_session};  // no resync hook, like SP
// The same with a resync hook that tries every byte, like COPS.
inline const Protocol kLenResync = [] {
  Protocol p = kLen;
  p.filter_name = "lenr";
  p.short_name = "LENR";
  p.resync = resync_at_any_byte<len_probe>;
  return p;
}();

inline std::string len_pdu(std::string_view body) {
  std::string s(2, '\0');
  s[0] = static_cast<char>((body.size() + 2) >> 8);
  s[1] = static_cast<char>((body.size() + 2) & 0xff);
  return s + std::string(body);
}

// --- TXT ---
inline FrameResult txt_frame(Bytes b) {
  std::string_view t = as_text(b);
  if (!t.empty() && t[0] == '!') return FrameResult::invalid("line starts with !");
  size_t nl = t.find('\n');
  return nl == std::string_view::npos ? FrameResult::need() : FrameResult::complete(nl + 1);
}
inline Decoded txt_decode(Bytes pdu, Direction dir) {
  std::string_view t = as_text(pdu);
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
  return decode_common(t, 0, dir);
}
inline Probe txt_probe(Bytes b) {
  if (b.empty()) return Probe::NeedMore;
  const auto c = static_cast<char>(b[0]);
  return c >= 'A' && c <= 'Z' ? Probe::Yes : Probe::No;
}
inline std::unique_ptr<Session> txt_session() { return std::make_unique<PairingSession>(txt_decode); }
inline const Protocol kTxt{.filter_name = "txt",
                           .short_name = "TXT",
                           .long_name = "Line test protocol",
                           .fields = kFields,
                           .frame = txt_frame,
                           .decode = txt_decode,
                           .probe = txt_probe,
                           .new_session = txt_session,
                           .line_oriented = true,
                           .resync = resync_at_line_start<txt_probe>};

inline Bytes bytes(const std::string& s) { return as_bytes(s); }

}  // namespace fake
