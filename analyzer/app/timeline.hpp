// What the analyzer keeps about one session until it is written out: owned copies
// of the decoded messages (the PDU bytes they pointed into are gone by then) and
// the network / TLS / protocol events, in the causal order they happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <absl/functional/function_ref.h>

#include "common/protocol.hpp"
#include "common/problem.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer {

struct MessageOut {
  uint64_t index = 0;  // per session, both directions, from 0 (Transition::response_to refers to it)
  TimeNs ts = 0;
  uint64_t length = 0;  // PDU bytes
  std::optional<uint64_t> response_to;
  std::optional<TimeNs> latency;
  std::vector<Problem> problems;  // decoder problems, then session-level ones
  Side from = Side::Client;
  bool is_request = false, is_response = false;
  bool announces_publisher = false;  // the session's Publisher event (the SP PUB header)

  // Short message name: "REQ", "add", "200".
  std::string_view name() const { return std::string_view(text_).substr(0, name_len_); }
  // One line for the timeline, e.g. "DEC Install handle=0x1001".
  std::string_view summary() const { return std::string_view(text_).substr(name_len_, summary_len_); }
  // Requests only: their row in the response-time statistics when it is not the
  // name (Decoded::kind); empty otherwise, so no copy of the name per message.
  std::string_view kind() const { return std::string_view(text_).substr(name_len_ + summary_len_, kind_len_); }
  // The fields as one JSON object (FieldsJson), rendered only for the outputs
  // that show them (JSONL, the HTML report); empty otherwise.
  std::string_view fields_json() const {
    return std::string_view(text_).substr(static_cast<size_t>(name_len_) + summary_len_ + kind_len_);
  }
  // The same, in `storage` (a string whose capacity is reused: see TimelineSpill::take_text).
  void set_text_in(std::string&& storage, std::string_view name, std::string_view summary, std::string_view kind = {},
                   std::string_view fields_json = {}) {
    text_ = std::move(storage);
    set_text(name, summary, kind, fields_json);
  }
  // Gives up the message's text storage (the message keeps empty texts).
  std::string release_text() {
    name_len_ = summary_len_ = kind_len_ = 0;
    return std::move(text_);
  }
  void set_text(std::string_view name, std::string_view summary, std::string_view kind = {},
                std::string_view fields_json = {}) {
    text_.clear();
    text_.reserve(name.size() + summary.size() + kind.size() + fields_json.size());
    text_.append(name).append(summary).append(kind).append(fields_json);
    name_len_ = static_cast<uint32_t>(name.size());
    summary_len_ = static_cast<uint32_t>(summary.size());
    kind_len_ = static_cast<uint32_t>(kind.size());
  }

  // The request's row in the response-time statistics (Decoded::request_kind); empty for other messages.
  std::string_view request_kind() const {
    if (!is_request) return {};
    return kind().empty() ? name() : kind();
  }

 private:
  // The four texts back to back in one string: one allocation per message instead
  // of up to four, and a timeline entry half the size (an idle connection holds a few).
  std::string text_;
  uint32_t name_len_ = 0, summary_len_ = 0, kind_len_ = 0;
};

// Kinds of timeline events; their names are part of the JSONL schema.
enum class EntryKind : uint8_t {
  TcpOpen,   // first packet of the connection (with or without handshake)
  TcpFin,    // one side sent FIN
  TcpClose,  // connection finished (both FINs, idle expiry, end of capture)
  TcpReset,  // RST
  Gap,       // bytes that will never be seen
  TlsStart,  // the connection (or what follows a hand-off) is TLS
  Tls,       // something the TLS handshake shows in clear (hello, certificate, alert)
  Phase,     // the protocol session changed phase
  Info,      // other protocol-level information
  Warning,   // framing/decoding trouble, network findings
};
// A view, not a C string: the JSONL writer appends it to every event line, and
// would take its length with strlen each time.
std::string_view entry_kind_name(EntryKind k);

// An event's words. A string literal (the events every connection has: "connection
// opened (SYN seen)", "FIN from client") is kept as a pointer, any other text is
// owned: a short connection's timeline allocates nothing for its network events.
// Only a char array is taken by pointer (a `const char*` must be made a std::string
// first), and the only char arrays given are string literals.
class EventText {
 public:
  EventText() = default;
  // The length is taken here, where the compiler sees the literal and folds its
  // strlen to a constant, not in each view().
  template <size_t N>
  EventText(const char (&literal)[N])  // NOLINT: implicit, as a std::string's
      : literal_(literal), literal_size_(static_cast<uint32_t>(std::char_traits<char>::length(literal))) {}
  EventText(std::string text) : owned_(std::move(text)) {}  // NOLINT
  // Moved twice on its way into a timeline: a literal's empty string is not moved
  // (libstdc++ moves even an empty short string with a memcpy call).
  EventText(EventText&& o) noexcept
      : literal_(o.literal_),
        literal_size_(o.literal_size_),
        owned_(o.literal_ ? std::string() : std::move(o.owned_)) {}
  EventText& operator=(EventText&& o) noexcept {
    literal_ = o.literal_;
    literal_size_ = o.literal_size_;
    if (literal_) owned_.clear();
    else owned_ = std::move(o.owned_);
    return *this;
  }
  EventText(const EventText&) = default;
  EventText& operator=(const EventText&) = default;
  ~EventText() = default;
  std::string_view view() const {
    return literal_ ? std::string_view(literal_, literal_size_) : std::string_view(owned_);
  }
  // The string literal it points to (same address, same text, for the whole run); nullptr when owned.
  const char* literal() const { return literal_; }
  operator std::string_view() const { return view(); }  // NOLINT
  // The owned text, to be filled in place (its capacity reused); a literal is dropped.
  std::string& owned() {
    literal_ = nullptr;
    return owned_;
  }
  friend bool operator==(const EventText& a, std::string_view b) { return a.view() == b; }

 private:
  const char* literal_ = nullptr;
  uint32_t literal_size_ = 0;
  std::string owned_;
};

struct EventOut {
  TimeNs ts = 0;
  EntryKind kind = EntryKind::Info;
  std::optional<Side> from;
  EventText text;
};

using Entry = std::variant<MessageOut, EventOut>;

struct TlsInfo {
  bool seen = false;     // some part of the session is TLS
  bool handoff = false;  // it started after a protocol hand-off (RFC 4261, IAP Upgrade)
  std::string sni, version, cipher, subject, alpn;
  uint64_t app_records = 0, app_bytes = 0;
  bool decrypted = false;     // some records were decrypted with a key log
  std::string not_decrypted;  // why (part of) the session stayed encrypted; empty when all was decrypted
};

class TimelineSpill;
// A run of bytes in a temporary file.
struct SpillSegment {
  uint64_t offset = 0, size = 0;
};
// A session's spilled timeline: segments of the spill file (timeline_spill.hpp),
// each naming the one before it in its header, so that a session holds only
// where its last one is, whatever their number (a million idle connections spill
// a few entries each, at different moments: a list of segments per connection
// cost more than the entries it pointed to).
struct SpillChain {
  uint64_t last = 0;      // file offset of the last segment
  uint32_t segments = 0;  // 0: nothing spilled
  bool empty() const { return segments == 0; }
};

struct SessionOut {
  FlowInfo flow;
  const Protocol* protocol = nullptr;
  std::string detected_by;  // "port", "decode-as" or "heuristic"
  TimeNs start = 0, end = 0;
  // Connection state: "open" (still open at end of capture), "closed" (FIN), "reset", "expired", "dropped".
  std::string state = "open";
  std::optional<Side> closed_by;
  std::string conn_state;         // Zeek's conn_state ("SF", "S0", "REJ", "RSTO"...) from the network half
  bool handshake = false;         // SYN, SYN+ACK and ACK all seen
  std::string protocol_state;     // Session::state() at the end
  uint64_t messages[2] = {0, 0};  // indexed by Side
  uint64_t bytes[2] = {0, 0};
  uint64_t missing_bytes = 0;
  std::vector<std::string> warnings;
  uint64_t warnings_dropped = 0;  // beyond the kept maximum
  TlsInfo tls;
  // The timeline: a long session's first part is in `spill`'s file (`spilled`),
  // the rest in `entries`. Read it with for_each_entry, which streams the
  // spilled part back in bounded chunks: a session of 100,000 entries is never
  // held whole.
  const TimelineSpill* spill = nullptr;
  SpillChain spilled;
  std::vector<Entry> entries;
};

// Every timeline entry of `s`, in order (the spilled ones first, read back a chunk at
// a time; the entry is only valid during the call). Throws std::runtime_error when
// the spill file cannot be read back.
void for_each_entry(const SessionOut& s, absl::FunctionRef<void(const Entry&)> fn);

// How the client was told from the server: "handshake" (SYN sender), "syn-ack" (the SYN+ACK's
// receiver, SYN not captured) or "guess" (no handshake: well-known or lower port is the server).
inline const char* roles_name(RoleSource r) {
  switch (r) {
    case RoleSource::Handshake: return "handshake";
    case RoleSource::SynAck: return "syn-ack";
    case RoleSource::PortGuess: return "guess";
  }
  return "?";
}

inline size_t side_index(Side s) { return s == Side::Client ? 0 : 1; }
inline const char* side_name(Side s) { return s == Side::Client ? "client" : "server"; }

}  // namespace quartet::analyzer
