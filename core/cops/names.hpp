// Value tables of the COPS registry (IANA cops-parameters, RFC 2748, RFC 3084,
// RFC 4261): every enumerated wire value gets a name here and nowhere else.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "../common/field.hpp"

namespace quartet::cops {

// Op-codes (RFC 2748 2.1).
enum OpCode : uint8_t {
  kREQ = 1,
  kDEC = 2,
  kRPT = 3,
  kDRQ = 4,
  kSSQ = 5,
  kOPN = 6,
  kCAT = 7,
  kCC = 8,
  kKA = 9,
  kSSC = 10,
};

// C-Nums (RFC 2748 2.2, RFC 4261).
enum CNum : uint8_t {
  kHandle = 1,
  kContext = 2,
  kInInterface = 3,
  kOutInterface = 4,
  kReason = 5,
  kDecision = 6,
  kLpdpDecision = 7,
  kError = 8,
  kClientSI = 9,
  kKATimer = 10,
  kPepId = 11,
  kReportType = 12,
  kPdpRedirect = 13,
  kLastPdp = 14,
  kAcctTimer = 15,
  kIntegrity = 16,
};

// Client-types with their own meaning in the core.
inline constexpr uint16_t kClientTypeNone = 0;        // KA, RFC 4261 security negotiation
inline constexpr uint16_t kClientTypeDiffServ = 2;    // COPS-PR with the DiffServ PIB
inline constexpr uint16_t kClientTypePxPib = 0x8007;  // HP PolicyXpert COPS-PR
inline constexpr uint16_t kClientTypePacketCable = 0x8008;
inline constexpr uint16_t kClientType3gppGo = 0x8009;  // go3gppPib (COPS-PR)
inline constexpr uint16_t kClientTypePcmm = 0x800a;

std::span<const ValueName> opcode_names();  // "Request (REQ)"
const char* opcode_abbrev(uint8_t opcode);  // "REQ", nullptr when unknown
std::span<const ValueName> client_type_names();
std::string client_type_label(uint16_t type);                    // registry name or the range it falls in
std::string client_type_short(uint16_t type);                    // for the summary: "DiffServ", "PCMM", "0x4001"
void append_client_type_short(std::string& out, uint16_t type);  // the same, appended
std::span<const ValueName> cnum_names();
const char* object_name(uint8_t cnum, uint8_t ctype);  // "Decision: Flags"; nullptr when unknown
bool cnum_known(uint8_t cnum);

std::span<const ValueName> rtype_names();
std::span<const ValueName> reason_names();
std::span<const ValueName> decision_command_names();
std::span<const ValueName> error_names();
std::span<const ValueName> security_subcode_names();  // Error 15 sub-codes, RFC 4261
std::span<const ValueName> report_type_names();
std::span<const ValueName> flag_names();  // header flags nibble

// COPS-PR (RFC 3084).
std::span<const ValueName> snum_names();
std::span<const ValueName> stype_names();
std::span<const ValueName> gperr_names();
std::span<const ValueName> cperr_names();
std::span<const ValueName> ber_type_names();  // the SMI types an EPD attribute can carry

// Appends "Incoming-Message+Configuration" for an R-Type bit set, "none" for 0
// (to the caller's string: no string of its own on the decoder's per-PDU path).
void append_rtype_label(std::string& out, uint16_t rtype);

}  // namespace quartet::cops
