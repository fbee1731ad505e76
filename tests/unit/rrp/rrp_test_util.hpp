// Helpers shared by the RRP unit tests.
#pragma once

#include <string_view>

#include "../support/decoded_queries.hpp"
#include "common/protocol.hpp"
#include "rrp/decoder.hpp"
#include "rrp/fields.hpp"

namespace rrp_test {

using namespace quartet;
using namespace quartet::rrp;
using namespace quartet::test;  // bytes(), all(), text_of(), uint_of(), count(), problem(), dump()
using enum quartet::rrp::Field;

// RFC 2832 section 4.3 examples (C: lines), CRLF-terminated.
inline constexpr std::string_view kAddDomain =
    "add\r\nEntityName:Domain\r\nDomainName:example.com\r\n-Period:10\r\n"
    "NameServer:ns1.registrarA.com\r\nNameServer:ns2.registrarA.com\r\n.\r\n";
inline constexpr std::string_view kAddDomainReply =
    "200 Command completed successfully\r\n"
    "registration expiration date:2009-09-22 10:27:00.0\r\nstatus:ACTIVE\r\n.\r\n";
inline constexpr std::string_view kAddNameServer =
    "add\r\nEntityName:NameServer\r\nNameServer:ns1.registrarA.com\r\n"
    "IPAddress:198.41.1.11\r\nIPAddress:198.41.1.12\r\n.\r\n";
inline constexpr std::string_view kCheckDomain = "check\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n";
inline constexpr std::string_view kModDomain =
    "mod\r\nEntityName:Domain\r\nDomainName:example.com\r\nNameServer:ns3.registrarA.com\r\n"
    "NameServer:ns1.registrarA.com=\r\n.\r\n";
inline constexpr std::string_view kModNameServer =
    "mod\r\nEntityName:NameServer\r\nNameServer:ns1.registrarA.com\r\nNewNameServer:ns2.registrarA.com\r\n"
    "IPAddress:198.42.1.11\r\nIPAddress:198.41.1.11=\r\n.\r\n";
inline constexpr std::string_view kRenew =
    "renew\r\nEntityName:Domain\r\nDomainName:example.com\r\n-Period:9\r\n-CurrentExpirationYear:2001\r\n.\r\n";
inline constexpr std::string_view kSession = "session\r\n-Id:registrarA\r\n-Password:i-am-registrarA\r\n.\r\n";
inline constexpr std::string_view kSessionNewPassword =
    "session\r\n-Id:registrarA\r\n-Password:i-am-registrarA\r\n-NewPassword:new-password-for-registrarA\r\n.\r\n";
inline constexpr std::string_view kStatusNameServer =
    "status\r\nEntityName:NameServer\r\nNameServer:ns1.registrarA.com\r\n.\r\n";
inline constexpr std::string_view kStatusNameServerReply =
    "200 Command completed successfully\r\nipaddress:198.42.1.11\r\nregistrar:registrarA\r\n"
    "registrar transfer date:1999-09-22 10:27:00.0\r\nCreatedDate:1998-09-22 10:27:00.0\r\n"
    "CreatedBy:registrarA\r\nUpdatedDate:2002-09-22 10:27:00.0\r\nUpdatedBy:registrarA\r\n.\r\n";
// Real clients put the option first (Net::DRI does for TRANSFER).
inline constexpr std::string_view kTransfer =
    "transfer\r\n-Approve:Yes\r\nEntityName:Domain\r\nDomainName:example.com\r\n.\r\n";
inline constexpr std::string_view kDescribe = "describe\r\n-Target:Protocol\r\n.\r\n";
inline constexpr std::string_view kQuit = "quit\r\n.\r\n";
inline constexpr std::string_view kOk = "200 Command completed successfully\r\n.\r\n";
inline constexpr std::string_view kQuitReply = "220 Command completed successfully. Server closing connection\r\n.\r\n";
inline constexpr std::string_view kAuthFailed = "530 Authentication failed\r\n.\r\n";
inline constexpr std::string_view kBanner = "NSI Registry RRP Server version 1.1.0\r\nBuild 2000-05-01 14:00\r\n.\r\n";

}  // namespace rrp_test
