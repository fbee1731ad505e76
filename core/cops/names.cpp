#include "names.hpp"

#include <cstdio>

#include "../common/text.hpp"

namespace quartet::cops {
namespace {

constexpr ValueName kOpcodes[] = {
    {kREQ, "Request (REQ)"},
    {kDEC, "Decision (DEC)"},
    {kRPT, "Report State (RPT)"},
    {kDRQ, "Delete Request State (DRQ)"},
    {kSSQ, "Synchronize State Request (SSQ)"},
    {kOPN, "Client-Open (OPN)"},
    {kCAT, "Client-Accept (CAT)"},
    {kCC, "Client-Close (CC)"},
    {kKA, "Keep-Alive (KA)"},
    {kSSC, "Synchronize Complete (SSC)"},
};
constexpr const char* kAbbrevs[] = {nullptr, "REQ", "DEC", "RPT", "DRQ", "SSQ", "OPN", "CAT", "CC", "KA", "SSC"};

// IANA "Client Types Values"; 0 is RFC 4261's security negotiation client.
constexpr ValueName kClientTypes[] = {
    {0x0000, "None (keep-alive / COPS security negotiation, RFC 4261)"},
    {0x0001, "RSVP (RFC 2749)"},
    {0x0002, "DiffServ QoS, DIFFSERV-PIB (COPS-PR, RFC 3317)"},
    {0x8001, "IP Highway"},
    {0x8002, "IP Highway"},
    {0x8003, "IP Highway"},
    {0x8004, "IP Highway"},
    {0x8005, "Fujitsu Application Server Software Division"},
    {0x8006, "HP OpenView PolicyXpert"},
    {0x8007, "HP OpenView PolicyXpert COPS-PR PXPIB"},
    {0x8008, "PacketCable Dynamic Quality of Service"},
    {0x8009, "3GPP Go interface (go3gppPib, TS 29.207)"},
    {0x800a, "PacketCable Multimedia"},
    {0x800b, "Juniper Networks"},
};

constexpr ValueName kCNums[] = {
    {kHandle, "Handle"},
    {kContext, "Context"},
    {kInInterface, "In-Interface"},
    {kOutInterface, "Out-Interface"},
    {kReason, "Reason"},
    {kDecision, "Decision"},
    {kLpdpDecision, "LPDP Decision"},
    {kError, "Error"},
    {kClientSI, "Client Specific Information"},
    {kKATimer, "Keep-Alive Timer"},
    {kPepId, "PEP Identification"},
    {kReportType, "Report-Type"},
    {kPdpRedirect, "PDP Redirect Address"},
    {kLastPdp, "Last PDP Address"},
    {kAcctTimer, "Accounting Timer"},
    {kIntegrity, "Message Integrity"},
};

constexpr ValueName kRTypes[] = {
    {0x01, "Incoming-Message/Admission Control request"},
    {0x02, "Resource-Allocation request"},
    {0x04, "Outgoing-Message request"},
    {0x08, "Configuration request"},
};

constexpr ValueName kReasons[] = {
    {1, "Unspecified"},
    {2, "Management"},
    {3, "Preempted (another request state takes precedence)"},
    {4, "Tear (signaled state removal)"},
    {5, "Timeout (local state has timed out)"},
    {6, "Route Change (change invalidates request state)"},
    {7, "Insufficient Resources"},
    {8, "PDP's Directive"},
    {9, "Unsupported decision"},
    {10, "Synchronize Handle Unknown"},
    {11, "Transient Handle (stateless event)"},
    {12, "Malformed Decision"},
    {13, "Unknown COPS Object from PDP"},
};

constexpr ValueName kCommands[] = {
    {0, "NULL Decision"},
    {1, "Install"},
    {2, "Remove"},
};

constexpr ValueName kErrors[] = {
    {1, "Bad handle"},
    {2, "Invalid handle reference"},
    {3, "Bad message format"},
    {4, "Unable to process"},
    {5, "Mandatory client-specific info missing"},
    {6, "Unsupported client-type"},
    {7, "Mandatory COPS object missing"},
    {8, "Client Failure"},
    {9, "Communication Failure"},
    {10, "Unspecified"},
    {11, "Shutting down"},
    {12, "Redirect to Preferred Server"},
    {13, "Unknown COPS Object"},
    {14, "Authentication Failure"},
    {15, "Authentication Required"},
};

// Error 15 with Client-type 0: octet 2 = C-Num 16 (Integrity), octet 3 = the
// security C-Type the PDP wants (IANA, RFC 4261 4.1).
constexpr ValueName kSecuritySubcodes[] = {
    {0x1000, "No security"},
    {0x1002, "Integrity-TLS supported/preferred"},
};

constexpr ValueName kReportTypes[] = {
    {1, "Success"},
    {2, "Failure"},
    {3, "Accounting"},
};

constexpr ValueName kFlags[] = {
    {0x0, "None"},
    {0x1, "Solicited Message"},
};

constexpr ValueName kSNums[] = {
    {1, "Complete PRID"},
    {2, "Prefix PRID"},
    {3, "Encoded Provisioning Instance Data (EPD)"},
    {4, "Global Provisioning Error (GPERR)"},
    {5, "Class-Specific Provisioning Error (CPERR)"},
    {6, "Error PRID"},
};

constexpr ValueName kSTypes[] = {
    {1, "BER"},
    {2, "XML (reserved)"},
};

constexpr ValueName kGpErrs[] = {
    {1, "availMemLow"},    {2, "availMemExhausted"},    {3, "unknownASN.1Tag"},    {4, "maxMsgSizeExceeded"},
    {5, "unknownError"},   {6, "maxRequestStatesOpen"}, {7, "invalidASN.1Length"}, {8, "invalidObjectPad"},
    {9, "unknownPIBData"}, {10, "unknownCOPSPRObject"}, {11, "malformedDecision"},
};

constexpr ValueName kCpErrs[] = {
    {1, "priSpaceExhausted"},  {2, "priInstanceInvalid"},    {3, "attrValueInvalid"},     {4, "attrValueSupLimited"},
    {5, "attrEnumSupLimited"}, {6, "attrMaxLengthExceeded"}, {7, "attrReferenceUnknown"}, {8, "priNotifyOnly"},
    {9, "unknownPrc"},         {10, "tooFewAttrs"},          {11, "invalidAttrType"},     {12, "deletedInRef"},
    {13, "priSpecificError"},
};

// BER identifier octets of the SPPI (RFC 3159) base types an EPD carries.
constexpr ValueName kBerTypes[] = {
    {0x02, "INTEGER"},   {0x04, "OCTET STRING"}, {0x05, "NULL"},       {0x06, "OBJECT IDENTIFIER"},
    {0x40, "IpAddress"}, {0x41, "Counter32"},    {0x42, "Unsigned32"}, {0x43, "TimeTicks"},
    {0x44, "Opaque"},    {0x46, "Counter64"},    {0x4a, "Integer64"},  {0x4b, "Unsigned64"},
};

}  // namespace

std::span<const ValueName> opcode_names() { return kOpcodes; }
const char* opcode_abbrev(uint8_t opcode) { return opcode < std::size(kAbbrevs) ? kAbbrevs[opcode] : nullptr; }
std::span<const ValueName> client_type_names() { return kClientTypes; }

std::string client_type_label(uint16_t type) {
  if (const char* n = name_of(kClientTypes, type)) return n;
  if (type >= 0x4000 && type <= 0x7fff) return "Private Use";
  if (type >= 0x8000) return "First Come First Served (unregistered)";
  return "Unassigned";
}

void append_client_type_short(std::string& out, uint16_t type) {
  switch (type) {
    case 0: out += "0"; return;
    case 1: out += "RSVP"; return;
    case kClientTypeDiffServ: out += "COPS-PR/DiffServ"; return;
    case kClientTypePxPib: out += "COPS-PR/PXPIB"; return;
    case kClientTypePacketCable: out += "PacketCable-DQoS"; return;
    case kClientType3gppGo: out += "COPS-PR/3GPP-Go"; return;
    case kClientTypePcmm: out += "PCMM"; return;
    default: break;
  }
  out += hex_number(type, 4);
}

std::string client_type_short(uint16_t type) {
  std::string s;
  append_client_type_short(s, type);
  return s;
}

std::span<const ValueName> cnum_names() { return kCNums; }
bool cnum_known(uint8_t cnum) { return cnum >= kHandle && cnum <= kIntegrity; }

const char* object_name(uint8_t cnum, uint8_t ctype) {
  auto pick = [ctype](std::initializer_list<const char*> names) -> const char* {
    return ctype >= 1 && ctype <= names.size() ? names.begin()[ctype - 1] : nullptr;
  };
  switch (cnum) {
    case kHandle: return pick({"Handle"});
    case kContext: return pick({"Context"});
    case kInInterface: return pick({"In-Interface IPv4", "In-Interface IPv6"});
    case kOutInterface: return pick({"Out-Interface IPv4", "Out-Interface IPv6"});
    case kReason: return pick({"Reason"});
    case kDecision:
      return pick({"Decision: Flags", "Decision: Stateless Data", "Decision: Replacement Data",
                   "Decision: Client Specific Data", "Decision: Named Data"});
    case kLpdpDecision:
      return pick({"LPDP Decision: Flags", "LPDP Decision: Stateless Data", "LPDP Decision: Replacement Data",
                   "LPDP Decision: Client Specific Data", "LPDP Decision: Named Data"});
    case kError: return pick({"Error"});
    case kClientSI: return pick({"ClientSI: Signaled", "ClientSI: Named"});
    case kKATimer: return pick({"Keep-Alive Timer"});
    case kPepId: return pick({"PEP Identification"});
    case kReportType: return pick({"Report-Type"});
    case kPdpRedirect: return pick({"PDP Redirect Address IPv4", "PDP Redirect Address IPv6"});
    case kLastPdp: return pick({"Last PDP Address IPv4", "Last PDP Address IPv6"});
    case kAcctTimer: return pick({"Accounting Timer"});
    case kIntegrity: return pick({"Message Integrity (HMAC)", "Integrity-TLS"});
    default: return nullptr;
  }
}

std::span<const ValueName> rtype_names() { return kRTypes; }
std::span<const ValueName> reason_names() { return kReasons; }
std::span<const ValueName> decision_command_names() { return kCommands; }
std::span<const ValueName> error_names() { return kErrors; }
std::span<const ValueName> security_subcode_names() { return kSecuritySubcodes; }
std::span<const ValueName> report_type_names() { return kReportTypes; }
std::span<const ValueName> flag_names() { return kFlags; }
std::span<const ValueName> snum_names() { return kSNums; }
std::span<const ValueName> stype_names() { return kSTypes; }
std::span<const ValueName> gperr_names() { return kGpErrs; }
std::span<const ValueName> cperr_names() { return kCpErrs; }
std::span<const ValueName> ber_type_names() { return kBerTypes; }

void append_rtype_label(std::string& out, uint16_t rtype) {
  static constexpr std::string_view kShort[] = {"Incoming-Message", "Resource-Allocation", "Outgoing-Message",
                                                "Configuration"};
  if (rtype == 0) {
    out += "none";
    return;
  }
  bool first = true;
  for (unsigned bit = 0; bit < 16; ++bit) {
    if (!(rtype & (1u << bit))) continue;
    if (!first) out += '+';
    first = false;
    if (bit < 4) {
      out += kShort[bit];
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%x", 1u << bit);
      out += buf;
    }
  }
}

}  // namespace quartet::cops
