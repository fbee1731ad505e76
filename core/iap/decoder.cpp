#include "decoder.hpp"
#include "problems.hpp"

#include <string>

#include "../common/lines.hpp"
#include "syntax.hpp"

namespace quartet::iap {

using enum Field;

namespace {

// The headers the draft defines, one bit each, to check which message carries which.
enum KnownBit : unsigned {
  kBitVia = 1,
  kBitUpgrade = 2,
  kBitIapVersion = 4,
  kBitIapRole = 8,
  kBitContentType = 16,
  kBitContentLength = 32,
  kBitTransferEncoding = 64,
};
struct KnownHeader {
  std::string_view name;
  unsigned bit;
};
constexpr KnownHeader kKnown[] = {
    {"Via", kBitVia},
    {"Upgrade", kBitUpgrade},
    {"IAP-Version", kBitIapVersion},
    {"IAP-Role", kBitIapRole},
    {"Content-Type", kBitContentType},
    {"Content-Length", kBitContentLength},
    {"Transfer-Encoding", kBitTransferEncoding},
};

unsigned known_bit(std::string_view name) {
  for (const auto& k : kKnown)
    if (iequals(k.name, name)) return k.bit;
  return 0;
}
std::string_view known_name(unsigned bit) {
  for (const auto& k : kKnown)
    if (k.bit == bit) return k.name;
  return "?";
}

// Which of the draft's headers each message of section 4.3 is made of.
unsigned allowed_headers(MsgType t) {
  switch (t) {
    case MsgType::ConnectRequest:
    case MsgType::Response: return kBitVia;
    case MsgType::UpgradeRequest: return kBitUpgrade;
    case MsgType::ChannelSetup: return kBitIapVersion | kBitIapRole;
    case MsgType::Content: return kBitContentType | kBitContentLength | kBitTransferEncoding;
    case MsgType::Unknown: break;
  }
  return ~0u;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

class Decoder {
 public:
  Decoder(std::string_view buf, Decoded& d, Message& m) : buf_(buf), d_(d), m_(m) {}

  void run() {
    Layout l = scan(buf_, true);
    size_t header_limit = l.header_end;
    if (l.status == FrameResult::Status::Invalid) {
      d_.problem(ProblemId::kMessageFraming, header_limit, buf_.size() - header_limit, std::string(l.reason));
    }
    if (l.start > 0)
      d_.problem(ProblemId::kMessageLeadingBlankLines, 0, l.start,
                 plural(l.start, "byte", "bytes") + " of blank lines before the message");

    LineCursor cur(buf_.substr(0, header_limit), l.start);
    while (auto line = cur.next()) read_line(*line);
    if (bare_lf_) d_.problem(ProblemId::kMessageBareLf, 0, 0, "lines end in a bare LF instead of CRLF");

    m_.type = classify_message();
    if (!m_.via.empty()) {
      d_.add(kViaCount, first_via_offset_, 0, uint64_t{m_.via.size()});
      find_loop();
    }
    if (l.status != FrameResult::Status::Invalid) body(l);
    check_message();
    d_.prepend(kType, l.start, 0, uint64_t{static_cast<uint8_t>(m_.type)});
    describe();
  }

 private:
  size_t off(std::string_view sub) const { return static_cast<size_t>(sub.data() - buf_.data()); }

  void read_line(const Line& line) {
    bare_lf_ |= line.bare_lf;
    LineKind kind = classify(line.text);
    std::string_view item = line.text;
    if (kind == LineKind::Versioned) {
      VersionedLine v = split_version(line.text);
      if (first_) {
        m_.version = v.version;
        d_.add(kVersion, line.offset, v.version.size(), v.version);
        prefixed_ = true;
      } else if (!m_.version.empty() && v.version != m_.version) {
        d_.problem(
            ProblemId::kMessageVersionMixed, line.offset, v.version.size(),
            "line carries " + std::string(v.version) + " but the message started with " + std::string(m_.version));
      }
      item = v.item;
    }
    bool first = first_;
    first_ = false;
    if (first && kind == LineKind::Versioned && start_line(item)) return;
    auto h = split_header(item);
    if (kind == LineKind::Text || !h) {
      d_.add(kLine, line.offset, line.text.size(), line.text);
      d_.problem(ProblemId::kMessageLineInvalid, line.offset, line.text.size(),
                 "not an IAP line: \"" + std::string(line.text.substr(0, 40)) + "\"");
      return;
    }
    // The draft's BNF (4.3.4) writes the IAP-Role line without the version prefix
    // while its transcript (4.4) prefixes it; every other setup line is prefixed.
    if (prefixed_ && kind == LineKind::Header && !iequals(h->name, "IAP-Role"))
      d_.problem(ProblemId::kMessagePrefixMissing, line.offset, line.text.size(),
                 std::string(h->name) + " line without the " + std::string(m_.version) + " prefix of the other lines");
    header(*h, line);
  }

  // "CONNECT host" or "NNN [text]" on the first line; false when it is a header.
  bool start_line(std::string_view item) {
    if (item.size() >= 7 && iequals(item.substr(0, 7), "CONNECT") && (item.size() == 7 || item[7] == ' ')) {
      std::string_view method = item.substr(0, 7);
      std::string_view host = trim(item.substr(7));
      d_.add(kMethod, off(method), method.size(), method);
      if (host.empty()) {
        d_.problem(ProblemId::kConnectNoHost, off(method), method.size(), "CONNECT without a host");
      } else {
        d_.add(kHost, off(host), host.size(), host);
        m_.host = host;
      }
      connect_ = true;
      return true;
    }
    if (item.size() >= 3 && is_digit(item[0]) && is_digit(item[1]) && is_digit(item[2]) &&
        (item.size() == 3 || item[3] == ' ')) {
      auto code = static_cast<uint16_t>((item[0] - '0') * 100 + (item[1] - '0') * 10 + (item[2] - '0'));
      m_.status = code;
      d_.add(kStatusCode, off(item), 3, uint64_t{code});
      std::string_view text = trim(item.substr(3));
      if (!text.empty()) {
        d_.add(kStatusText, off(text), text.size(), text);
        status_text_ = text;
      }
      if (!name_of(status_names(), code))
        d_.problem(ProblemId::kResponseStatusUnknown, off(item), 3,
                   "status code " + std::to_string(code) + " is no HTTP/1.1 code");
      return true;
    }
    return false;
  }

  void header(const HeaderLine& h, const Line& line) {
    unsigned bit = known_bit(h.name);
    if (bit != 0 && bit != kBitVia && (seen_ & bit))
      d_.problem(ProblemId::kHeaderRepeated, line.offset, line.text.size(),
                 "repeated " + std::string(known_name(bit)) + " header");
    seen_ |= bit;
    size_t vo = off(h.value);
    size_t vl = h.value.size();
    switch (bit) {
      case kBitVia:
        if (h.value.empty()) {
          d_.problem(ProblemId::kViaNoHost, line.offset, line.text.size(), "Via without a host");
          return;
        }
        if (m_.via.empty()) first_via_offset_ = vo;
        m_.via.push_back(h.value);
        d_.add(kVia, vo, vl, h.value);
        return;
      case kBitUpgrade:
        m_.upgrade = h.value;
        d_.add(kUpgrade, vo, vl, h.value);
        return;
      case kBitIapVersion:
        m_.iap_version = h.value;
        d_.add(kIapVersion, vo, vl, h.value);
        return;
      case kBitIapRole:
        if (iequals(h.value, "Sender")) {
          m_.role = Role::Sender;
        } else if (iequals(h.value, "Receiver")) {
          m_.role = Role::Receiver;
        } else {
          d_.problem(ProblemId::kRoleUnknown, vo, vl,
                     "IAP-Role \"" + std::string(h.value) + "\" is neither Sender nor Receiver");
          generic(h, line);
          return;
        }
        d_.add(kRole, vo, vl, uint64_t{static_cast<uint8_t>(*m_.role)});
        return;
      case kBitContentType:
        m_.content_type = h.value;
        d_.add(kContentType, vo, vl, h.value);
        return;
      case kBitTransferEncoding:
        d_.add(kTransferEncoding, vo, vl, h.value);
        if (is_chunked(h.value)) m_.chunked = true;
        else
          d_.problem(ProblemId::kTransferEncodingUnknown, vo, vl,
                     "Transfer-Encoding \"" + std::string(h.value) +
                         "\": only chunked is defined (draft 4.2 imports Chunked-Body)");
        return;
      case kBitContentLength: {
        LengthValue v = parse_length(h.value);
        if (v.status == LengthValue::Status::Ok) {
          m_.content_length = v.value;
          d_.add(kContentLength, vo, vl, v.value);
        } else {
          generic(h, line);  // scan() has reported why it cannot be framed
        }
        return;
      }
      default: generic(h, line);
    }
  }

  void generic(const HeaderLine& h, const Line& line) {
    d_.open(kHeader, line.offset, line.text.size());
    d_.add(kHeaderName, off(h.name), h.name.size(), h.name);
    if (!h.value.empty()) d_.add(kHeaderValue, off(h.value), h.value.size(), h.value);
    d_.close();
  }

  MsgType classify_message() const {
    if (connect_) return MsgType::ConnectRequest;
    if (m_.status) return MsgType::Response;
    if (seen_ & (kBitContentType | kBitContentLength | kBitTransferEncoding)) return MsgType::Content;
    if (seen_ & (kBitIapVersion | kBitIapRole)) return MsgType::ChannelSetup;
    if (seen_ & kBitUpgrade) return MsgType::UpgradeRequest;
    return MsgType::Unknown;
  }

  // Draft 3.1: a proxy must not relay a request whose Via chain already names it;
  // a name seen twice (or the CONNECT target seen as a proxy) is such a loop.
  void find_loop() {
    for (size_t i = 0; i < m_.via.size() && m_.loop_host.empty(); ++i) {
      if (!m_.host.empty() && iequals(m_.via[i], m_.host)) m_.loop_host = m_.via[i];
      for (size_t j = 0; j < i && m_.loop_host.empty(); ++j)
        if (iequals(m_.via[i], m_.via[j])) m_.loop_host = m_.via[i];
    }
    if (!m_.loop_host.empty())
      d_.problem(ProblemId::kViaLoop, off(m_.loop_host), m_.loop_host.size(),
                 "proxy loop: " + std::string(m_.loop_host) + " appears twice on the Via path (draft 3.1: answer 502)");
  }

  void body(const Layout& l) {
    if (m_.chunked && m_.content_length)
      d_.problem(ProblemId::kContentLengthAndChunked, 0, 0,
                 "both Content-Length and Transfer-Encoding: chunked; Content-Length governs");
    if (l.chunked && l.body_start > 0) {
      chunks(l);
      return;
    }
    if (!m_.content_length) {
      if (l.status == FrameResult::Status::NeedMore && m_.chunked)
        d_.problem(ProblemId::kMessageHeaderUnterminated, l.header_end, buf_.size() - l.header_end,
                   "truncated: the header block of a chunked message has no end");
      else if (l.status == FrameResult::Status::NeedMore)
        d_.problem(ProblemId::kMessageHeaderUnterminated, l.header_end, buf_.size() - l.header_end,
                   "truncated: the header block has no end (no blank line)");
      else if (l.length < buf_.size())
        d_.problem(ProblemId::kMessageTrailingBytes, l.length, buf_.size() - l.length,
                   plural(buf_.size() - l.length, "byte", "bytes") + " after the end of the message");
      return;
    }
    uint64_t declared = *m_.content_length;
    if (l.status == FrameResult::Status::NeedMore) {
      size_t start = l.body_start != 0 ? l.body_start : l.header_end;
      size_t have = start < buf_.size() ? buf_.size() - start : 0;
      if (have > declared) have = static_cast<size_t>(declared);
      if (have > 0) d_.add(kBody, start, have);
      d_.problem(ProblemId::kContentTruncated, start, have,
                 "truncated: body has " + std::to_string(have) + " of the " + std::to_string(declared) +
                     " bytes Content-Length declares");
      return;
    }
    auto n = static_cast<size_t>(declared);
    d_.add(kBody, l.body_start, n);
    m_.body_length = n;
    trailer(l);
  }

  // Draft 4.3.5 puts CRLF CRLF after the body; a missing one points at a bad length.
  void trailer(const Layout& l) {
    size_t end = l.body_end;
    size_t n = l.body_end - l.body_start;
    if (l.chunked) {
      // The last chunk ends in its own blank line; a sender may stop there.
    } else if (l.trailer_lines == 0)
      d_.problem(ProblemId::kContentNoCrlf, end, 0,
                 "no CRLF after the " + std::to_string(n) + "-byte body: Content-Length may be wrong");
    else if (l.trailer_lines == 1)
      d_.problem(ProblemId::kContentSingleLineEnd, end, l.trailer,
                 "body followed by one line end instead of CRLF CRLF");
    if (l.length < buf_.size())
      d_.problem(ProblemId::kMessageTrailingBytes, l.length, buf_.size() - l.length,
                 plural(buf_.size() - l.length, "byte", "bytes") + " after the end of the message");
  }

  void chunks(const Layout& l) {
    size_t pos = l.body_start;
    bool done = false;
    while (!done) {
      Chunk c = next_chunk(buf_, pos);
      if (c.status != FrameResult::Status::Complete) break;
      size_t end = c.end;
      d_.open(kChunk, c.start, end - c.start);
      d_.add(kChunkSize, c.start, c.data - c.start, c.size);
      if (c.size > 0) d_.add(kChunkData, c.data, static_cast<size_t>(c.size));
      d_.close();
      m_.body_length += c.size;
      pos = end;
      done = c.last;
    }
    if (l.status != FrameResult::Status::Complete) {
      d_.problem(ProblemId::kContentTruncated, pos, buf_.size() - pos, "truncated: the chunked body has no last chunk");
      return;
    }
    trailer(l);
  }

  void check_message() {
    if (!m_.version.empty()) {
      if (!well_formed_version(m_.version))
        d_.problem(ProblemId::kMessageVersionInvalid, off(m_.version), m_.version.size(),
                   "bad version \"" + std::string(m_.version) + "\" (want IAP/major.minor)");
      else if (m_.version != kDraftVersion)
        d_.problem(ProblemId::kMessageVersionUnknown, off(m_.version), m_.version.size(),
                   std::string(m_.version) + " is not the draft's " + std::string(kDraftVersion));
    }
    if (m_.type == MsgType::Unknown) {
      d_.problem(ProblemId::kMessageTypeUnknown, 0, buf_.size(),
                 "neither CONNECT, a response, Upgrade, channel setup nor content");
      return;
    }
    unsigned foreign = seen_ & ~allowed_headers(m_.type);
    for (const auto& k : kKnown)
      if (foreign & k.bit)
        d_.problem(ProblemId::kHeaderNotAllowed, 0, 0,
                   std::string(k.name) + " header does not belong in a " +
                       name_of(type_names(), static_cast<uint8_t>(m_.type)));
    bool setup = m_.type != MsgType::Content;
    if (setup && m_.version.empty())
      d_.problem(ProblemId::kMessageSetupPrefixMissing, 0, 0, "setup message without the IAP/0.3 prefix (draft 4)");
    switch (m_.type) {
      case MsgType::UpgradeRequest:
        if (!iequals(m_.upgrade, "TLS/1.0"))
          d_.problem(ProblemId::kUpgradeUnknown, off(m_.upgrade), m_.upgrade.size(),
                     "Upgrade to \"" + std::string(m_.upgrade) + "\": the draft defines only TLS/1.0");
        break;
      case MsgType::ChannelSetup:
        if (!(seen_ & kBitIapVersion))
          d_.problem(ProblemId::kChannelNoVersion, 0, 0, "channel setup without IAP-Version (4.3.4)");
        if (!(seen_ & kBitIapRole))
          d_.problem(ProblemId::kChannelNoRole, 0, 0, "channel setup without IAP-Role (4.3.4)");
        if (!m_.iap_version.empty() && !m_.version.empty() &&
            m_.version.substr(m_.version.find('/') + 1) != m_.iap_version)
          d_.problem(ProblemId::kVersionMismatch, off(m_.iap_version), m_.iap_version.size(),
                     "version mismatch: IAP-Version " + std::string(m_.iap_version) + " in a message sent as " +
                         std::string(m_.version));
        break;
      case MsgType::Content:
        if (!(seen_ & kBitContentType))
          d_.problem(ProblemId::kContentNoType, 0, 0, "content without Content-Type (4.3.5)");
        if (!(seen_ & kBitContentLength) && !m_.chunked)
          d_.problem(ProblemId::kContentNoLength, 0, 0,
                     "content without Content-Length (4.1: the length must precede the alert)");
        break;
      default: break;
    }
  }

  std::string via_suffix() const {
    if (m_.via.empty()) return {};
    std::string s = " via " + plural(m_.via.size(), "proxy", "proxies");
    if (!m_.loop_host.empty()) s += " (loop)";
    return s;
  }

  void describe() {
    switch (m_.type) {
      case MsgType::ConnectRequest:
        d_.name = "CONNECT";
        d_.summary = "CONNECT " + std::string(m_.host) + via_suffix();
        d_.is_request = true;
        break;
      case MsgType::Response:
        d_.name = d_.keep(std::to_string(*m_.status));
        d_.summary = std::string(d_.name) + " " +
                     std::string(status_text_.empty() ? status_meaning(*m_.status) : status_text_) + via_suffix();
        d_.is_response = true;
        break;
      case MsgType::UpgradeRequest:
        d_.name = "Upgrade";
        d_.summary = "Upgrade " + std::string(m_.upgrade);
        d_.is_request = true;
        break;
      case MsgType::ChannelSetup:
        d_.name = "channel-setup";
        d_.summary = "Channel setup IAP-Version " + std::string(m_.iap_version.empty() ? "?" : m_.iap_version) +
                     ", role " +
                     (m_.role ? name_of(def_of(fields(), kRole).names, static_cast<uint8_t>(*m_.role)) : "?");
        d_.is_request = true;
        break;
      case MsgType::Content: {
        d_.name = "content";
        bool alert = iequals(m_.content_type, "application/x-idef-alert");
        d_.summary = std::string(alert ? "Alert " : "Content ") +
                     std::string(m_.content_type.empty() ? "(no type)" : m_.content_type) + " ";
        if (m_.content_length) d_.summary += plural(static_cast<size_t>(*m_.content_length), "byte", "bytes");
        else if (m_.chunked) d_.summary += plural(static_cast<size_t>(m_.body_length), "byte", "bytes") + " chunked";
        else d_.summary += "(no length)";
        d_.is_request = true;
        break;
      }
      case MsgType::Unknown:
        d_.name = "unknown";
        d_.summary = "Unknown IAP message";
        break;
    }
  }

  std::string_view buf_;
  Decoded& d_;
  Message& m_;
  bool first_ = true;
  bool prefixed_ = false;
  bool connect_ = false;
  bool bare_lf_ = false;
  unsigned seen_ = 0;
  size_t first_via_offset_ = 0;
  std::string_view status_text_;
};

}  // namespace

std::string_view status_meaning(uint16_t code) {
  const char* n = name_of(status_names(), code);
  return n ? n : "Unknown";
}

void parse(Bytes pdu, Direction, Decoded& d, Message& m) {
  d.clear();
  std::vector<std::string_view> via = std::move(m.via);
  via.clear();
  m = Message{};
  m.via = std::move(via);  // capacity kept
  Decoder(as_text(pdu), d, m).run();
}

using Forms = ParseForms<Message, static_cast<void (*)(Bytes, Direction, Decoded&, Message&)>(parse)>;
Parsed<Message> parse(Bytes pdu, Direction dir) { return Forms::parsed(pdu, dir); }
void decode(Bytes pdu, Direction dir, Decoded& d) { Forms::decode(pdu, dir, d); }
Decoded decode(Bytes pdu, Direction dir) { return Forms::decoded(pdu, dir); }

}  // namespace quartet::iap
