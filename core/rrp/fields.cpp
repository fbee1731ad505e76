#include "fields.hpp"

#include "codes.hpp"

namespace quartet::rrp {

using enum Field;

namespace {

using T = FieldType;

constexpr FieldDef kFields[] = {
    {"request", "Request", T::Group},
    {"request.command",
     "Command",
     T::String,
     Base::None,
     {},
     0,
     "Command word in lowercase (add, check, del, describe, mod, quit, renew, session, status, transfer)"},
    {"request.entity", "Entity", T::String, Base::None, {}, 0, "EntityName: Domain or NameServer"},
    {"response", "Response", T::Group},
    {"response.code", "Response code", T::UInt16, Base::Dec, kResponseCodes},
    {"response.text", "Response text", T::String},
    {"response.reason",
     "Closing reason",
     T::String,
     Base::None,
     {},
     0,
     "The <why> of \"520 Server closing connection...; <why>\" (RFC 2832 5.1)"},
    {"greeting", "Server greeting", T::Group},
    {"greeting.line", "Greeting line", T::String},
    {"greeting.server",
     "Server",
     T::String,
     Base::None,
     {},
     0,
     "Registry named in \"<registry> RRP Server version x.y.z\""},
    {"greeting.version", "Server version", T::String},
    {"attribute", "Attribute", T::Group},
    {"attribute.name", "Attribute name", T::String},
    {"attribute.value",
     "Attribute value",
     T::String,
     Base::None,
     {},
     0,
     "Value of an attribute without a field of its own"},
    {"attribute.remove",
     "Remove value",
     T::Bool,
     Base::None,
     {},
     0,
     "MOD value ending in '=': the value is removed (RFC 2832 4.3.5)"},
    {"domain_name", "Domain name", T::String},
    {"name_server", "Name server", T::String},
    {"new_name_server", "New name server", T::String},
    {"ip_address", "IP address", T::String, Base::None, {}, 0, "IPv4, or IPv6 since RFC 3632"},
    {"status", "Status", T::String},
    {"registrar", "Registrar", T::String},
    {"registration_expiration_date", "Registration expiration date", T::String},
    {"registrar_transfer_date", "Registrar transfer date", T::String},
    {"created_date", "Created date", T::String},
    {"created_by", "Created by", T::String},
    {"updated_date", "Updated date", T::String},
    {"updated_by", "Updated by", T::String},
    {"protocol_version", "Protocol version", T::String, Base::None, {}, 0, "DESCRIBE -Target:Protocol answer"},
    {"option", "Option", T::Group},
    {"option.name", "Option name", T::String},
    {"option.value", "Option value", T::String, Base::None, {}, 0, "Value of an option without a field of its own"},
    {"option.period", "Registration period (years)", T::UInt32, Base::Dec},
    {"option.current_expiration_year", "Current expiration year", T::UInt32, Base::Dec},
    {"option.id", "Registrar id", T::String},
    {"option.password", "Password", T::String, Base::None, {}, 0, nullptr, true},
    {"option.new_password", "New password", T::String, Base::None, {}, 0, nullptr, true},
    {"option.target", "Describe target", T::String},
    {"option.approve", "Transfer approval", T::String, Base::None, {}, 0, "Yes or No"},
};
static_assert(sizeof(kFields) / sizeof(kFields[0]) == kFieldCount, "one FieldDef per Field");

}  // namespace

std::span<const FieldDef> fields() { return kFields; }

}  // namespace quartet::rrp
