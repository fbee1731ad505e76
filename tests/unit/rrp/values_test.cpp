#include <gtest/gtest.h>

#include "rrp_test_util.hpp"
#include "rrp/values.hpp"

using namespace rrp_test;

TEST(RrpValues, HostNames) {
  for (std::string_view ok :
       {"example.com", "ns1.registrarA.com", "xn--bcher-kva.example", "a.b", "EXAMPLE.COM.", "a-b.c"})
    EXPECT_TRUE(is_host_name(ok)) << ok;
  for (std::string_view bad :
       {"", ".", "exa mple.com", "-a.com", "a-.com", "a..com", "caf\xc3\xa9.com", "a_b.com", "a.com..", "x.com/"})
    EXPECT_FALSE(is_host_name(bad)) << bad;
  EXPECT_TRUE(is_host_name(std::string(63, 'a') + ".com"));
  EXPECT_FALSE(is_host_name(std::string(64, 'a') + ".com"));
  std::string long_name;
  while (long_name.size() < 256) long_name += "abcdefgh.";
  EXPECT_FALSE(is_host_name(long_name + "com"));
}

TEST(RrpValues, IpAddresses) {
  for (std::string_view ok : {"198.41.1.11", "0.0.0.0", "2001:db8::1", "::1", "::ffff:192.0.2.1"})
    EXPECT_TRUE(is_ip_address(ok)) << ok;
  for (std::string_view bad :
       {"", "198.41.1", "198.41.1.256", "1.2.3.4.5", "2001:db8:::1", "ns1.example.com", "198.41.1.11 "})
    EXPECT_FALSE(is_ip_address(bad)) << bad;
  EXPECT_FALSE(is_ip_address(std::string(100, '1')));
}

TEST(RrpValues, RequestValuesAreChecked) {
  Decoded d = decode(bytes("add\r\nEntityName:NameServer\r\nNameServer:ns_1.example.com\r\n"
                           "IPAddress:198.41.1.300\r\n.\r\n"),
                     Direction::ToServer);
  const Problem* host = problem(d, ProblemKind::Violation, "NameServer \"ns_1.example.com\" is not a valid host name");
  ASSERT_TRUE(host) << dump(d);
  EXPECT_EQ(host->offset, 39u);
  EXPECT_EQ(host->length, 16u);
  EXPECT_TRUE(problem(d, ProblemKind::Violation, "IPAddress \"198.41.1.300\" is not a valid IPv4 or IPv6 address"))
      << dump(d);
  // The values are still decoded.
  EXPECT_EQ(text_of(d, kNameServer), "ns_1.example.com");
  EXPECT_EQ(text_of(d, kIpAddress), "198.41.1.300");
}
