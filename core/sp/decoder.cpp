#include "decoder.hpp"
#include "problems.hpp"

#include <charconv>
#include <cstring>
#include <string>

#include "../common/text.hpp"
#include "fields.hpp"
#include "framer.hpp"
#include "types.hpp"

namespace quartet::sp {

using enum Field;

namespace {

constexpr uint32_t kFinalBit = 0x80000000u;
constexpr size_t kPreviewChars = 24;

// The body is text when its first kTextCheckBytes (all of a shorter body) are
// printable ASCII or common white space. Whatever shows a body's text shows its
// start (the summary's preview, the first 2 KiB in JSON), so a 400 kB body is not
// walked to the end for it. A single trailing NUL (C strings sent with strlen + 1,
// as in many nanomsg examples) is left out of the text. Empty bodies have no text.
constexpr size_t kTextCheckBytes = 4096;

std::optional<std::string_view> printable_text(Bytes body) {
  std::string_view t = as_text(body);
  if (!t.empty() && t.back() == '\0') t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  const std::string_view checked = t.substr(0, kTextCheckBytes);
  // A block of 64 bytes is checked without a branch per byte, which the compiler
  // turns into vector compares; only the tail is checked byte by byte.
  const auto printable = [](unsigned char u) -> unsigned char {
    return (static_cast<unsigned char>(u - 0x20) < 0x5f) | (u == '\t') | (u == '\r') | (u == '\n');
  };
  const auto* p = reinterpret_cast<const unsigned char*>(checked.data());
  size_t i = 0;
  constexpr size_t kBlock = 64;
  for (; i + kBlock <= checked.size(); i += kBlock) {
    unsigned char bad = 0;  // a byte, not a bool: the reduction then vectorizes
    for (size_t k = 0; k < kBlock; ++k) bad |= static_cast<unsigned char>(printable(p[i + k]) ^ 1);
    if (bad) return std::nullopt;
  }
  for (; i < checked.size(); ++i)
    if (!printable(p[i])) return std::nullopt;
  return t;
}

// Appends ` 12 bytes "hello"` to the summary `s`.
void describe_body(std::string& s, Bytes body, std::optional<std::string_view> text) {
  char digits[24];
  s += ' ';
  s.append(digits, static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, body.size()).ptr - digits));
  s += body.size() == 1 ? " byte" : " bytes";
  if (const auto& t = text) {
    s += " \"";
    // Appended whole, then its white space blanked (appended a character at a
    // time, the preview took 1.6 times the instructions).
    const size_t at = s.size();
    s += t->substr(0, kPreviewChars);
    for (size_t i = at; i < s.size(); ++i)  // ('\t' 9, '\n' 10, '\r' 13: one test for most characters)
      if (static_cast<unsigned char>(s[i]) <= '\r' && (s[i] == '\r' || s[i] == '\n' || s[i] == '\t')) s[i] = ' ';
    s += t->size() > kPreviewChars ? "...\"" : "\"";
  }
}

void add_body(Decoded& d, size_t offset, Bytes body, std::optional<std::string_view> text) {
  d.add(kBody, offset, body.size());
  if (text) d.add(kBodyText, offset, text->size(), *text);
}

void decode_header(Bytes pdu, Decoded& d) {
  d.name = "header";
  d.open(kHeader, 0, pdu.size() < kHeaderBytes ? pdu.size() : kHeaderBytes);
  if (pdu.size() >= 3) d.add(kMagic, 0, 3);
  auto h = parse_header(pdu);
  if (!h) {
    d.close();
    d.summary = "SP header (truncated)";
    d.problem(ProblemId::kHeaderTruncated, 0, pdu.size(),
              "SP connection header truncated: " + std::to_string(pdu.size()) + " of 8 bytes");
    return;
  }
  d.add(kVersion, 3, 1, uint64_t{h->version});
  d.add(kType, 4, 2, uint64_t{h->type});
  d.add(kProtocolId, 4, 2, uint64_t{h->type} >> 4);
  d.add(kRole, 4, 2, uint64_t{h->type} & 0xfu);
  d.add(kReserved, 6, 2, uint64_t{h->reserved});
  d.close();

  const char* type_name = name_of(endpoint_type_names(), h->type);
  d.summary = "SP header " + (type_name ? std::string(type_name) : "type " + hex_number(h->type, 4));
  if (pdu.size() > kHeaderBytes)
    d.problem(ProblemId::kHeaderTrailingBytes, kHeaderBytes, pdu.size() - kHeaderBytes,
              std::to_string(pdu.size() - kHeaderBytes) + " bytes after the 8-byte SP header");
  if (h->version != 0)
    d.problem(ProblemId::kHeaderVersionUnknown, 3, 1,
              "SP header version " + std::to_string(h->version) +
                  " is unknown (only 0 exists); the peer closes the connection");
  if (!type_name) {
    uint16_t proto = static_cast<uint16_t>(h->type >> 4);
    d.problem(ProblemId::kHeaderTypeUnknown, 4, 2,
              "endpoint type " + hex_number(h->type, 4) + " is no SP socket type nanomsg or nng define" +
                  (proto >= kFirstLocalProtocolId ? " (protocol id in the local/experimental range)" : ""));
  }
  if (h->reserved != 0)
    d.problem(ProblemId::kHeaderReservedNonzero, 6, 2,
              "reserved header bytes are " + hex_number(h->reserved, 4) +
                  ", must be zero; the peer closes the connection (sp-tcp-mapping-01 section 2)");
}

// REQ/REP/SURVEYOR/RESPONDENT: the backtrace, then the body. Returns the body
// offset within the PDU, or nullopt when there is no body to show.
std::optional<size_t> decode_backtrace(Decoded& d, Bytes payload, const EndpointInfo& sender, std::string& summary_id,
                                       size_t& devices) {
  const bool request_ids = std::string_view(sender.id_kind) == "request";
  Backtrace bt = scan_backtrace(payload);
  d.open(kBacktrace, kLengthBytes, bt.terminated ? bt.stack.size() : payload.size());
  // Bounded: at most kMaxTtl hop fields, whatever the message claims.
  size_t shown_hops = 0;
  size_t hop_words = bt.terminated ? bt.words - 1 : payload.size() / 4;
  for (size_t i = 0; i < hop_words && shown_hops < kMaxTtl; ++i, ++shown_hops)
    d.add(kBacktraceHop, kLengthBytes + 4 * i, 4, uint64_t{be32(payload, 4 * i)});
  if (bt.terminated) d.add(request_ids ? kRequestId : kSurveyId, kLengthBytes + 4 * (bt.words - 1), 4, uint64_t{bt.id});
  d.close();

  if (!bt.terminated) {
    d.problem(ProblemId::kBacktraceUnterminated, kLengthBytes, payload.size(),
              payload.size() < 4 ? std::string("message too short for the 32-bit ") + sender.id_kind +
                                       " id; the receiver closes the connection"
                                 : std::string("backtrace never ends: no 32-bit word with the top bit set (") +
                                       sender.id_kind + " id) in the message; receivers drop it");
    return std::nullopt;
  }
  devices = bt.words - 1;
  summary_id = std::string(" id=") + hex_number(bt.id, 8);
  if (bt.words > kMaxTtl)
    d.problem(ProblemId::kBacktraceTtlExceeded, kLengthBytes, bt.stack.size(),
              "backtrace of " + std::to_string(bt.words) + " words exceeds the maximum TTL of " +
                  std::to_string(kMaxTtl) + "; receivers drop the message");
  return kLengthBytes + bt.stack.size();
}

// Old surveyor (0x60/0x61): "without the backtrace headers" (sp-surveyor-01
// section 8). The old nanomsg surveyor kept a 32-bit survey id in front of the
// body with no top-bit rule; we show that word as the survey id.
std::optional<size_t> decode_legacy_id(Decoded& d, Bytes payload, std::string& summary_id) {
  if (payload.size() < 4) {
    d.problem(ProblemId::kSurveyIdMissing, kLengthBytes, payload.size(), "message too short for the 32-bit survey id");
    return std::nullopt;
  }
  uint32_t id = be32(payload, 0);
  d.add(kSurveyId, kLengthBytes, 4, uint64_t{id});
  summary_id = " id=" + hex_number(id, 8);
  return kLengthBytes + 4;
}

// PAIR v1: one word, low byte = hop count (nng closes the pipe when the upper
// 24 bits are not zero and drops messages with more hops than its TTL).
std::optional<size_t> decode_hop_count(Decoded& d, Bytes payload, std::string& summary_hops) {
  if (payload.size() < 4) {
    d.problem(ProblemId::kPairHopsMissing, kLengthBytes, payload.size(),
              "PAIR v1 message too short for its 32-bit hop count; nng closes the connection");
    return std::nullopt;
  }
  uint32_t word = be32(payload, 0);
  uint32_t hops = word & 0xffu;
  d.add(kHops, kLengthBytes, 4, uint64_t{hops});
  d.add(kHopsReserved, kLengthBytes, 4, uint64_t{word >> 8});
  summary_hops = " hops=" + std::to_string(hops);
  if (word >> 8)
    d.problem(
        ProblemId::kPairReservedNonzero, kLengthBytes, 4,
        "PAIR v1 header " + hex_number(word, 8) + ": bits above the hop count must be zero; nng closes the connection");
  else if (hops == 0)
    d.problem(ProblemId::kPairHopsZero, kLengthBytes + 3, 1,
              "PAIR v1 hop count 0: every sender counts itself (1 on a direct link)");
  else if (hops > kMaxTtl)
    d.problem(ProblemId::kPairTtlExceeded, kLengthBytes + 3, 1,
              "PAIR v1 hop count " + std::to_string(hops) + " exceeds the maximum TTL of " + std::to_string(kMaxTtl) +
                  "; nng drops the message");
  return kLengthBytes + 4;
}

void decode_message(Bytes pdu, std::optional<uint16_t> sender_type, Decoded& d) {
  d.name = "MSG";
  if (pdu.size() < kLengthBytes) {
    d.summary = "SP message (truncated)";
    d.problem(ProblemId::kMessageLengthShort, 0, pdu.size(), "SP message shorter than its 8-byte length field");
    return;
  }
  uint64_t declared = be64(pdu, 0);
  Bytes payload = message_payload(pdu);
  d.add(kLength, 0, kLengthBytes, declared);
  if (declared > payload.size())
    d.problem(ProblemId::kMessageTruncated, 0, kLengthBytes,
              "message truncated: length says " + std::to_string(declared) + " bytes, " +
                  std::to_string(payload.size()) + " present");
  else if (pdu.size() > kLengthBytes + declared)
    d.problem(ProblemId::kMessageTrailingBytes, kLengthBytes + payload.size(),
              pdu.size() - kLengthBytes - payload.size(),
              std::to_string(pdu.size() - kLengthBytes - payload.size()) + " bytes after the message end");

  const EndpointInfo* sender = sender_type ? endpoint_info(*sender_type) : nullptr;
  if (!sender) {
    // Sender unknown (no header seen, or a type we do not know): the protocol
    // header cannot be told from the body, so the payload is shown whole.
    d.add(kPayload, kLengthBytes, payload.size());
    d.summary = "SP message";
    describe_body(d.summary, payload, printable_text(payload));
    return;
  }

  d.name = sender->message_name;
  d.is_request = sender->sends_requests;
  d.is_response = sender->sends_responses;
  if (sender->never_sends)
    d.problem(ProblemId::kMessageFromSilentSocket, 0, pdu.size(),
              std::string(sender->name) + " sockets never send messages");

  std::string id_text, hops_text;
  size_t devices = 0;
  std::optional<size_t> body_at;
  switch (sender->header) {
    case MessageHeader::None: body_at = kLengthBytes; break;
    case MessageHeader::Backtrace: body_at = decode_backtrace(d, payload, *sender, id_text, devices); break;
    case MessageHeader::LegacyId: body_at = decode_legacy_id(d, payload, id_text); break;
    case MessageHeader::HopCount: body_at = decode_hop_count(d, payload, hops_text); break;
  }
  d.summary.assign(d.name).append(id_text).append(hops_text);
  if (devices) d.summary.append(" via ").append(std::to_string(devices)).append(devices == 1 ? " device" : " devices");
  if (body_at) {
    Bytes body = pdu.subspan(*body_at, kLengthBytes + payload.size() - *body_at);
    const auto text = printable_text(body);  // walks the body once, for the field and the summary
    add_body(d, *body_at, body, text);
    describe_body(d.summary, body, text);
  } else {
    d.summary += " (malformed)";
  }
}

}  // namespace

std::optional<ConnectionHeader> parse_header(Bytes pdu) {
  if (pdu.size() < kHeaderBytes || !looks_like_header(pdu)) return std::nullopt;
  return ConnectionHeader{be8(pdu, 3), be16(pdu, 4), be16(pdu, 6)};
}

Bytes message_payload(Bytes pdu) {
  if (pdu.size() < kLengthBytes) return {};
  uint64_t declared = be64(pdu, 0);
  size_t present = pdu.size() - kLengthBytes;
  return pdu.subspan(kLengthBytes, declared < present ? static_cast<size_t>(declared) : present);
}

Backtrace scan_backtrace(Bytes payload) {
  Backtrace bt;
  for (size_t off = 0; off + 4 <= payload.size(); off += 4) {
    ++bt.words;
    uint32_t w = be32(payload, off);
    if (w & kFinalBit) {
      bt.terminated = true;
      bt.id = w;
      bt.stack = payload.first(off + 4);
      return bt;
    }
  }
  return bt;
}

void decode_as(Bytes pdu, std::optional<uint16_t> sender_type, Decoded& d) {
  d.clear();
  if (looks_like_header(pdu)) decode_header(pdu, d);
  else decode_message(pdu, sender_type, d);
}

Decoded decode_as(Bytes pdu, std::optional<uint16_t> sender_type) {
  Decoded d;
  decode_as(pdu, sender_type, d);
  return d;
}

Decoded decode(Bytes pdu, Direction) { return decode_as(pdu, std::nullopt); }

}  // namespace quartet::sp
