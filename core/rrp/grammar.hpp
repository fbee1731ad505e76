// What RFC 2832 section 4.3 allows in each request: the attribute and option
// names it defines, and per command/entity which of them are required,
// allowed and repeatable. Response attribute names (STATUS, DESCRIBE answers)
// are listed here too so both directions map them onto the same fields.
#pragma once

#include <cstdint>
#include <string_view>

#include "fields.hpp"
#include "codes.hpp"
#include "decoder.hpp"

namespace quartet::rrp {

// Request attributes as bits, so a command's rules fit in a few masks.
enum AttrBit : uint8_t {
  kAttrDomainName = 1 << 0,
  kAttrNameServer = 1 << 1,
  kAttrNewNameServer = 1 << 2,
  kAttrIpAddress = 1 << 3,
  kAttrStatus = 1 << 4,
};
enum OptBit : uint8_t {
  kOptBitPeriod = 1 << 0,
  kOptBitExpirationYear = 1 << 1,
  kOptBitId = 1 << 2,
  kOptBitPassword = 1 << 3,
  kOptBitNewPassword = 1 << 4,
  kOptBitTarget = 1 << 5,
  kOptBitApprove = 1 << 6,
};

struct NamedItem {
  std::string_view spelled;  // as the RFC spells it, for messages ("DomainName", "-Period")
  Field field;               // the field that carries its value
  uint8_t bit;               // AttrBit / OptBit; 0 for response-only attributes
};

// Request attributes (DomainName, NameServer, NewNameServer, IPAddress, Status);
// nullptr for any other name.
const NamedItem* request_attribute(std::string_view wire_name);
// Any attribute a server answers with, request ones included; nullptr if unknown.
const NamedItem* response_attribute(std::string_view wire_name);
// Options without their leading '-' (Period, CurrentExpirationYear, Id, Password,
// NewPassword, Target, Approve); nullptr for any other name.
const NamedItem* option(std::string_view wire_name_without_dash);
// The RFC's spelling of a request attribute / option bit ("DomainName", "-Period").
std::string_view attribute_spelled(uint8_t attr_bit);
std::string_view option_spelled(uint8_t opt_bit);

struct Shape {
  Command command;
  Entity entity;  // Entity::None: the command takes no EntityName line
  uint8_t required_attrs, allowed_attrs, repeatable_attrs;
  uint8_t required_opts, allowed_opts;
  std::string_view section;  // of RFC 2832
};

// The rules for command + entity; nullptr when the pair is not defined
// (e.g. RENEW with EntityName:NameServer).
const Shape* shape_of(Command c, Entity e);
// Whether the command needs an EntityName line at all.
bool takes_entity(Command c);
// RFC 2832 section of a command, e.g. "4.3.1" for ADD.
std::string_view section_of(Command c);

// At most 13 name servers per domain (RFC 2832 4.3.1).
inline constexpr size_t kMaxNameServers = 13;

}  // namespace quartet::rrp
