#include "decoder.hpp"

#include <bit>
#include <cstdio>

#include "../../common/ip_text.hpp"
#include "../client_specific.hpp"
#include "../fields.hpp"
#include "../message.hpp"
#include "../names.hpp"
#include "../problems.hpp"
#include "fields.hpp"
#include "names.hpp"
#include "object_def.hpp"

namespace quartet::cops::packetcable {
namespace {

constexpr size_t kHdr = 4;

struct Ids {
  FieldId group, length, snum, stype, data, padding;
};
constexpr Ids kPcmmIds{kPcmmObject,      kPcmmObjectLength, kPcmmObjectSNum,
                       kPcmmObjectSType, kPcmmObjectData,   kPcmmObjectPadding};
constexpr Ids kDqosIds{kDqosObject,      kDqosObjectLength, kDqosObjectSNum,
                       kDqosObjectSType, kDqosObjectData,   kDqosObjectPadding};

const FieldDef& def_of(FieldId id) { return cops::fields()[id]; }

bool all_zero(Bytes b, size_t off, size_t len) {
  for (size_t i = 0; i < len; ++i)
    if (be8(b, off + i)) return false;
  return true;
}

unsigned shift_of(uint64_t mask) { return mask ? static_cast<unsigned>(std::countr_zero(mask)) : 0; }

std::string float_text(uint32_t bits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(std::bit_cast<float>(bits)));
  return buf;
}

// One client's walk over its S-objects.
class Walker {
 public:
  Walker(Flavor f, Bytes pdu, Decoded& out, GateMessage& gm)
      : pcmm_(f == Flavor::Pcmm), ids_(pcmm_ ? kPcmmIds : kDqosIds), pdu_(pdu), out_(out), gm_(gm) {}

  size_t walk(size_t off, size_t len) {
    const size_t end = off + len;
    size_t p = off;
    while (p < end) {
      size_t left = end - p;
      // Zero bytes to the end: the container counted its padding (its caller judges that).
      if (all_zero(pdu_, p, left)) return p - off;
      if (left < kHdr) {
        out_.problem(
            ProblemId::kPktcObjectTrailingBytes, p, left,
            std::to_string(left) + " byte(s) left in the " + client() + " data, too short for an object header");
        out_.add(ids_.data, p, left);
        return len;
      }
      size_t slen = be16(pdu_, p);
      uint8_t snum = be8(pdu_, p + 2), stype = be8(pdu_, p + 3);
      const ObjectDef* def = lookup(snum, stype);
      std::string name = def ? def->name : unknown_name(snum, stype);
      bool truncated = slen > left;
      size_t shown = slen < kHdr ? left : truncated ? left : slen;
      size_t group = out_.open(ids_.group, p, shown, name);
      out_.add(ids_.length, p, 2, uint64_t{slen});
      out_.add(ids_.snum, p + 2, 1, uint64_t{snum});
      out_.add(ids_.stype, p + 3, 1, uint64_t{stype});
      if (slen < kHdr) {
        out_.problem(ProblemId::kPktcObjectLengthTooSmall, p, 2,
                     name + " S-Length " + std::to_string(slen) +
                         " is below the 4-byte object header: the rest of the " + client() + " data cannot be walked");
        if (left > kHdr) out_.add(ids_.data, p + kHdr, left - kHdr);
        out_.close();
        return len;
      }
      if (truncated)
        out_.problem(ProblemId::kPktcObjectLengthPastEnd, p, 2,
                     name + " S-Length " + std::to_string(slen) + " runs past the end of the " + client() + " data (" +
                         std::to_string(left) + " bytes left)");
      size_t body = shown - kHdr;
      if (!def) {
        unknown(snum, stype, p);
        if (body) out_.add(ids_.data, p + kHdr, body);
      } else {
        gm_.objects.emplace_back(snum, stype);
        decode_body(*def, p + kHdr, body, truncated);
      }
      if (truncated) {
        out_.close();
        return len;
      }
      p += slen;
      if (slen % 4) p = after_unaligned(name, p, end, group);
      out_.close();
    }
    return len;
  }

 private:
  std::string client() const { return pcmm_ ? "PCMM" : "DQoS"; }
  const char* spec() const { return pcmm_ ? "PKT-SP-MM-I05" : "PacketCable DQoS"; }

  const ObjectDef* lookup(uint8_t snum, uint8_t stype) const {
    return pcmm_ ? pcmm_object(snum, stype) : dqos_object(snum, stype);
  }

  std::string unknown_name(uint8_t snum, uint8_t stype) const {
    const char* n = name_of(pcmm_ ? pcmm_snum_names() : dqos_snum_names(), snum);
    return std::string(n ? n : "Unknown object") + " (S-Num " + std::to_string(snum) + ", S-Type " +
           std::to_string(stype) + ")";
  }

  void unknown(uint8_t snum, uint8_t stype, size_t p) {
    // PKT-SP-MM-I05 6.4.3.2: such an object is ignored by the receiver.
    if (const char* n = name_of(pcmm_ ? pcmm_snum_names() : dqos_snum_names(), snum))
      out_.problem(ProblemId::kPktcObjectStypeUnknown, p + 3, 1,
                   "unknown S-Type " + std::to_string(stype) + " for " + n + " (S-Num " + std::to_string(snum) +
                       "): object ignored");
    else
      out_.problem(ProblemId::kPktcObjectSnumUnknown, p + 2, 1,
                   "unknown " + client() + " S-Num " + std::to_string(snum) + " (S-Type " + std::to_string(stype) +
                       "): object ignored");
  }

  // Whether a well-formed object header of this client sits at `at`.
  bool plausible(size_t at, size_t end) const {
    if (at + kHdr > end) return false;
    size_t l = be16(pdu_, at);
    return l >= kHdr && l <= end - at && lookup(be8(pdu_, at + 2), be8(pdu_, at + 3));
  }

  // An S-Length off the 32-bit grid (PKT-SP-MM-I05 6.4.1: every object aligns on
  // 4 bytes, padding counted). Continue at the next object, wherever it is.
  size_t after_unaligned(const std::string& name, size_t p, size_t end, size_t group) {
    size_t pad = 4 - p % 4;
    bool padded_ok = p + pad <= end && all_zero(pdu_, p, pad);
    if (plausible(p, end) && !(padded_ok && plausible(p + pad, end))) {
      out_.problem(
          ProblemId::kPktcObjectUnaligned, p, 0,
          name + " S-Length is not a multiple of 4 and the next object follows at once (" + spec() + " 6.4.1)");
      return p;
    }
    if (padded_ok) {
      out_.problem(ProblemId::kPktcObjectPaddingUncounted, p, pad,
                   name + " S-Length leaves out its " + std::to_string(pad) + " padding byte(s) (" + spec() +
                       " 6.4.1: padding is counted)");
      out_.add(ids_.padding, p, pad);
      if (auto* g = out_.field_at(group)) g->length += static_cast<uint32_t>(pad);
      return p + pad;
    }
    out_.problem(ProblemId::kPktcObjectUnaligned, p, 0,
                 name + " S-Length is not a multiple of 4 (" + spec() + " 6.4.1)");
    return p;
  }

  void decode_body(const ObjectDef& def, size_t off, size_t len, bool truncated) {
    switch (def.special) {
      case Special::TrafficProfile: traffic_profile(def, off, len); return;
      case Special::ServiceClassName: service_class_name(def, off, len); return;
      case Special::UserId: text_object(def, off, len, kPcmmUserId); return;
      case Special::RawVariable:
        if (len) out_.add(ids_.data, off, len);
        return;
      case Special::RemoteGateInfo: remote_gate_info(def, off, len); return;
      case Special::None: break;
    }
    if (len < def.body && !truncated) too_short(def, off, len);
    size_t used = render(def.items, off, len);
    if (used < len) leftover(def, off + used, len - used, def.body);
  }

  void too_short(const ObjectDef& def, size_t off, size_t len) {
    out_.problem(ProblemId::kPktcObjectTooShort, off - kHdr, 2,
                 std::string(def.name) + " is too short: S-Length " + std::to_string(len + kHdr) +
                     ", the layout needs " + std::to_string(def.body + kHdr) + " (" + spec() + ")");
  }

  // Bytes after a fixed layout: counted zero padding is a note, anything else a violation.
  void leftover(const ObjectDef& def, size_t off, size_t n, size_t expected) {
    if (all_zero(pdu_, off, n)) {
      out_.problem(ProblemId::kPktcObjectLengthCountsPadding, off, n,
                   std::string(def.name) + " is " + std::to_string(n) +
                       " byte(s) longer than its layout (zero padding counted in S-Length)");
      out_.add(ids_.padding, off, n);
    } else {
      out_.problem(ProblemId::kPktcObjectExtraBytes, off, n,
                   std::string(def.name) + " has " + std::to_string(n) + " unexpected byte(s) after its " +
                       std::to_string(expected) + "-byte body (" + spec() + ")");
      out_.add(ids_.data, off, n);
    }
  }

  // Renders the items that fit in [off, off+len); returns the end of the last
  // one rendered (bytes after it are the caller's). Items that do not fit are
  // shown raw.
  size_t render(Layout items, size_t off, size_t len) {
    size_t used = 0;
    for (const Item& it : items) {
      if (it.end() > len) {
        if (it.off < len && it.off >= used) {
          out_.add(ids_.data, off + it.off, len - it.off);
          used = len;
        }
        break;
      }
      item(it, off);
      if (it.end() > used) used = it.end();
    }
    return used;
  }

  void item(const Item& it, size_t base) {
    size_t at = base + it.off;
    switch (it.kind) {
      case Kind::U8: value(it.id, at, 1, be8(pdu_, at)); return;
      case Kind::U16: value(it.id, at, 2, be16(pdu_, at)); return;
      case Kind::U32: value(it.id, at, 4, be32(pdu_, at)); return;
      case Kind::U64: value(it.id, at, 8, be64(pdu_, at)); return;
      case Kind::Bits8:
      case Kind::Bits32: {
        size_t w = it.kind == Kind::Bits8 ? 1 : 4;
        uint64_t raw = w == 1 ? be8(pdu_, at) : be32(pdu_, at);
        uint64_t mask = def_of(it.id).bitmask;
        value(it.id, at, w, (raw & mask) >> shift_of(mask));
        return;
      }
      case Kind::IPv4: {
        uint32_t a = be32(pdu_, at);
        out_.add(it.id, at, 4, uint64_t{a});
        note_address(it.id, ipv4_text(a));
        return;
      }
      case Kind::IPv6:
        out_.add(it.id, at, 16);
        note_address(it.id, ipv6_text(pdu_, at));
        return;
      case Kind::Float: out_.add(it.id, at, 4, float_text(be32(pdu_, at))); return;
      case Kind::Ascii: out_.add(it.id, at, it.size, ascii(at, it.size)); return;
      case Kind::Octets: out_.add(it.id, at, it.size); return;
      case Kind::Bcid:
        out_.open(kPktcBcid, at, 24);
        value(kPktcBcidTimestamp, at, 4, be32(pdu_, at));
        out_.add(kPktcBcidElementId, at + 4, 8, ascii(at + 4, 8));
        out_.add(kPktcBcidTimeZone, at + 12, 8, ascii(at + 12, 8));
        value(kPktcBcidEventCounter, at + 20, 4, be32(pdu_, at + 20));
        out_.close();
        return;
      case Kind::Reserved:
        if (!all_zero(pdu_, at, it.size)) {
          uint64_t v = 0;
          for (size_t i = 0; i < it.size; ++i) v = v << 8 | be8(pdu_, at + i);
          out_.add(kPktcReserved, at, it.size, v);
          out_.problem(ProblemId::kPktcReservedNonzero, at, it.size, "reserved bytes are not zero");
        }
        return;
    }
  }

  std::string_view ascii(size_t at, size_t n) const {
    size_t k = 0;
    while (k < n && be8(pdu_, at + k)) ++k;
    return as_text(pdu_.subspan(at, k));
  }

  // An integer field: value, a check against its value table, and what the
  // gate tracker and summary need.
  void value(FieldId id, size_t at, size_t w, uint64_t v) {
    out_.add(id, at, w, v);
    const FieldDef& d = def_of(id);
    if (!d.names.empty() && !name_of(d.names, v) && !(id == kPcmmGateStateReason && v == 0))
      out_.problem(ProblemId::kPktcValueUnknown, at, w,
                   std::string(d.name) + " " + std::to_string(v) + " is not defined (" + spec() + ")");
    auto u16 = static_cast<uint16_t>(v);
    auto set16 = [&](std::optional<uint16_t>& slot) {
      if (!slot) slot = u16;
    };
    switch (id) {
      case kPcmmTransId:
      case kDqosTransId: set16(gm_.trans_id); break;
      case kPcmmCmd:
      case kDqosCmd: set16(gm_.cmd); break;
      case kPcmmGateId:
      case kDqosGateId:
        if (!gm_.gate_id) gm_.gate_id = static_cast<uint32_t>(v);
        break;
      case kPcmmAmidAppType: amid_hi_ = u16; break;
      case kPcmmAmidTag:
        if (!gm_.amid) gm_.amid = uint32_t{amid_hi_} << 16 | u16;
        break;
      case kPcmmPsid:
        if (!gm_.psid) gm_.psid = static_cast<uint32_t>(v);
        break;
      case kPcmmErrorCode:
      case kDqosErrorCode: set16(gm_.error_code); break;
      case kPcmmErrorSubcode:
      case kDqosErrorSubcode: set16(gm_.error_subcode); break;
      case kPcmmGateState: set16(gm_.gate_state); break;
      case kPcmmGateStateReason: set16(gm_.gate_state_reason); break;
      case kDqosReasonCode: set16(gm_.dqos_reason); break;
      case kDqosReasonSubcode: set16(gm_.dqos_reason_subcode); break;
      case kPcmmVersionMajor: set16(gm_.version_major); break;
      case kPcmmVersionMinor: set16(gm_.version_minor); break;
      default: break;
    }
    // Codes 6, 7 and 17 name the object: S-Num in the high byte, S-Type in the low one.
    if (id == kPcmmErrorSubcode && last_error_code_names_object_) {
      out_.add(kPcmmErrorSubcodeSNum, at, 1, uint64_t{be8(pdu_, at)});
      out_.add(kPcmmErrorSubcodeSType, at + 1, 1, uint64_t{be8(pdu_, at + 1)});
    }
    if (id == kPcmmErrorCode) last_error_code_names_object_ = v == 6 || v == 7 || v == 17;
  }

  void note_address(FieldId id, std::string text) {
    if ((id == kPcmmSubscriberIpv4 || id == kPcmmSubscriberIpv6 || id == kDqosSubscriberIpv4 ||
         id == kDqosSubscriberIpv6) &&
        gm_.subscriber.empty())
      gm_.subscriber = std::move(text);
  }

  // Envelope word: byte 0 Envelope (FlowSpec: byte 1 Service Number), rest reserved.
  uint8_t envelope(const ObjectDef& def, size_t off) {
    uint8_t env = be8(pdu_, off);
    value(kPcmmTpEnvelope, off, 1, env);
    if (def.stype == 1) {
      value(kPcmmTpServiceNumber, off + 1, 1, be8(pdu_, off + 1));
      item({2, Kind::Reserved, 0, 2}, off);
    } else {
      item({1, Kind::Reserved, 0, 3}, off);
    }
    if (!gm_.envelope || env > *gm_.envelope) gm_.envelope = env;
    return env;
  }

  // PKT-SP-MM-I05 6.4.2.7: one parameter set when all envelopes share it, else
  // one per envelope; the set size depends on the issue (I05, I04, I03), and
  // only the object length tells them apart. A layout is taken when the sets
  // fill the body exactly and their number is 1 or the envelope's bit count:
  // I05 first, then I04, then I03 (Wireshark's order, with the count as a tie-breaker).
  void traffic_profile(const ObjectDef& def, size_t off, size_t len) {
    if (len < 4) {
      too_short(def, off, len);
      if (len) out_.add(ids_.data, off, len);
      return;
    }
    uint8_t env = envelope(def, off);
    int bits = std::popcount(unsigned{env} & 7u);
    size_t sets_len = len - 4;
    int issue = 0;
    size_t set_size = 0, n = 0;
    for (int candidate : {5, 4, 3}) {
      Layout l = traffic_profile_set(def.stype, candidate);
      size_t sz = l.empty() ? 0 : l.back().end();
      if (!sz || sets_len == 0 || sets_len % sz) continue;
      size_t k = sets_len / sz;
      if (k != 1 && static_cast<int>(k) != bits) continue;
      issue = candidate;
      set_size = sz;
      n = k;
      break;
    }
    if (!issue) {
      Layout i05 = traffic_profile_set(def.stype, 5);
      out_.problem(ProblemId::kPktcTrafficProfileLayoutUnknown, off - kHdr, 2,
                   std::string(def.name) + " S-Length " + std::to_string(len + kHdr) +
                       " fits no issue's layout (I05: 8 + " + std::to_string(i05.back().end()) +
                       " per envelope) for Envelope " + std::to_string(env));
      if (sets_len) {
        size_t used = render(i05, off + 4, sets_len);  // what fits of one I05 set
        if (used < sets_len) out_.add(ids_.data, off + 4 + used, sets_len - used);
      }
      return;
    }
    out_.add(kPcmmTpLayout, off - kHdr, 0, std::string(issue == 5 ? "I05" : issue == 4 ? "I04" : "I03"));
    static const char* const kEnvelopeNames[] = {"Authorized", "Reserved", "Committed"};
    for (size_t i = 0; i < n; ++i) {
      std::string label = n == 1 && bits > 1
                              ? std::string(bits == 3 ? "Authorized/Reserved/Committed" : "Authorized/Reserved")
                              : std::string(kEnvelopeNames[i < 3 ? i : 2]);
      out_.open(kPcmmTpSet, off + 4 + i * set_size, set_size, label + " envelope");
      render(traffic_profile_set(def.stype, issue), off + 4 + i * set_size, set_size);
      out_.close();
    }
  }

  void service_class_name(const ObjectDef& def, size_t off, size_t len) {
    if (len < def.body) {
      too_short(def, off, len);
      if (len >= 4) envelope(def, off);
      if (len > 4) out_.add(kPcmmTpScn, off + 4, len - 4, ascii(off + 4, len - 4));
      return;
    }
    envelope(def, off);
    size_t n = len - 4, k = 0;
    while (k < n && be8(pdu_, off + 4 + k)) ++k;
    std::string_view name = as_text(pdu_.subspan(off + 4, k));
    out_.add(kPcmmTpScn, off + 4, k, name);
    if (gm_.scn.empty()) gm_.scn = std::string(name);
    if (k < 2 || k > 16)
      out_.problem(ProblemId::kPktcScnLength, off + 4, k,
                   "Service Class Name of " + std::to_string(k) + " characters (PKT-SP-MM-I05 6.4.2.7.2: 2 to 16)");
    if (k == n)
      out_.problem(ProblemId::kPktcScnNotTerminated, off + 4, k,
                   "Service Class Name is not NUL-terminated (its length is a multiple of 4)");
    else if (!all_zero(pdu_, off + 4 + k, n - k))
      out_.problem(ProblemId::kPktcTextPaddingNonzero, off + 4 + k, n - k,
                   "bytes after the Service Class Name's NUL are not zero padding");
    else if (n - k > 1) out_.add(ids_.padding, off + 5 + k, n - k - 1);
  }

  void text_object(const ObjectDef& def, size_t off, size_t len, FieldId id) {
    if (len == 0) {
      too_short(def, off, len);
      return;
    }
    size_t k = 0;
    while (k < len && be8(pdu_, off + k)) ++k;
    out_.add(id, off, k, as_text(pdu_.subspan(off, k)));
    if (k < len && !all_zero(pdu_, off + k, len - k))
      out_.problem(ProblemId::kPktcTextPaddingNonzero, off + k, len - k,
                   std::string(def.name) + ": bytes after the NUL are not zero padding");
    else if (len - k > 0) out_.add(ids_.padding, off + k, len - k);
  }

  // Wireshark reads 4 reserved bytes and a 16-byte key after the Algorithm.
  void remote_gate_info(const ObjectDef& def, size_t off, size_t len) {
    if (len < def.body) too_short(def, off, len);
    size_t used = render(def.items, off, len);
    if (used >= len) return;
    if (len - used >= 4 + 16 && len - used - 4 - 16 < 4) {
      item({0, Kind::Reserved, 0, 4}, off + used);
      out_.add(kDqosRgiKey, off + used + 4, 16);
      if (len - used > 20) out_.add(ids_.padding, off + used + 20, len - used - 20);
    } else {
      out_.add(kDqosRgiKey, off + used, len - used);
    }
  }

  bool pcmm_;
  Ids ids_;
  Bytes pdu_;
  Decoded& out_;
  GateMessage& gm_;
  uint16_t amid_hi_ = 0;
  bool last_error_code_names_object_ = false;
};

// S-objects travel in Decision C-Type 4 (PDP to PEP) and Signaled ClientSI
// (PEP to PDP): PKT-SP-MM-I05 6.4.2; Wireshark and Asterisk do the same for DQoS.
bool claims(const ClientDataContext& c) {
  return (c.cnum == kDecision && c.ctype == 4) || (c.cnum == kClientSI && c.ctype == 1);
}

size_t decode_into_message(Flavor f, const ClientDataContext& c, Bytes pdu, size_t off, size_t len, Decoded& out) {
  GateMessage scratch;
  GateMessage* gm = &scratch;
  if (c.message) {
    if (!c.message->gate) c.message->gate.emplace().flavor = f;
    gm = &*c.message->gate;
  }
  return decode_objects(f, pdu, off, len, out, *gm);
}

size_t decode_pcmm(const ClientDataContext& c, Bytes pdu, size_t off, size_t len, Decoded& out) {
  return decode_into_message(Flavor::Pcmm, c, pdu, off, len, out);
}
size_t decode_dqos(const ClientDataContext& c, Bytes pdu, size_t off, size_t len, Decoded& out) {
  return decode_into_message(Flavor::Dqos, c, pdu, off, len, out);
}

}  // namespace

size_t decode_objects(Flavor flavor, Bytes pdu, size_t off, size_t len, Decoded& out, GateMessage& gm) {
  return Walker(flavor, pdu, out, gm).walk(off, len);
}

const ClientDecoder& pcmm_decoder() {
  static const ClientDecoder d{"PacketCable Multimedia", claims, decode_pcmm};
  return d;
}

const ClientDecoder& dqos_decoder() {
  static const ClientDecoder d{"PacketCable DQoS", claims, decode_dqos};
  return d;
}

std::string summary(const GateMessage& gm) {
  std::string s;
  if (gm.cmd) s = cmd_label(gm.pcmm(), *gm.cmd);
  else if (gm.version_major)
    return "version " + std::to_string(*gm.version_major) + "." + std::to_string(gm.version_minor.value_or(0));
  else s = gm.pcmm() ? "PCMM" : "DQoS";
  if (gm.trans_id) s += " trans=" + std::to_string(*gm.trans_id);
  if (gm.gate_id) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", *gm.gate_id);
    s.append(" gate=").append(buf);
  }
  if (!gm.subscriber.empty()) s += " sub=" + gm.subscriber;
  if (!gm.scn.empty()) s += " SCN=" + gm.scn;
  if (gm.gate_state) {
    const char* n = name_of(gate_state_names(), *gm.gate_state);
    s += " state=" + (n ? std::string(n) : std::to_string(*gm.gate_state));
  }
  if (gm.dqos_reason) {
    const char* n = name_of(dqos_reason_names(), *gm.dqos_reason);
    s += " reason=" + (n ? std::string(n) : std::to_string(*gm.dqos_reason));
  }
  if (gm.error_code) s += ": " + error_label(gm.pcmm(), *gm.error_code);
  return s;
}

}  // namespace quartet::cops::packetcable
