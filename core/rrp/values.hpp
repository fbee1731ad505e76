// Syntax of the values RFC 2832 gives a grammar for: host/domain names and IP
// addresses (IPv6 since RFC 3632 2.3). Used to report, never to reject.
#pragma once

#include <string_view>

namespace quartet::rrp {

// Letters, digits and '-' in dot-separated labels of 1..63 characters, no label
// starting or ending with '-', 255 characters at most; one trailing dot allowed.
bool is_host_name(std::string_view s);

// Dotted-quad IPv4 or textual IPv6.
bool is_ip_address(std::string_view s);

}  // namespace quartet::rrp
