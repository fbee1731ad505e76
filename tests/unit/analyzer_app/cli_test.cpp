// The command-line parser.
#include <gtest/gtest.h>

#include "cli.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

CliArgs parse(std::initializer_list<std::string_view> a) { return parse_cli(std::vector<std::string_view>(a)); }

TEST(Cli, FilesOptionsAndValues) {
  CliArgs a = parse({"-f", "tcp port 3288", "--format=jsonl", "-o", "out.jsonl", "--summary", "x.pcap", "-",
                     "--show-secrets", "y.pcapng.gz"});
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.bpf, "tcp port 3288");
  EXPECT_EQ(a.app.format, OutputFormat::Jsonl);
  EXPECT_EQ(a.output, "out.jsonl");
  EXPECT_TRUE(a.app.summary_only);
  EXPECT_TRUE(a.app.show_secrets);
  EXPECT_EQ(a.files, (std::vector<std::string>{"x.pcap", "-", "y.pcapng.gz"}));
}

TEST(Cli, DecodeAsPlainTlsAndPortLists) {
  CliArgs a = parse({"--decode-as", "sp=5555,5556", "-d", "RRP/tls=7648", "-dcopsx=4000", "f.pcap"});
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.app.decode_as.size(), 4u);
  EXPECT_EQ(a.app.decode_as[0].protocol, &sp::protocol());
  EXPECT_EQ(a.app.decode_as[1].port, 5556);
  EXPECT_EQ(a.app.decode_as[2].protocol, &rrp::protocol());
  EXPECT_TRUE(a.app.decode_as[2].tls);
  EXPECT_FALSE(a.app.decode_as[0].tls);
  EXPECT_EQ(a.app.decode_as[3].protocol, &cops::protocol());
  EXPECT_EQ(a.app.decode_as[3].port, 4000);
}

TEST(Cli, Errors) {
  EXPECT_NE(parse({"--decode-as", "http=80", "f"}).error.find("unknown protocol 'http'"), std::string::npos);
  EXPECT_NE(parse({"--decode-as", "sp=0", "f"}).error.find("bad port"), std::string::npos);
  EXPECT_NE(parse({"--decode-as", "sp=70000", "f"}).error.find("bad port"), std::string::npos);
  EXPECT_NE(parse({"--decode-as", "sp", "f"}).error.find("PROTO=PORT"), std::string::npos);
  EXPECT_NE(parse({"--format", "xml", "f"}).error.find("unknown format"), std::string::npos);
  EXPECT_NE(parse({"--protocol", "http", "f"}).error.find("unknown protocol"), std::string::npos);
  EXPECT_NE(parse({"-o"}).error.find("needs a value"), std::string::npos);
  EXPECT_NE(parse({"--summary=yes", "f"}).error.find("takes no value"), std::string::npos);
  EXPECT_NE(parse({"--frobnicate", "f"}).error.find("unknown option"), std::string::npos);
  EXPECT_EQ(parse({}).error, "no capture file given");
}

TEST(Cli, HelpAndVersionNeedNoFile) {
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_EQ(parse({"-h"}).error, "");
  EXPECT_TRUE(parse({"-V"}).version);
  EXPECT_NE(usage_text().find("Exit status"), std::string::npos);
}

TEST(Cli, ReadOptionLikeTcpdump) {
  CliArgs a = parse({"-r", "a.pcap", "--read=b.pcap", "c.pcap"});
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.files, (std::vector<std::string>{"a.pcap", "b.pcap", "c.pcap"}));
}

TEST(Cli, ProtocolFilterAndDoubleDash) {
  CliArgs a = parse({"-p", "IAP", "--", "-weird-name.pcap"});
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.app.only, &iap::protocol());
  EXPECT_EQ(a.files, std::vector<std::string>{"-weird-name.pcap"});
}

}  // namespace
