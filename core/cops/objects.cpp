#include "objects.hpp"
#include "problems.hpp"

#include <string>

#include "client_specific.hpp"
#include "fields.hpp"
#include "names.hpp"

namespace quartet::cops {

using enum Field;

namespace {

// One object's contents being decoded: bounds checks and field helpers.
struct Contents {
  Bytes pdu;
  size_t off;
  size_t len;
  Decoded& out;
  const char* what;

  // The fixed layout needs `n` bytes; reports and shows the bytes raw if not.
  bool need(size_t n) {
    if (len >= n) return true;
    out.problem(ProblemId::kObjectContentsShort, off, len,
                std::string(what) + " needs " + std::to_string(n) + " bytes of contents, has " + std::to_string(len));
    if (len) out.add(kObjectData, off, len);
    return false;
  }
  uint16_t u16(Field id, size_t at) {
    uint16_t v = be16(pdu, off + at);
    out.add(id, off + at, 2, uint64_t{v});
    return v;
  }
  uint32_t u32(Field id, size_t at) {
    uint32_t v = be32(pdu, off + at);
    out.add(id, off + at, 4, uint64_t{v});
    return v;
  }
  void u8(Field id, size_t at) { out.add(id, off + at, 1, uint64_t{be8(pdu, off + at)}); }
  void flag(Field id, size_t at, uint16_t value, uint16_t mask) {
    out.add(id, off + at, 2, uint64_t{(value & mask) ? 1u : 0u});
  }
  void reserved16(size_t at) {
    if (uint16_t v = be16(pdu, off + at)) out.add(kReserved, off + at, 2, uint64_t{v});
  }
  void ipv4(Field id, size_t at) { out.add(id, off + at, 4, uint64_t{be32(pdu, off + at)}); }
  void ipv6(Field id, size_t at) { out.add(id, off + at, 16); }
};

size_t context(Contents& c, Message& m) {
  if (!c.need(4)) return c.len;
  uint16_t r = c.u16(kContextRType, 0);
  c.flag(kContextRTypeIncoming, 0, r, 0x1);
  c.flag(kContextRTypeAllocation, 0, r, 0x2);
  c.flag(kContextRTypeOutgoing, 0, r, 0x4);
  c.flag(kContextRTypeConfig, 0, r, 0x8);
  if (r & 0xfff0) c.out.problem(ProblemId::kContextRtypeUndefined, c.off, 2, "R-Type has undefined flag bits set");
  if (r == 0) c.out.problem(ProblemId::kContextRtypeEmpty, c.off, 2, "R-Type has no request type flag set");
  uint16_t mt = c.u16(kContextMType, 2);
  if (!m.rtype) {
    m.rtype = r;
    m.mtype = mt;
  }
  return 4;
}

size_t interface(Contents& c, uint8_t ctype, bool in) {
  size_t addr = ctype == 1 ? 4 : 16;
  if (!c.need(addr + 4)) return c.len;
  if (ctype == 1) c.ipv4(in ? kInIfIpv4 : kOutIfIpv4, 0);
  else c.ipv6(in ? kInIfIpv6 : kOutIfIpv6, 0);
  c.u32(in ? kInIfIndex : kOutIfIndex, addr);
  return addr + 4;
}

// Reason-Code 13 and Error-Code 13/15 carry a C-Num/C-Type pair in the sub-code.
void subcode_pair(Contents& c, Field cnum, Field ctype) {
  c.u8(cnum, 2);
  c.u8(ctype, 3);
}

size_t reason(Contents& c, Message& m) {
  if (!c.need(4)) return c.len;
  uint16_t code = c.u16(kReasonCode, 0);
  c.u16(kReasonSubcode, 2);
  if (code == 13) subcode_pair(c, kReasonSubcodeCNum, kReasonSubcodeCType);
  if (!name_of(reason_names(), code))
    c.out.problem(ProblemId::kReasonCodeUnknown, c.off, 2, "unknown Reason-Code " + std::to_string(code));
  if (!m.reason) m.reason = code;
  return 4;
}

size_t error(Contents& c, Message& m, uint16_t client_type) {
  if (!c.need(4)) return c.len;
  uint16_t code = c.u16(kErrorCode, 0);
  uint16_t sub = c.u16(kErrorSubcode, 2);
  // 13: the unknown object; 15: the security object wanted (C-Num 16, C-Type
  // 0 none / 2 Integrity-TLS with client-type 0, RFC 4261).
  if (code == 13 || code == 15) subcode_pair(c, kErrorSubcodeCNum, kErrorSubcodeCType);
  if (code == 15 && client_type == kClientTypeNone) {
    c.out.add(kErrorSecurity, c.off + 2, 2, uint64_t{sub});
    if (!name_of(security_subcode_names(), sub))
      c.out.problem(ProblemId::kErrorSecuritySubcodeUnknown, c.off + 2, 2,
                    "Authentication Required with an unregistered security sub-code");
  }
  if (!name_of(error_names(), code))
    c.out.problem(ProblemId::kErrorCodeUnknown, c.off, 2, "unknown Error-Code " + std::to_string(code));
  if (!m.error_code) {
    m.error_code = code;
    m.error_subcode = sub;
  }
  return 4;
}

size_t decision_flags(Contents& c, Message& m, bool lpdp) {
  if (!c.need(4)) return c.len;
  uint16_t cmd = c.u16(lpdp ? kLpdpCommand : kDecisionCommand, 0);
  uint16_t f = c.u16(lpdp ? kLpdpFlags : kDecisionFlags, 2);
  c.flag(lpdp ? kLpdpFlagTriggerError : kDecisionFlagTriggerError, 2, f, 0x1);
  c.flag(lpdp ? kLpdpFlagRequestState : kDecisionFlagRequestState, 2, f, 0x2);
  if (!name_of(decision_command_names(), cmd))
    c.out.problem(ProblemId::kDecisionCommandUnknown, c.off, 2, "unknown decision Command-Code " + std::to_string(cmd));
  if (f & 0xfffc)
    c.out.problem(ProblemId::kDecisionFlagsUndefined, c.off + 2, 2, "decision flags has undefined bits set");
  if (!lpdp) m.commands.push_back(cmd);
  return 4;
}

// Client-specific data (Decision/LPDP data C-Types 2..5, ClientSI): the
// registered decoder, else raw bytes under the object's own field.
size_t client_data(Contents& c, const ObjectContext& ctx, uint8_t cnum, uint8_t ctype, Field raw, Message& m) {
  ClientDataContext cc{ctx.client_type, ctx.opcode, cnum, ctype, ctx.dir, &m};
  if (const ClientDecoder* d = client_decoder_for(cc, c.pdu, c.off, c.len))
    return d->decode(cc, c.pdu, c.off, c.len, c.out);
  c.out.add(raw, c.off, c.len);
  return c.len;
}

size_t decision_data(Contents& c, const ObjectContext& ctx, uint8_t cnum, uint8_t ctype, Message& m) {
  bool lpdp = cnum == kLpdpDecision;
  static constexpr Field kDec[] = {kDecisionStateless, kDecisionReplacement, kDecisionClientSpecific, kDecisionNamed};
  static constexpr Field kLpdp[] = {kLpdpStateless, kLpdpReplacement, kLpdpClientSpecific, kLpdpNamed};
  return client_data(c, ctx, cnum, ctype, (lpdp ? kLpdp : kDec)[ctype - 2], m);
}

size_t pep_id(Contents& c, Message& m) {
  size_t n = 0;
  while (n < c.len && be8(c.pdu, c.off + n) != 0) ++n;
  std::string_view text = as_text(c.pdu.subspan(c.off, n));
  if (n == c.len) {
    c.out.problem(ProblemId::kPepIdNotTerminated, c.off, c.len, "PEP-ID is not NUL-terminated (RFC 2748 2.2.11)");
    c.out.add(kPepIdValue, c.off, n, text);
  } else {
    c.out.add(kPepIdValue, c.off, n + 1, text);
  }
  if (n == 0) c.out.problem(ProblemId::kPepIdEmpty, c.off, c.len, "empty PEP-ID");
  for (char ch : text)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) {
      c.out.problem(ProblemId::kPepIdNotPrintable, c.off, n, "PEP-ID is not printable ASCII");
      break;
    }
  if (!m.pep_id) m.pep_id = text;
  // Zero bytes after the terminator are padding, counted in the length by some stacks.
  return n < c.len ? n + 1 : n;
}

size_t pdp_address(Contents& c, uint8_t ctype, bool redirect) {
  size_t addr = ctype == 1 ? 4 : 16;
  if (!c.need(addr + 4)) return c.len;
  if (ctype == 1) c.ipv4(redirect ? kPdpRedirectIpv4 : kLastPdpIpv4, 0);
  else c.ipv6(redirect ? kPdpRedirectIpv6 : kLastPdpIpv6, 0);
  c.reserved16(addr);
  c.u16(redirect ? kPdpRedirectPort : kLastPdpPort, addr + 2);
  return addr + 4;
}

size_t timer(Contents& c, Field id, std::optional<uint16_t>& slot) {
  if (!c.need(4)) return c.len;
  c.reserved16(0);
  uint16_t v = c.u16(id, 2);
  if (!slot) slot = v;
  return 4;
}

size_t integrity(Contents& c, Message& m) {
  if (!c.need(8)) return c.len;
  c.u32(kIntegrityKeyId, 0);
  c.u32(kIntegritySequence, 4);
  if (c.len > 8) c.out.add(kIntegrityDigest, c.off + 8, c.len - 8);
  else c.out.problem(ProblemId::kIntegrityNoDigest, c.off, c.len, "Integrity object without a digest");
  m.integrity_hmac = true;
  return c.len;
}

size_t integrity_tls(Contents& c, Message& m) {
  if (!c.need(4)) return c.len;
  uint16_t f = c.u16(kIntegrityTlsFlags, 0);
  c.flag(kIntegrityTlsStartTls, 0, f, 0x1);
  if (f & 0xfffe)
    c.out.problem(ProblemId::kIntegrityTlsFlagsUndefined, c.off, 2, "Integrity-TLS flags has undefined bits set");
  c.reserved16(2);
  m.integrity_tls = true;
  m.integrity_tls_flags = f;
  return 4;
}

}  // namespace

size_t decode_object_contents(const ObjectContext& ctx, Bytes pdu, uint8_t cnum, uint8_t ctype, size_t off, size_t len,
                              Decoded& out, Message& msg) {
  Contents c{pdu, off, len, out, object_name(cnum, ctype)};
  switch (cnum) {
    case kHandle:
      if (len == 0) out.problem(ProblemId::kHandleEmpty, off, 0, "empty Client Handle");
      out.add(kHandleValue, off, len);
      if (!msg.handle) msg.handle = as_text(pdu.subspan(off, len));
      return len;
    case kContext: return context(c, msg);
    case kInInterface:
    case kOutInterface: return interface(c, ctype, cnum == kInInterface);
    case kReason: return reason(c, msg);
    case kDecision:
    case kLpdpDecision:
      return ctype == 1 ? decision_flags(c, msg, cnum == kLpdpDecision) : decision_data(c, ctx, cnum, ctype, msg);
    case kError: return error(c, msg, ctx.client_type);
    case kClientSI: return client_data(c, ctx, cnum, ctype, ctype == 1 ? kClientSiSignaled : kClientSiNamed, msg);
    case kKATimer: return timer(c, kKATimerValue, msg.ka_timer);
    case kPepId: return pep_id(c, msg);
    case kReportType:
      if (!c.need(4)) return len;
      if (uint16_t t = c.u16(kReportTypeValue, 0); !name_of(report_type_names(), t))
        out.problem(ProblemId::kReportTypeUnknown, off, 2, "unknown Report-Type " + std::to_string(t));
      else if (!msg.report_type) msg.report_type = t;
      c.reserved16(2);
      return 4;
    case kPdpRedirect:
    case kLastPdp: return pdp_address(c, ctype, cnum == kPdpRedirect);
    case kAcctTimer: return timer(c, kAcctTimerValue, msg.acct_timer);
    case kIntegrity: return ctype == 1 ? integrity(c, msg) : integrity_tls(c, msg);
    default: out.add(kObjectData, off, len); return len;
  }
}

}  // namespace quartet::cops
