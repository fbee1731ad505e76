#include "grammar.hpp"

#include "fields.hpp"
#include "text.hpp"

namespace quartet::rrp {

using enum Field;

namespace {

struct Entry {
  std::string_view key;  // lowercase, no separators: matched with loose_equals
  NamedItem item;
};

constexpr Entry kRequestAttributes[] = {
    {"domainname", {"DomainName", kDomainName, kAttrDomainName}},
    {"nameserver", {"NameServer", kNameServer, kAttrNameServer}},
    {"newnameserver", {"NewNameServer", kNewNameServer, kAttrNewNameServer}},
    {"ipaddress", {"IPAddress", kIpAddress, kAttrIpAddress}},
    {"status", {"Status", kStatus, kAttrStatus}},
};

// Names seen in RFC 2832's STATUS/DESCRIBE examples, which spell them both with
// spaces ("registration expiration date") and without ("CreatedDate").
constexpr Entry kResponseOnlyAttributes[] = {
    {"registrar", {"registrar", kRegistrar, 0}},
    {"registrationexpirationdate", {"registration expiration date", kExpirationDate, 0}},
    {"registrartransferdate", {"registrar transfer date", kTransferDate, 0}},
    {"createddate", {"created date", kCreatedDate, 0}},
    {"createdby", {"created by", kCreatedBy, 0}},
    {"updateddate", {"updated date", kUpdatedDate, 0}},
    {"updatedby", {"updated by", kUpdatedBy, 0}},
    {"protocol", {"Protocol", kProtocolVersion, 0}},
    {"protocolversion", {"Protocol version", kProtocolVersion, 0}},
    {"protocolversions", {"Protocol versions", kProtocolVersion, 0}},
};

constexpr Entry kOptions[] = {
    {"period", {"-Period", kOptPeriod, kOptBitPeriod}},
    {"currentexpirationyear", {"-CurrentExpirationYear", kOptExpirationYear, kOptBitExpirationYear}},
    {"id", {"-Id", kOptId, kOptBitId}},
    {"password", {"-Password", kOptPassword, kOptBitPassword}},
    {"newpassword", {"-NewPassword", kOptNewPassword, kOptBitNewPassword}},
    {"target", {"-Target", kOptTarget, kOptBitTarget}},
    {"approve", {"-Approve", kOptApprove, kOptBitApprove}},
};

template <size_t N>
const NamedItem* lookup(const Entry (&table)[N], std::string_view name) {
  for (const auto& e : table)
    if (loose_equals(name, e.key)) return &e.item;
  return nullptr;
}

constexpr uint8_t D = kAttrDomainName, NS = kAttrNameServer, NNS = kAttrNewNameServer, IP = kAttrIpAddress,
                  ST = kAttrStatus;

constexpr Shape kShapes[] = {
    // command, entity, required, allowed, repeatable, required opts, allowed opts, section
    {Command::Add, Entity::Domain, D, D | NS, NS, 0, kOptBitPeriod, "4.3.1"},
    {Command::Add, Entity::NameServer, NS | IP, NS | IP, IP, 0, 0, "4.3.1"},
    {Command::Check, Entity::Domain, D, D, 0, 0, 0, "4.3.2"},
    {Command::Check, Entity::NameServer, NS, NS, 0, 0, 0, "4.3.2"},
    {Command::Del, Entity::Domain, D, D, 0, 0, 0, "4.3.3"},
    {Command::Del, Entity::NameServer, NS, NS, 0, 0, 0, "4.3.3"},
    {Command::Describe, Entity::None, 0, 0, 0, 0, kOptBitTarget, "4.3.4"},
    {Command::Mod, Entity::Domain, D, D | NS | ST, NS | ST, 0, 0, "4.3.5"},
    {Command::Mod, Entity::NameServer, NS, NS | NNS | IP, IP, 0, 0, "4.3.5"},
    {Command::Quit, Entity::None, 0, 0, 0, 0, 0, "4.3.6"},
    {Command::Renew, Entity::Domain, D, D, 0, 0, kOptBitPeriod | kOptBitExpirationYear, "4.3.7"},
    {Command::Session, Entity::None, 0, 0, 0, kOptBitId | kOptBitPassword,
     kOptBitId | kOptBitPassword | kOptBitNewPassword, "4.3.8"},
    {Command::Status, Entity::Domain, D, D, 0, 0, 0, "4.3.9"},
    {Command::Status, Entity::NameServer, NS, NS, 0, 0, 0, "4.3.9"},
    {Command::Transfer, Entity::Domain, D, D, 0, 0, kOptBitApprove, "4.3.10"},
};

}  // namespace

const NamedItem* request_attribute(std::string_view name) { return lookup(kRequestAttributes, name); }

const NamedItem* response_attribute(std::string_view name) {
  if (const NamedItem* i = lookup(kRequestAttributes, name)) return i;
  return lookup(kResponseOnlyAttributes, name);
}

const NamedItem* option(std::string_view name) { return lookup(kOptions, name); }

namespace {
template <size_t N>
std::string_view spelled(const Entry (&table)[N], uint8_t bit) {
  for (const auto& e : table)
    if (e.item.bit == bit) return e.item.spelled;
  return "?";
}
}  // namespace

std::string_view attribute_spelled(uint8_t bit) { return spelled(kRequestAttributes, bit); }
std::string_view option_spelled(uint8_t bit) { return spelled(kOptions, bit); }

const Shape* shape_of(Command c, Entity e) {
  for (const auto& s : kShapes)
    if (s.command == c && s.entity == e) return &s;
  return nullptr;
}

bool takes_entity(Command c) {
  return c != Command::Describe && c != Command::Quit && c != Command::Session && c != Command::Unknown;
}

std::string_view section_of(Command c) {
  for (const auto& s : kShapes)
    if (s.command == c) return s.section;
  return "4.3";
}

}  // namespace quartet::rrp
