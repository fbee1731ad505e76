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
  EXPECT_NE(parse({"-i", "eth0"}).error.find("tcpdump -U -w - -i IFACE | quartet -"), std::string::npos);
  EXPECT_NE(parse({"--interface=eth0"}).error.find("not interfaces"), std::string::npos);
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

namespace {

TEST(Cli, MaxFlows) {
  EXPECT_EQ(parse({"--max-flows", "5000", "f.pcap"}).max_flows, 5000u);
  EXPECT_EQ(parse({"f.pcap"}).max_flows, 0u);
  for (std::string_view bad : {"0", "-3", "1k", ""}) EXPECT_NE(parse({"--max-flows", bad, "f.pcap"}).error, "") << bad;
}

TEST(Cli, Threads) {
  EXPECT_EQ(parse({"--threads", "4", "f.pcap"}).threads, 4u);
  EXPECT_EQ(parse({"--threads=1", "f.pcap"}).threads, 1u);
  EXPECT_EQ(parse({"f.pcap"}).threads, 0u);  // main: one per core
  for (std::string_view bad : {"0", "-2", "2x", "", "1025"})
    EXPECT_NE(parse({"--threads", bad, "f.pcap"}).error, "") << bad;
}

TEST(Cli, ShardKOfN) {
  CliArgs a = parse({"--shard", "2/3", "f.pcap"});
  ASSERT_EQ(a.error, "");
  EXPECT_EQ(a.app.shard.index, 1u);  // 0-based inside, as GNU split's K/N outside
  EXPECT_EQ(a.app.shard.count, 3u);
  for (std::string_view bad : {"0/3", "4/3", "3", "1/0", "a/b", "1/3x", "/3", "-1/3"})
    EXPECT_NE(parse({"--shard", bad, "f.pcap"}).error, "") << bad;
}

TEST(Shard, HashIsDirectionFreeAndSpreads) {
  Endpoint a, b;
  a.addr = {10, 0, 0, 1};
  b.addr = {10, 0, 0, 2};
  b.port = 3288;
  int hits[4] = {0, 0, 0, 0};
  for (uint16_t port = 40000; port < 40400; ++port) {
    a.port = port;
    ASSERT_EQ(connection_hash(a, b), connection_hash(b, a));
    FlowInfo f;
    f.client = a;
    f.server = b;
    int in = 0;
    for (uint32_t k = 0; k < 4; ++k)
      if (in_shard(f, Shard{k, 4})) {
        ++hits[k];
        ++in;
      }
    ASSERT_EQ(in, 1) << "each connection in exactly one shard";
  }
  for (int h : hits) EXPECT_GT(h, 60) << "400 connections over 4 shards";
  a.v6 = b.v6 = true;
  EXPECT_NE(connection_hash(a, b), connection_hash(Endpoint{}, b));
}

}  // namespace
