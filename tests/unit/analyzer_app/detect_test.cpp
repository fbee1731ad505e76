// Protocol detection over the real registry: --decode-as, default ports, heuristics, TLS.
#include <gtest/gtest.h>

#include "detect.hpp"
#include "sink_harness.hpp"
#include "tls_test_util.hpp"

using namespace harness;

namespace {

const std::string kSpReq = std::string("\0SP\0\0\x30\0\0", 8);
const std::string kRrpGreeting = "NSI Registry RRP Server version 1.1.0\r\nBuild 2000-05-01 14:00\r\n.\r\n";

Detection run(const FlowInfo& f, const AppOptions& o, const std::string& c, const std::string& s, bool final = false) {
  return detect(f, o, as_bytes(c), as_bytes(s), final);
}

TEST(Detect, WaitsForBytesUnlessFinal) {
  AppOptions o;
  EXPECT_EQ(run(flow(1, 3288, 0), o, "", "").verdict, Detection::Verdict::NeedMore);
  Detection d = run(flow(1, 3288, 0), o, "", "", true);
  EXPECT_EQ(d.verdict, Detection::Verdict::Decided);
  EXPECT_EQ(d.protocol, &cops::protocol());
  EXPECT_EQ(d.by, Detection::By::Port);
  EXPECT_EQ(run(flow(1, 12345, 0), o, "", "", true).verdict, Detection::Verdict::NotOurs);
}

TEST(Detect, DefaultPorts) {
  AppOptions o;
  Detection d = run(flow(1, 4720, 0), o, "", "", true);
  EXPECT_EQ(d.protocol, &iap::protocol());
  EXPECT_FALSE(d.tls);
  // RRP's port 648 is a TLS port: a ClientHello makes it RRP over TLS.
  d = run(flow(1, 648, 0), o, tlsgen::client_hello("r.example"), "");
  EXPECT_EQ(d.verdict, Detection::Verdict::Decided);
  EXPECT_EQ(d.protocol, &rrp::protocol());
  EXPECT_TRUE(d.tls);
}

TEST(Detect, TlsPortWithBytesThatCannotBeTlsIsPlain) {
  AppOptions o;
  // The first 30 bytes of an RRP greeting (snapshot length cut the rest).
  Detection d = run(flow(1, 648, 0), o, "", "Example Registry RRP Server ve", true);
  EXPECT_EQ(d.protocol, &rrp::protocol());
  EXPECT_FALSE(d.tls);
  // Application data picked up mid-stream is TLS.
  d = run(flow(1, 648, 0), o, tlsgen::record(23, std::string(40, 'x')), "", true);
  EXPECT_TRUE(d.tls);
  // Nothing seen: the port says TLS.
  EXPECT_TRUE(run(flow(1, 648, 0), o, "", "", true).tls);
}

TEST(Detect, HeuristicFindsSpAndRrpOnAnyPort) {
  AppOptions o;
  Detection d = run(flow(1, 5555, 0), o, kSpReq, "");
  EXPECT_EQ(d.verdict, Detection::Verdict::Decided);
  EXPECT_EQ(d.protocol, &sp::protocol());
  EXPECT_EQ(d.by, Detection::By::Heuristic);
  d = run(flow(1, 7000, 0), o, "", kRrpGreeting);
  EXPECT_EQ(d.protocol, &rrp::protocol());
}

TEST(Detect, UnknownBytesAreNotOurs) {
  AppOptions o;
  EXPECT_EQ(run(flow(1, 22, 0), o, "SSH-2.0-OpenSSH_9.2p1\r\n", "SSH-2.0-OpenSSH_9.2p1 Debian\r\n").verdict,
            Detection::Verdict::NotOurs);
  // A TLS connection on a port of no protocol cannot be attributed.
  EXPECT_EQ(run(flow(1, 443, 0), o, tlsgen::client_hello("www.example"), "", true).verdict,
            Detection::Verdict::NotOurs);
}

TEST(Detect, DecodeAsWinsOverPortsAndHeuristics) {
  AppOptions o;
  o.decode_as.push_back({&iap::protocol(), 3288, false});
  Detection d = run(flow(1, 3288, 0), o, kSpReq, "");
  EXPECT_EQ(d.protocol, &iap::protocol());
  EXPECT_EQ(d.by, Detection::By::DecodeAs);
  o.decode_as = {{&sp::protocol(), 9000, true}};
  d = run(flow(1, 9000, 0), o, "", "", true);
  EXPECT_EQ(d.protocol, &sp::protocol());
  EXPECT_TRUE(d.tls);
}

TEST(Detect, AnotherProtocolsHeuristicBeatsAPortMatchItsOwnProbeRejects) {
  AppOptions o;
  Detection d = run(flow(1, 4720, 0), o, kSpReq, std::string("\0SP\0\0\x31\0\0", 8));
  EXPECT_EQ(d.protocol, &sp::protocol());
  EXPECT_EQ(d.by, Detection::By::Heuristic);
}

TEST(Detect, GuessedRolesAlsoTryTheClientPort) {
  AppOptions o;
  FlowInfo f = flow(1, 50000, 0, 4720);  // the reassembler guessed the roles wrongly
  f.roles = RoleSource::PortGuess;
  EXPECT_EQ(run(f, o, "", "", true).protocol, &iap::protocol());
  f.roles = RoleSource::Handshake;
  EXPECT_EQ(run(f, o, "", "", true).verdict, Detection::Verdict::NotOurs);
}

}  // namespace
