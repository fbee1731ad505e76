// RRP response codes (RFC 2832 section 5.1, plus 510 and 557 from RFC 3632 2.1)
// and the command words of RFC 2832 section 4.3.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "../common/field.hpp"

namespace quartet::rrp {

enum class Command : uint8_t {
  Unknown,
  Add,
  Check,
  Del,
  Describe,
  Mod,
  Quit,
  Renew,
  Session,
  Status,
  Transfer,
};

// The lowercase canonical word ("add"); "unknown" for Command::Unknown.
std::string_view command_name(Command c);
// Case-insensitive lookup of a command word; Command::Unknown when not one.
Command command_from(std::string_view word);

// Code -> description as the RFCs word it; the value_string of response.code.
inline constexpr ValueName kResponseCodes[] = {
    {200, "Command completed successfully"},
    {210, "Domain name available"},
    {211, "Domain name not available"},
    {212, "Name server available"},
    {213, "Name server not available"},
    {220, "Command completed successfully. Server closing connection"},
    {420, "Command failed due to server error. Server closing connection"},
    {421, "Command failed due to server error. Client should try again"},
    {500, "Invalid command name"},
    {501, "Invalid command option"},
    {502, "Invalid entity value"},
    {503, "Invalid attribute name"},
    {504, "Missing required attribute"},
    {505, "Invalid attribute value syntax"},
    {506, "Invalid option value"},
    {507, "Invalid command format"},
    {508, "Missing required entity"},
    {509, "Missing command option"},
    {510, "Invalid encoding"},  // RFC 3632
    {520, "Server closing connection. Client should try opening new connection"},
    {521, "Too many sessions open. Server closing connection"},
    {530, "Authentication failed"},
    {531, "Authorization failed"},
    {532, "Domain names linked with name server"},
    {533, "Domain name has active name servers"},
    {534, "Domain name has not been flagged for transfer"},
    {535, "Restricted IP address"},
    {536, "Domain already flagged for transfer"},
    {540, "Attribute value is not unique"},
    {541, "Invalid attribute value"},
    {542, "Invalid old value for an attribute"},
    {543, "Final or implicit attribute cannot be updated"},
    {544, "Entity on hold"},
    {545, "Entity reference not found"},
    {546, "Credit limit exceeded"},
    {547, "Invalid command sequence"},
    {548, "Domain is not up for renewal"},
    {549, "Command failed"},
    {550, "Parent domain not registered"},
    {551, "Parent domain status does not allow for operation"},
    {552, "Domain status does not allow for operation"},
    {553, "Operation not allowed. Domain pending transfer"},
    {554, "Domain already registered"},
    {555, "Domain already renewed"},
    {556, "Maximum registration period exceeded"},
    {557, "Name server locked"},  // RFC 3632
};

// nullptr for a code neither RFC defines.
const char* response_meaning(uint64_t code);
// 220, 420, 520 and 521 end the connection (RFC 2832 5.1): the session goes to DIS.
bool closes_connection(uint64_t code);
// 210-213 (domain/name server available or not) answer CHECK and nothing else.
inline bool answers_check_only(uint64_t code) { return code >= 210 && code <= 213; }

}  // namespace quartet::rrp
