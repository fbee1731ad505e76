#include "fields.hpp"

#include <vector>

#include "names.hpp"
#include "packetcable/fields.hpp"

namespace quartet::cops {

using enum Field;

namespace {

using T = FieldType;

// Built on first use: the value tables live in names.cpp.
const FieldDef* build() {
  static const FieldDef table[] = {
      {"header", "Common Header", T::Group},
      {"header.version", "Version", T::UInt8, Base::Dec, {}, 0xf0, "Must be 1"},
      {"header.flags", "Flags", T::UInt8, Base::Hex, flag_names(), 0x0f},
      {"header.flags.solicited",
       "Solicited",
       T::Bool,
       Base::None,
       {},
       0x01,
       "Set when the message is solicited by another COPS message",
       false,
       8},
      {"header.opcode", "Op-Code", T::UInt8, Base::Dec, opcode_names()},
      {"header.client_type", "Client-Type", T::UInt16, Base::Hex, client_type_names()},
      {"header.length", "Message Length", T::UInt32, Base::Dec, {}, 0, "Octets including the header; a multiple of 4"},

      {"object", "Object", T::Group},
      {"object.length",
       "Object Length",
       T::UInt16,
       Base::Dec,
       {},
       0,
       "Octets including the 4-byte object header, excluding padding"},
      {"object.cnum", "C-Num", T::UInt8, Base::Dec, cnum_names()},
      {"object.ctype", "C-Type", T::UInt8, Base::Dec},
      {"object.data", "Object Data", T::Octets},
      {"object.padding", "Padding", T::Octets, Base::None, {}, 0, "Zero octets aligning the next object on 32 bits"},

      {"handle",
       "Client Handle",
       T::Octets,
       Base::None,
       {},
       0,
       "Opaque handle chosen by the PEP, unique per client-type"},
      {"context.rtype", "R-Type", T::UInt16, Base::Hex, {}, 0, "Request type flags"},
      {"context.rtype.incoming",
       "Incoming-Message/Admission Control request",
       T::Bool,
       Base::None,
       {},
       0x0001,
       nullptr,
       false,
       16},
      {"context.rtype.allocation", "Resource-Allocation request", T::Bool, Base::None, {}, 0x0002, nullptr, false, 16},
      {"context.rtype.outgoing", "Outgoing-Message request", T::Bool, Base::None, {}, 0x0004, nullptr, false, 16},
      {"context.rtype.config", "Configuration request", T::Bool, Base::None, {}, 0x0008, nullptr, false, 16},
      {"context.mtype", "M-Type", T::UInt16, Base::DecHex, {}, 0, "Client-specific type of the signaled message"},
      {"in_interface.ipv4", "In-Interface IPv4 Address", T::IPv4},
      {"in_interface.ipv6", "In-Interface IPv6 Address", T::IPv6},
      {"in_interface.ifindex", "In-Interface ifIndex", T::UInt32, Base::Dec},
      {"out_interface.ipv4", "Out-Interface IPv4 Address", T::IPv4},
      {"out_interface.ipv6", "Out-Interface IPv6 Address", T::IPv6},
      {"out_interface.ifindex", "Out-Interface ifIndex", T::UInt32, Base::Dec},
      {"reason.code", "Reason-Code", T::UInt16, Base::Dec, reason_names()},
      {"reason.subcode", "Reason Sub-code", T::UInt16, Base::Hex},
      {"reason.subcode.cnum", "Unknown object C-Num", T::UInt8, Base::Dec, cnum_names()},
      {"reason.subcode.ctype", "Unknown object C-Type", T::UInt8, Base::Dec},
      {"decision.command", "Command-Code", T::UInt16, Base::Dec, decision_command_names()},
      {"decision.flags", "Decision Flags", T::UInt16, Base::Hex},
      {"decision.flags.trigger_error",
       "Trigger Error",
       T::Bool,
       Base::None,
       {},
       0x0001,
       "Trigger an error message if the decision cannot be applied",
       false,
       16},
      {"decision.flags.request_state",
       "Request-State",
       T::Bool,
       Base::None,
       {},
       0x0002,
       "COPS-PR: the PEP must send a new REQ for this handle",
       false,
       16},
      {"decision.stateless", "Stateless Data", T::Octets},
      {"decision.replacement", "Replacement Data", T::Octets},
      {"decision.client_specific", "Client Specific Decision Data", T::Octets},
      {"decision.named", "Named Decision Data", T::Octets},
      {"lpdp_decision.command", "LPDP Command-Code", T::UInt16, Base::Dec, decision_command_names()},
      {"lpdp_decision.flags", "LPDP Decision Flags", T::UInt16, Base::Hex},
      {"lpdp_decision.flags.trigger_error", "Trigger Error", T::Bool, Base::None, {}, 0x0001, nullptr, false, 16},
      {"lpdp_decision.flags.request_state", "Request-State", T::Bool, Base::None, {}, 0x0002, nullptr, false, 16},
      {"lpdp_decision.stateless", "LPDP Stateless Data", T::Octets},
      {"lpdp_decision.replacement", "LPDP Replacement Data", T::Octets},
      {"lpdp_decision.client_specific", "LPDP Client Specific Decision Data", T::Octets},
      {"lpdp_decision.named", "LPDP Named Decision Data", T::Octets},
      {"error.code", "Error-Code", T::UInt16, Base::Dec, error_names()},
      {"error.subcode", "Error Sub-code", T::UInt16, Base::Hex},
      {"error.subcode.cnum", "Sub-code C-Num", T::UInt8, Base::Dec, cnum_names(), 0,
       "Error 13: the unknown object's C-Num; error 15: the security object's"},
      {"error.subcode.ctype", "Sub-code C-Type", T::UInt8, Base::Dec},
      {"error.security", "Required security", T::UInt16, Base::Hex, security_subcode_names(), 0,
       "Error 15 sub-code with client-type 0 (RFC 4261)"},
      {"clientsi.signaled", "Signaled ClientSI", T::Octets},
      {"clientsi.named", "Named ClientSI", T::Octets},
      {"katimer.value", "Keep-Alive Timer", T::UInt16, Base::Dec, {}, 0, "Seconds; 0 means no keep-alive"},
      {"pepid", "PEP Identification", T::String, Base::None, {}, 0, "NUL-terminated ASCII PEP id"},
      {"report.type", "Report-Type", T::UInt16, Base::Dec, report_type_names()},
      {"pdp_redirect.ipv4", "PDP Redirect IPv4 Address", T::IPv4},
      {"pdp_redirect.ipv6", "PDP Redirect IPv6 Address", T::IPv6},
      {"pdp_redirect.port", "PDP Redirect TCP Port", T::UInt16, Base::Dec},
      {"last_pdp.ipv4", "Last PDP IPv4 Address", T::IPv4},
      {"last_pdp.ipv6", "Last PDP IPv6 Address", T::IPv6},
      {"last_pdp.port", "Last PDP TCP Port", T::UInt16, Base::Dec},
      {"accttimer.value",
       "Accounting Timer",
       T::UInt16,
       Base::Dec,
       {},
       0,
       "Seconds between unsolicited accounting reports; 0 means none"},
      {"integrity.key_id", "Key ID", T::UInt32, Base::DecHex},
      {"integrity.sequence", "Sequence Number", T::UInt32, Base::Dec},
      {"integrity.digest", "Keyed Message Digest", T::Octets},
      {"integrity_tls.flags", "Integrity-TLS Flags", T::UInt16, Base::Hex},
      {"integrity_tls.flags.starttls",
       "StartTLS",
       T::Bool,
       Base::None,
       {},
       0x0001,
       "The sender wants a TLS handshake after this exchange (RFC 4261)",
       false,
       16},
      {"reserved", "Reserved", T::UInt16, Base::Hex, {}, 0, "Must be zero"},

      {"pr.object", "COPS-PR Object", T::Group},
      {"pr.length", "S-Length", T::UInt16, Base::Dec},
      {"pr.snum", "S-Num", T::UInt8, Base::Dec, snum_names()},
      {"pr.stype", "S-Type", T::UInt8, Base::Dec, stype_names()},
      {"pr.prid", "PRID", T::String, Base::None, {}, 0, "Provisioning instance identifier (BER OID, dotted)"},
      {"pr.prid.instance",
       "PRID instance",
       T::UInt32,
       Base::Dec,
       {},
       0,
       "Last sub-identifier of the PRID: the instance number"},
      {"pr.pprid", "Prefix PRID", T::String},
      {"pr.epd", "Encoded Provisioning Instance Data", T::Group},
      {"pr.epd.integer", "INTEGER", T::Int32, Base::Dec},
      {"pr.epd.unsigned", "Unsigned32/Counter32/TimeTicks", T::UInt32, Base::Dec},
      {"pr.epd.unsigned64", "Unsigned64/Counter64", T::UInt64, Base::Dec},
      {"pr.epd.integer64", "Integer64", T::String},
      {"pr.epd.octets", "OCTET STRING/Opaque", T::Octets},
      {"pr.epd.text", "OCTET STRING (text)", T::String},
      {"pr.epd.oid", "OBJECT IDENTIFIER", T::String},
      {"pr.epd.ipaddress", "IpAddress", T::IPv4},
      {"pr.epd.null", "NULL", T::Group},
      {"pr.epd.other", "Unsupported BER value", T::Octets},
      {"pr.epd.type", "Attribute type", T::UInt8, Base::Hex, ber_type_names(), 0, "BER identifier octet"},
      {"pr.gperr.code", "GPERR Error-Code", T::UInt16, Base::Dec, gperr_names()},
      {"pr.gperr.subcode", "GPERR Error Sub-code", T::UInt16, Base::Hex},
      {"pr.cperr.code", "CPERR Error-Code", T::UInt16, Base::Dec, cperr_names()},
      {"pr.cperr.subcode", "CPERR Error Sub-code", T::UInt16, Base::Hex},
      {"pr.error_prid", "Error PRID", T::String},
      {"pr.error_prid.instance", "Error PRID instance", T::UInt32, Base::Dec},
      {"pr.data", "COPS-PR Object Data", T::Octets},
  };
  static_assert(sizeof(table) / sizeof(table[0]) == kFieldCount, "one FieldDef per Field");
  return table;
}

}  // namespace

// COPS fields, then the PacketCable ones (their ids continue from kFieldCount).
std::span<const FieldDef> fields() {
  static const std::vector<FieldDef> table = [] {
    std::vector<FieldDef> all(build(), build() + kFieldCount);
    auto pktc = packetcable::fields();
    all.insert(all.end(), pktc.begin(), pktc.end());
    return all;
  }();
  return table;
}

}  // namespace quartet::cops
