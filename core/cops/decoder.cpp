// One COPS message: common header, the object chain with its length/padding
// checks, the RFC 2748 section 3 grammar, and the one-line summary.
#include <charconv>
#include <string>
#include <string_view>

#include "../common/text.hpp"
#include "fields.hpp"
#include "layout.hpp"
#include "decoder.hpp"
#include "names.hpp"
#include "objects.hpp"
#include "packetcable/decoder.hpp"
#include "packetcable/gates.hpp"
#include "packetcable/names.hpp"
#include "packetcable/validate.hpp"
#include "validate.hpp"
#include "problems.hpp"

namespace quartet::cops {

using enum Field;
using namespace std::string_view_literals;

namespace {

constexpr size_t kHeaderLen = 8;
constexpr size_t kObjHeaderLen = 4;

void decode_header(Bytes pdu, Decoded& d, Message& m) {
  size_t have = pdu.size() < kHeaderLen ? pdu.size() : kHeaderLen;
  d.open(kHeader, 0, have);
  if (have >= 1) {
    uint8_t b0 = be8(pdu, 0);
    m.version = b0 >> 4;
    m.flags = b0 & 0x0f;
    d.add(kHeaderVersion, 0, 1, uint64_t{m.version});
    d.add(kHeaderFlags, 0, 1, uint64_t{m.flags});
    d.add(kHeaderSolicited, 0, 1, uint64_t{m.flags & 1u});
  }
  if (have >= 2) {
    m.opcode = be8(pdu, 1);
    d.add(kHeaderOpcode, 1, 1, uint64_t{m.opcode});
  }
  if (have >= 4) {
    m.client_type = be16(pdu, 2);
    d.add(kHeaderClientType, 2, 2, uint64_t{m.client_type});
  }
  if (have >= 8) {
    m.length = be32(pdu, 4);
    d.add(kHeaderLength, 4, 4, uint64_t{m.length});
    m.has_header = true;
  }
  d.close();

  if (!m.has_header) {
    d.problem(ProblemId::kHeaderTruncated, 0, pdu.size(),
              "truncated common header: " + std::to_string(pdu.size()) + " of 8 bytes");
  }
  if (have >= 1 && m.version != 1)
    d.problem(ProblemId::kHeaderVersionInvalid, 0, 1,
              "COPS version " + std::to_string(m.version) + " (RFC 2748 2.1: must be 1)");
  if (have >= 1 && (m.flags & 0x0e))
    d.problem(ProblemId::kHeaderFlagsUndefined, 0, 1, "undefined header flag bits set (RFC 2748 2.1)");
  if (have >= 2 && !opcode_abbrev(m.opcode))
    d.problem(ProblemId::kHeaderOpcodeUnknown, 1, 1, "unknown op-code " + std::to_string(m.opcode));
}

// Whether a plausible object header starts at `at`: used to tell an unpadded
// object (next header right after it) from one followed by junk padding.
bool plausible_object(Bytes pdu, size_t at, size_t end) {
  if (at + kObjHeaderLen > end) return false;
  size_t len = be16(pdu, at);
  return len >= kObjHeaderLen && len <= end - at && object_name(be8(pdu, at + 2), be8(pdu, at + 3));
}

void decode_objects(Bytes pdu, size_t end, Direction dir, Decoded& d, Message& m) {
  ObjectContext ctx{m.opcode, m.client_type, dir};
  size_t p = kHeaderLen;
  while (p < end) {
    size_t left = end - p;
    if (left < kObjHeaderLen) {
      d.problem(ProblemId::kObjectTrailingBytes, p, left,
                std::to_string(left) + " trailing byte(s), too short for an object header");
      d.add(kObjectData, p, left);
      return;
    }
    size_t olen = be16(pdu, p);
    uint8_t cnum = be8(pdu, p + 2), ctype = be8(pdu, p + 3);
    const char* name = object_name(cnum, ctype);
    bool truncated = olen > left;
    size_t shown = olen < kObjHeaderLen ? kObjHeaderLen : truncated ? left : olen;
    // A static name: the field shows it without a copy.
    const std::string_view label = name ? name : "Unknown object";
    size_t group = d.open(kObject, p, shown, FieldValue(label));
    d.add(kObjectLength, p, 2, uint64_t{olen});
    d.add(kObjectCNum, p + 2, 1, uint64_t{cnum});
    d.add(kObjectCType, p + 3, 1, uint64_t{ctype});
    m.objects.push_back({cnum, ctype, static_cast<uint32_t>(p), static_cast<uint32_t>(olen)});

    if (olen < kObjHeaderLen) {
      d.problem(ProblemId::kObjectLengthTooSmall, p, 2,
                olen == 0 ? std::string("object length 0: the rest of the message cannot be walked")
                          : "object length " + std::to_string(olen) + " is below the 4-byte object header");
      d.close();
      if (p + kObjHeaderLen < end) d.add(kObjectData, p + kObjHeaderLen, end - p - kObjHeaderLen);
      return;
    }
    if (truncated)
      d.problem(ProblemId::kObjectLengthPastEnd, p, 2,
                std::string(label) + " length " + std::to_string(olen) + " runs past the end of the message (" +
                    std::to_string(left) + " bytes left)");

    size_t co = p + kObjHeaderLen, cl = shown - kObjHeaderLen;
    if (!cnum_known(cnum)) {
      d.problem(ProblemId::kObjectCnumUnknown, p + 2, 1, "unknown C-Num " + std::to_string(cnum));
      d.add(kObjectData, co, cl);
    } else if (!name) {
      d.problem(ProblemId::kObjectCtypeUnknown, p + 3, 1,
                "unknown C-Type " + std::to_string(ctype) + " for " + name_of(cnum_names(), cnum) + " (C-Num " +
                    std::to_string(cnum) + ")");
      d.add(kObjectData, co, cl);
    } else {
      size_t used = decode_object_contents(ctx, pdu, cnum, ctype, co, cl, d, m);
      if (!truncated) check_leftover(d, pdu, co, cl, used, kObjHeaderLen, label);
    }
    if (truncated) {
      d.close();
      return;
    }

    size_t padded = align4(olen);
    size_t pad = padded - olen;
    if (pad == 0) {
      d.close();
      p += olen;
      continue;
    }
    if (padded > left) {  // the message ends inside the padding
      d.problem(ProblemId::kObjectPaddingMissing, p + olen, left - olen,
                std::string(label) + " is not padded to a 32-bit boundary before the end of the message");
      if (left > olen) d.add(kObjectPadding, p + olen, left - olen);
      d.close();
      return;
    }
    // No padding at all when the next object header sits right after the
    // object and nothing sensible starts at the padded position.
    if (plausible_object(pdu, p + olen, end) &&
        (!all_zero(pdu, p + olen, pad) || (padded < end && !plausible_object(pdu, p + padded, end)))) {
      d.problem(ProblemId::kObjectPaddingMissing, p + olen, 0,
                std::string(label) + " is not padded to a 32-bit boundary (next object follows at once)");
      d.close();
      p += olen;
      continue;
    }
    d.add(kObjectPadding, p + olen, pad);
    if (!all_zero(pdu, p + olen, pad))
      d.problem(ProblemId::kObjectPaddingNonzero, p + olen, pad, "non-zero padding after " + std::string(label));
    if (auto* g = d.field_at(group)) g->length = static_cast<uint32_t>(padded);
    d.close();
    p += padded;
  }
}

// A reused buffer for the request kind (its text then goes to the Decoded's arena).
std::string& kind_scratch() {
  thread_local std::string s;
  s.clear();
  return s;
}

std::string_view short_name(const char* n) {
  std::string_view s = n ? n : "?";
  if (auto cut = s.find(" ("); cut != std::string_view::npos) s = s.substr(0, cut);
  return s;
}

// Appends "0x" and the handle's bytes in hex (handle_hex without a temporary).
void append_handle(std::string& s, std::string_view handle) {
  if (handle.empty()) {
    s += "0x(empty)"sv;
    return;
  }
  const size_t at = s.size();
  s.resize(at + 2 + 2 * handle.size());
  char* p = s.data() + at;
  *p++ = '0';
  *p++ = 'x';
  write_hex(p, handle.data(), handle.size());
}

// Appends a number in decimal (std::to_string without a temporary).
void append_number(std::string& s, uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

// The one-line summary, written into `s` (the Decoded's reused buffer). Every piece
// is appended in place: this runs for every message, whatever else is shown.
void summary(const Message& m, std::string& s) {
  if (const char* ab = opcode_abbrev(m.opcode)) {
    s += ab;
  } else {
    s += "COPS op-code "sv;
    append_number(s, m.opcode);
  }
  // PacketCable gate commands and answers: the gate says more than the handle.
  if (m.gate && m.gate->cmd && (m.opcode == kDEC || m.opcode == kRPT)) {
    s += ' ';
    s += packetcable::summary(*m.gate);
    return;
  }
  auto handle = [&] {
    if (m.handle) {
      s += " handle="sv;
      append_handle(s, *m.handle);
    }
  };
  auto client_type = [&] {
    s += " client-type="sv;
    append_client_type_short(s, m.client_type);
  };
  switch (m.opcode) {
    case kREQ:
      handle();
      if (m.rtype) {
        s += " in context "sv;
        append_rtype_label(s, *m.rtype);
      }
      break;
    case kDEC:
      if (m.error_code) {
        s += " Error "sv;
        s += short_name(name_of(error_names(), *m.error_code));
      } else {
        for (size_t i = 0; i < m.commands.size(); ++i) {
          s += i ? ',' : ' ';
          s += short_name(name_of(decision_command_names(), m.commands[i]));
        }
      }
      handle();
      break;
    case kRPT:
      if (m.report_type) {
        s += ' ';
        s += short_name(name_of(report_type_names(), *m.report_type));
      }
      handle();
      break;
    case kDRQ:
      handle();
      if (m.reason) {
        s += " reason="sv;
        s += short_name(name_of(reason_names(), *m.reason));
      }
      break;
    case kSSQ:
    case kSSC: handle(); break;
    case kOPN:
      if (m.pep_id) {
        s += " pep-id=\""sv;
        s += *m.pep_id;
        s += '"';
      }
      client_type();
      if (m.integrity_tls) s += " Integrity-TLS"sv;
      if (m.gate && m.gate->version_major) {
        s += " version="sv;
        append_number(s, *m.gate->version_major);
        s += '.';
        append_number(s, m.gate->version_minor.value_or(0));
      }
      break;
    case kCAT:
      client_type();
      if (m.ka_timer) {
        s += " ka="sv;
        append_number(s, *m.ka_timer);
        s += 's';
      }
      if (m.acct_timer) {
        s += " acct="sv;
        append_number(s, *m.acct_timer);
        s += 's';
      }
      if (m.integrity_tls) s += " Integrity-TLS"sv;
      break;
    case kCC:
      client_type();
      if (m.error_code) {
        s += " error="sv;
        s += short_name(name_of(error_names(), *m.error_code));
      }
      break;
    default: break;
  }
}

}  // namespace

std::string handle_hex(std::string_view handle) { return handle.empty() ? "0x(empty)" : "0x" + hex_bytes(handle); }

void parse(Bytes pdu, Direction dir, Decoded& d, Message& m) {
  d.clear();
  reset(m);
  decode_header(pdu, d, m);
  if (m.has_header) {
    size_t end = pdu.size();
    if (m.length < kHeaderLen) {
      d.problem(ProblemId::kHeaderLengthTooSmall, 4, 4,
                "message length " + std::to_string(m.length) + " is below the 8-byte header");
    } else if (m.length > pdu.size()) {
      d.problem(ProblemId::kMessageTruncated, 4, 4,
                "message truncated: length says " + std::to_string(m.length) + " bytes, " + std::to_string(pdu.size()) +
                    " present");
    } else if (m.length < pdu.size()) {
      end = m.length;
      d.problem(ProblemId::kMessageTrailingBytes, end, pdu.size() - end,
                std::to_string(pdu.size() - end) + " byte(s) beyond the message length");
    }
    decode_objects(pdu, end, dir, d, m);
    if (opcode_abbrev(m.opcode)) validate_objects(m, d);
    packetcable::validate(m, d);
  }
  const char* ab = opcode_abbrev(m.opcode);
  d.name = ab ? ab : "COPS";
  if (m.has_header) summary(m, d.summary);
  else d.summary = "COPS (truncated header)";
  bool to_pdp = dir == Direction::ToServer;
  // Response times are told apart by what is asked: a REQ by its context, an OPN by its client type.
  if ((m.opcode == kREQ && m.rtype) || (m.opcode == kOPN && m.has_header)) {
    std::string& k = kind_scratch();
    k.assign(d.name);
    k += ' ';
    if (m.opcode == kREQ) append_rtype_label(k, *m.rtype);
    else append_client_type_short(k, m.client_type);
    d.kind = d.keep(k);
  }
  switch (m.opcode) {
    case kREQ:
    case kOPN: d.is_request = true; break;
    case kSSQ: d.is_request = true; break;
    case kDEC:
    case kCAT:
    case kSSC: d.is_response = true; break;
    case kRPT: d.is_response = m.solicited(); break;
    case kCC: d.is_response = !to_pdp; break;
    case kKA: (to_pdp ? d.is_request : d.is_response) = true; break;
    default: break;
  }
  // A PacketCable gate command in a DEC is also a request: the PEP answers it with an RPT
  // carrying the Ack/Err of the same Transaction ID (packetcable::GateTracker pairs them), and
  // it has its own response-time row, named after the command ("Gate-Set", "Gate-Delete").
  if (m.opcode == kDEC && m.gate && m.gate->cmd && m.gate->trans_id &&
      packetcable::is_command(m.gate->pcmm(), *m.gate->cmd)) {
    d.is_request = true;
    d.kind = d.keep(packetcable::cmd_label(m.gate->pcmm(), *m.gate->cmd));
  }
}

using Forms = ParseForms<Message, static_cast<void (*)(Bytes, Direction, Decoded&, Message&)>(parse)>;
Parsed<Message> parse(Bytes pdu, Direction dir) { return Forms::parsed(pdu, dir); }
void decode(Bytes pdu, Direction dir, Decoded& d) { Forms::decode(pdu, dir, d); }
Decoded decode(Bytes pdu, Direction dir) { return Forms::decoded(pdu, dir); }

}  // namespace quartet::cops
