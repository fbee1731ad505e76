#include "pr.hpp"
#include "problems.hpp"

#include <string>

#include "ber.hpp"
#include "fields.hpp"
#include "layout.hpp"
#include "names.hpp"

namespace quartet::cops::pr {

using enum Field;

namespace {

enum SNum : uint8_t { kPrid = 1, kPprid = 2, kEpd = 3, kGperr = 4, kCperr = 5, kErrorPrid = 6 };

Bytes sub(Bytes b, size_t off, size_t len) { return b.subspan(off, len); }

bool printable(Bytes v) {
  if (v.empty()) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    uint8_t c = be8(v, i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// PRID, Prefix PRID, ErrorPRID: one BER OBJECT IDENTIFIER. Returns bytes used.
size_t decode_oid_object(Bytes pdu, size_t off, size_t len, Field text_id, Field instance_id, const char* what,
                         Decoded& out) {
  ber::Tlv t;
  ber::Status s = ber::read(pdu, off, off + len, t);
  if (s != ber::Status::Ok) {
    out.problem(ProblemId::kPrBerInvalid, off, len, std::string(what) + ": " + ber::status_text(s));
    out.add(kPrData, off, len);
    return len;
  }
  if (t.ident != 0x06) {
    out.problem(
        ProblemId::kPrOidExpected, off, 1,
        std::string(what) + " is not a BER OBJECT IDENTIFIER (identifier octet " + std::to_string(t.ident) + ")");
    out.add(kPrData, off, len);
    return len;
  }
  uint64_t last = 0;
  auto text = ber::oid_text(sub(pdu, t.value_offset, t.value_length), &last);
  if (!text) {
    out.problem(ProblemId::kPrOidInvalid, t.value_offset, t.value_length, std::string(what) + ": broken OID encoding");
    out.add(kPrData, off, t.end() - off);
    return t.end() - off;
  }
  out.add(text_id, off, t.end() - off, std::move(*text));
  if (instance_id != kCount && last <= UINT32_MAX) out.add(instance_id, t.value_offset, t.value_length, last);
  return t.end() - off;
}

// EPD: the instance's attribute values, one BER TLV each, in PRC attribute order.
size_t decode_epd(Bytes pdu, size_t off, size_t len, Decoded& out) {
  size_t end = off + len, p = off;
  out.open(kPrEpd, off, len);
  while (p < end) {
    ber::Tlv t;
    ber::Status s = ber::read(pdu, p, end, t);
    if (s != ber::Status::Ok) {
      // 1-3 zero bytes at the end: padding counted in the length (reported by the caller).
      if (end - p < 4 && all_zero(pdu, p, end - p)) break;
      out.problem(ProblemId::kPrBerInvalid, p, end - p, std::string("EPD attribute: ") + ber::status_text(s));
      p = end;
      break;
    }
    out.add(kPrEpdType, p, 1, uint64_t{t.ident});
    Bytes v = sub(pdu, t.value_offset, t.value_length);
    size_t vo = t.value_offset, vl = t.value_length;
    switch (t.ident) {
      case 0x02:  // INTEGER
        if (auto i = ber::integer(v); i && *i >= INT32_MIN && *i <= INT32_MAX)
          out.add(kPrEpdInteger, vo, vl, static_cast<uint64_t>(*i));
        else if (i) out.add(kPrEpdInteger64, vo, vl, std::to_string(*i));
        else out.add(kPrEpdOther, vo, vl);
        break;
      case 0x41:
      case 0x42:
      case 0x43:  // Counter32, Unsigned32, TimeTicks
        if (auto u = ber::unsigned_value(v); u && *u <= UINT32_MAX) out.add(kPrEpdUnsigned, vo, vl, *u);
        else out.add(kPrEpdOther, vo, vl);
        break;
      case 0x46:
      case 0x4b:  // Counter64, Unsigned64
        if (auto u = ber::unsigned_value(v)) out.add(kPrEpdUnsigned64, vo, vl, *u);
        else out.add(kPrEpdOther, vo, vl);
        break;
      case 0x4a:  // Integer64
        if (auto i = ber::integer(v)) out.add(kPrEpdInteger64, vo, vl, std::to_string(*i));
        else out.add(kPrEpdOther, vo, vl);
        break;
      case 0x04:
      case 0x44:  // OCTET STRING, Opaque
        out.add(kPrEpdOctets, vo, vl);
        if (t.ident == 0x04 && printable(v)) out.add(kPrEpdText, vo, vl, as_text(v));
        break;
      case 0x05: out.add(kPrEpdNull, vo, vl); break;
      case 0x06:
        if (auto o = ber::oid_text(v)) out.add(kPrEpdOid, vo, vl, std::move(*o));
        else out.add(kPrEpdOther, vo, vl);
        break;
      case 0x40:  // IpAddress: 4 octets
        if (vl == 4) out.add(kPrEpdIpAddress, vo, vl, uint64_t{be32(pdu, vo)});
        else out.add(kPrEpdOctets, vo, vl);
        break;
      default:
        out.problem(ProblemId::kPrEpdTypeUnsupported, p, t.end() - p, "EPD attribute with an unsupported BER type");
        out.add(kPrEpdOther, vo, vl);
        break;
    }
    p = t.end();
  }
  out.close();
  return p - off;
}

size_t decode_error_object(Bytes pdu, size_t off, size_t len, Field code, Field subcode, const char* what,
                           Decoded& out) {
  if (len < 4) {
    out.problem(ProblemId::kPrErrorShort, off, len, std::string(what) + " shorter than 4 bytes");
    if (len >= 2) out.add(code, off, 2, uint64_t{be16(pdu, off)});
    return len;
  }
  out.add(code, off, 2, uint64_t{be16(pdu, off)});
  out.add(subcode, off + 2, 2, uint64_t{be16(pdu, off + 2)});
  return 4;
}

bool claims(const ClientDataContext& c) {
  // RFC 3084 4: COPS-PR data travels in Named ClientSI (REQ, RPT, OPN) and in
  // Named Decision Data (DEC); LPDP named data is accepted alike.
  return (c.cnum == 9 && c.ctype == 2) || ((c.cnum == 6 || c.cnum == 7) && c.ctype == 5);
}

size_t decode_for_client(const ClientDataContext&, Bytes pdu, size_t off, size_t len, Decoded& out) {
  return decode(pdu, off, len, out);
}

}  // namespace

const ClientDecoder& decoder() {
  static const ClientDecoder d{"COPS-PR", claims, decode_for_client};
  return d;
}

bool looks_like(Bytes pdu, size_t off, size_t len) {
  size_t end = off + len, p = off;
  if (len < 4 || end > pdu.size()) return false;
  while (p < end) {
    if (end - p < 4) return all_zero(pdu, p, end - p);
    size_t slen = be16(pdu, p);
    uint8_t snum = be8(pdu, p + 2), stype = be8(pdu, p + 3);
    if (slen < 4 || slen > end - p || snum < kPrid || snum > kErrorPrid || stype != 1) return false;
    p += align4(slen);
  }
  return true;
}

size_t decode(Bytes pdu, size_t off, size_t len, Decoded& out) {
  size_t end = off + len, p = off;
  while (p < end) {
    size_t left = end - p;
    if (left < 4) {
      if (all_zero(pdu, p, left)) break;  // padding counted by the enclosing object
      out.problem(ProblemId::kPrObjectTrailingBytes, p, left,
                  std::to_string(left) + " byte(s) left, too short for a COPS-PR object header");
      return len;
    }
    size_t slen = be16(pdu, p);
    uint8_t snum = be8(pdu, p + 2), stype = be8(pdu, p + 3);
    const char* sname = name_of(snum_names(), snum);
    size_t shown = slen >= 4 && slen <= left ? slen : left;
    out.open(kPrObject, p, shown, std::string(sname ? sname : "Unknown COPS-PR object"));
    out.add(kPrLength, p, 2, uint64_t{slen});
    out.add(kPrSNum, p + 2, 1, uint64_t{snum});
    out.add(kPrSType, p + 3, 1, uint64_t{stype});
    if (slen < 4) {
      out.problem(ProblemId::kPrObjectLengthTooSmall, p, 2,
                  "COPS-PR object length " + std::to_string(slen) + " is below its 4-byte header");
      out.close();
      return len;
    }
    bool truncated = slen > left;
    if (truncated)
      out.problem(ProblemId::kPrObjectLengthPastEnd, p, 2,
                  "COPS-PR object length " + std::to_string(slen) + " runs past its enclosing object (" +
                      std::to_string(left) + " bytes left)");
    size_t co = p + 4, cl = shown - 4;
    std::string what = sname ? sname : "COPS-PR object";
    size_t used = cl;
    if (stype != 1) {
      out.problem(ProblemId::kPrStypeUnknown, p + 3, 1,
                  "COPS-PR S-Type " + std::to_string(stype) + " (only BER, 1, is defined)");
      out.add(kPrData, co, cl);
    } else {
      switch (snum) {
        case kPrid: used = decode_oid_object(pdu, co, cl, kPrPrid, kPrPridInstance, "PRID", out); break;
        case kPprid: used = decode_oid_object(pdu, co, cl, kPrPrefixPrid, kCount, "Prefix PRID", out); break;
        case kEpd: used = decode_epd(pdu, co, cl, out); break;
        case kGperr: used = decode_error_object(pdu, co, cl, kPrGperrCode, kPrGperrSubcode, "GPERR", out); break;
        case kCperr: used = decode_error_object(pdu, co, cl, kPrCperrCode, kPrCperrSubcode, "CPERR", out); break;
        case kErrorPrid:
          used = decode_oid_object(pdu, co, cl, kPrErrorPrid, kPrErrorPridInstance, "ErrorPRID", out);
          break;
        default:
          out.problem(ProblemId::kPrSnumUnknown, p + 2, 1, "unknown COPS-PR S-Num " + std::to_string(snum));
          out.add(kPrData, co, cl);
          break;
      }
    }
    if (!truncated) check_leftover(out, pdu, co, cl, used, 4, what);
    out.close();
    if (truncated) return len;
    size_t padded = align4(slen);
    if (padded > left) return p + slen - off;  // last object: the enclosing COPS object pads it
    if (padded > slen) {
      out.add(kObjectPadding, p + slen, padded - slen);
      if (!all_zero(pdu, p + slen, padded - slen))
        out.problem(ProblemId::kPrPaddingNonzero, p + slen, padded - slen, "non-zero COPS-PR padding");
    }
    p += padded;
  }
  return p - off;
}

}  // namespace quartet::cops::pr
