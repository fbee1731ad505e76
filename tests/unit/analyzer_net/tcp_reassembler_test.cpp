// Drives the TCP reassembler with crafted segment sequences and checks the
// exact byte streams, gaps, warnings and close reasons it reports.
#include <gtest/gtest.h>

#include <string>

#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"
#include "../support/test_times.hpp"

namespace quartet::analyzer::net {
namespace {

using quartet::test::kMs;
using test::RecordingSink;

Endpoint ep(uint8_t last, uint16_t port) {
  Endpoint e;
  e.addr = {10, 0, 0, last};
  e.port = port;
  return e;
}

// One connection between 10.0.0.1:40000 (client) and 10.0.0.2:3288 (server);
// sequence numbers are given as offsets from each side's ISN + 1.
struct Conn {
  RecordingSink sink;
  TcpReassembler r;
  uint32_t cisn, sisn;
  uint16_t cport = 40000;  // another value: another connection through the same reassembler
  explicit Conn(TcpConfig cfg = {}, uint32_t client_isn = 1000, uint32_t server_isn = 5000)
      : r(sink, std::move(cfg)), cisn(client_isn), sisn(server_isn) {}

  void send(bool client, uint8_t flags, uint32_t seq_off, uint32_t ack_off, std::string_view data, TimeNs ts,
            uint32_t missing = 0) {
    TcpPacket p;
    p.src = client ? ep(1, cport) : ep(2, 3288);
    p.dst = client ? ep(2, 3288) : ep(1, cport);
    const uint32_t own = client ? cisn : sisn;
    const uint32_t peer = client ? sisn : cisn;
    p.seg.sport = p.src.port;
    p.seg.dport = p.dst.port;
    p.seg.flags = flags;
    p.seg.seq = (flags & kSyn) ? own : own + 1 + seq_off;
    p.seg.ack = peer + 1 + ack_off;
    p.seg.payload = as_bytes(data);
    p.seg.missing = missing;
    p.ts = ts;
    r.on_segment(p);
  }
  void c(uint32_t seq, uint32_t ack, std::string_view d, TimeNs ts = 0, uint8_t fl = kAck) {
    send(true, fl, seq, ack, d, ts);
  }
  void s(uint32_t seq, uint32_t ack, std::string_view d, TimeNs ts = 0, uint8_t fl = kAck) {
    send(false, fl, seq, ack, d, ts);
  }
  void handshake(TimeNs ts = 0) {
    send(true, kSyn, 0, 0, "", ts);
    send(false, kSyn | kAck, 0, 0, "", ts + kMs);
    send(true, kAck, 0, 0, "", ts + 2 * kMs);
  }
};

// A sink that wants no more bytes of a flow (StreamSink::on_data returned false):
// they are counted, not handed over, in order or from the reassembly buffer, and a
// retransmission that differs is not compared; FIN, close and state still come.
TEST(TcpReassembler, AQuietFlowIsCountedButNotHandedOver) {
  Conn k;
  k.sink.quiet_after = 1;
  k.handshake();
  k.c(0, 0, "hello", 3 * kMs, kAck | kPsh);
  k.s(0, 5, "world!", 4 * kMs, kAck | kPsh);
  k.c(10, 6, "later", 5 * kMs);  // after a hole: buffered
  k.c(5, 6, "01234", 6 * kMs);   // fills it: both delivered from here on
  k.c(0, 6, "HELLO", 7 * kMs);   // delivered already, other bytes
  k.c(15, 6, "", 8 * kMs, kAck | kFin);
  k.s(6, 16, "", 9 * kMs, kAck | kFin);
  EXPECT_EQ(k.sink.joined(), "C:hello|C:fin|S:fin|close 1 Fin C");
  ASSERT_EQ(k.sink.states.size(), 1u);
  EXPECT_EQ(k.sink.states[0].bytes[0], 15u);
  EXPECT_EQ(k.sink.states[0].bytes[1], 6u);
  EXPECT_EQ(k.r.stats().overlaps_differing, 0u);
  // The same flow, not quiet: every byte, and the differing retransmission reported.
  Conn loud;
  loud.handshake();
  loud.c(0, 0, "hello", 3 * kMs, kAck | kPsh);
  loud.c(0, 0, "HELLO", 4 * kMs);
  EXPECT_EQ(loud.r.stats().overlaps_differing, 1u);
}

TEST(TcpReassembler, HandshakeRequestResponseFinClose) {
  Conn k;
  k.handshake();
  k.c(0, 0, "hello", 3 * kMs, kAck | kPsh);
  k.s(0, 5, "world!", 4 * kMs, kAck | kPsh);
  k.c(5, 6, "", 5 * kMs, kAck | kFin);
  k.s(6, 6, "", 6 * kMs, kAck | kFin);
  k.c(6, 7, "", 7 * kMs);  // final ACK: absorbed by the closed flow
  EXPECT_EQ(k.sink.joined(), "C:hello|S:world!|C:fin|S:fin|close 1 Fin C");
  ASSERT_EQ(k.sink.opened.size(), 1u);
  EXPECT_EQ(k.sink.opened[0].roles, RoleSource::Handshake);
  EXPECT_EQ(k.sink.opened[0].client.port, 40000);
  EXPECT_EQ(k.sink.opened[0].server.port, 3288);
  ASSERT_EQ(k.sink.states.size(), 1u);
  EXPECT_TRUE(k.sink.states[0].handshake_seen);
  EXPECT_EQ(k.sink.states[0].bytes[0], 5u);
  EXPECT_EQ(k.sink.states[0].bytes[1], 6u);
  EXPECT_EQ(k.sink.zeek[0], "SF");
  EXPECT_EQ(k.r.stats().packets_after_close, 1u);
  EXPECT_EQ(k.r.open_flows(), 0u);
}

TEST(TcpReassembler, ReorderedSegmentsDeliveredInOrder) {
  Conn k;
  k.handshake();
  k.c(6, 0, "ghi", 3 * kMs);
  k.c(3, 0, "def", 4 * kMs);
  EXPECT_EQ(k.sink.stream[0], "");
  k.c(0, 0, "abc", 5 * kMs);
  EXPECT_EQ(k.sink.joined(), "C:abc|C:def|C:ghi");
  EXPECT_EQ(k.r.buffered_bytes(), 0u);
}

TEST(TcpReassembler, DuplicatesAndRetransmissionsDropped) {
  Conn k;
  k.handshake();
  k.c(0, 0, "abcd", 3 * kMs);
  k.c(0, 0, "abcd", 4 * kMs);
  k.c(2, 0, "cdef", 5 * kMs);  // half old: only "ef" is new
  EXPECT_EQ(k.sink.joined(), "C:abcd|C:ef");
  EXPECT_EQ(k.r.stats().retransmitted, 1u);
}

TEST(TcpReassembler, OverlapWithDifferentBytesFirstWinsAndWarns) {
  Conn k;
  k.handshake();
  k.c(3, 0, "XYZ", 3 * kMs);     // buffered first
  k.c(0, 0, "abcDEF", 4 * kMs);  // overlaps it with other bytes
  EXPECT_EQ(k.sink.stream[0], "abcXYZ");
  EXPECT_EQ(k.sink.joined(), "warn C overlap with different bytes at seq 1004 (first kept)|C:abc|C:XYZ");
  EXPECT_EQ(k.r.stats().overlaps_differing, 1u);
}

TEST(TcpReassembler, OverlapWithSameBytesIsSilent) {
  Conn k;
  k.handshake();
  k.c(3, 0, "def", 3 * kMs);
  k.c(0, 0, "abcdefg", 4 * kMs);
  EXPECT_EQ(k.sink.stream[0], "abcdefg");
  EXPECT_EQ(k.r.stats().overlaps_differing, 0u);
}

TEST(TcpReassembler, GapProvenByAckAfterWait) {
  Conn k;
  k.handshake();
  k.c(5, 0, "world", 10 * kMs);     // bytes 0..5 were never captured
  k.s(0, 10, "", 20 * kMs);         // the server has them all
  EXPECT_EQ(k.sink.stream[0], "");  // within the wait: maybe only reordered
  k.s(0, 10, "", 2000 * kMs);       // a second later: they are lost
  EXPECT_EQ(k.sink.joined(), "C:gap 5|C:world");
  EXPECT_EQ(k.r.stats().missing_bytes, 5u);
}

TEST(TcpReassembler, UnackedHoleWaitsForHoleTimeout) {
  TcpConfig cfg;
  cfg.hole_timeout = 3 * kSecond;
  Conn k(cfg);
  k.handshake();
  k.c(4, 0, "late", 10 * kMs);
  k.r.tick(2 * kSecond);
  EXPECT_EQ(k.sink.stream[0], "");
  k.r.tick(4 * kSecond);
  EXPECT_EQ(k.sink.joined(), "C:gap 4|C:late");
}

// Flows whose holes time out in one stall check are handled in first-packet order,
// whatever order they stalled in, so the events (and the output made of them) follow
// from the capture alone. They were a set of pointers, walked in heap-address order,
// which differs from run to run (found by fuzz_tcp_views).
TEST(TcpReassembler, StalledFlowsAreHandledInFirstPacketOrder) {
  TcpConfig cfg;
  cfg.hole_timeout = 3 * kSecond;
  Conn k(cfg);
  for (uint16_t i = 0; i < 6; ++i) {  // flow ids 1-6
    k.cport = static_cast<uint16_t>(40000 + i);
    k.handshake(i * 10 * kMs);
  }
  for (const uint16_t i : {uint16_t{4}, uint16_t{1}, uint16_t{5}, uint16_t{0}, uint16_t{3},
                           uint16_t{2}}) {  // stalled in another order, each behind a hole of its own size
    k.cport = static_cast<uint16_t>(40000 + i);
    k.c(10u * (i + 1u), 0, std::string(1, static_cast<char>('a' + i)), 100 * kMs);
  }
  k.r.tick(2 * kSecond);
  EXPECT_EQ(k.sink.joined(), "");
  k.r.tick(4 * kSecond);
  EXPECT_EQ(k.sink.joined(), "C:gap 10|C:a|C:gap 20|C:b|C:gap 30|C:c|C:gap 40|C:d|C:gap 50|C:e|C:gap 60|C:f");
}

TEST(TcpReassembler, SequenceWrapAround) {
  Conn k({}, 0xFFFFFFF0u, 0x7FFFFFFFu);
  k.handshake();
  // Client bytes 0..30 cross the 2^32 boundary at offset 15.
  k.c(20, 0, "uvwxyz0123", 3 * kMs);
  k.c(10, 0, "klmnopqrst", 4 * kMs);
  k.c(0, 0, "abcdefghij", 5 * kMs);
  k.s(0, 30, "ok", 6 * kMs);
  EXPECT_EQ(k.sink.stream[0], "abcdefghijklmnopqrstuvwxyz0123");
  EXPECT_EQ(k.sink.stream[1], "ok");
  EXPECT_EQ(k.r.stats().gaps, 0u);
}

TEST(TcpReassembler, ResetMidMessageFlushesWithGap) {
  Conn k;
  k.handshake();
  k.c(0, 0, "abc", 3 * kMs);
  k.c(5, 0, "fgh", 4 * kMs);  // bytes 3..5 missing
  k.s(0, 3, "", 5 * kMs, kRst | kAck);
  EXPECT_EQ(k.sink.joined(), "C:abc|C:gap 2|C:fgh|close 1 Reset S");
  EXPECT_EQ(k.sink.zeek[0], "RSTR");
  EXPECT_EQ(k.sink.states[0].missing[0], 2u);
  EXPECT_EQ(k.r.buffered_bytes(), 0u);
}

TEST(TcpReassembler, MidStreamPickupGuessesRolesFromPorts) {
  RecordingSink sink;
  TcpReassembler r(sink);
  TcpPacket p;
  p.src = ep(2, 3288);
  p.dst = ep(1, 50000);
  p.seg.sport = 3288;
  p.seg.dport = 50000;
  p.seg.flags = kAck | kPsh;
  p.seg.seq = 777;
  p.seg.ack = 999;
  p.seg.payload = as_bytes("resp");
  r.on_segment(p);
  std::swap(p.src, p.dst);
  p.seg.sport = 50000;
  p.seg.dport = 3288;
  p.seg.seq = 999;
  p.seg.ack = 781;
  p.seg.payload = as_bytes("next");
  p.ts = kMs;
  r.on_segment(p);
  r.finish();
  ASSERT_EQ(sink.opened.size(), 1u);
  EXPECT_EQ(sink.opened[0].roles, RoleSource::PortGuess);
  EXPECT_EQ(sink.opened[0].client.port, 50000);
  EXPECT_EQ(sink.opened[0].server.port, 3288);
  EXPECT_FALSE(sink.opened[0].handshake_seen);
  EXPECT_EQ(sink.joined(), "S:resp|C:next|close 1 EndOfCapture C");
  EXPECT_TRUE(sink.states[0].midstream);
  EXPECT_EQ(sink.zeek[0], "OTH");
}

TEST(TcpReassembler, ConfiguredServerPortBeatsLowerPort) {
  TcpConfig cfg;
  cfg.server_ports = {4001};
  RecordingSink sink;
  TcpReassembler r(sink, cfg);
  TcpPacket p;
  p.src = ep(1, 4001);
  p.dst = ep(2, 2000);
  p.seg.sport = 4001;
  p.seg.dport = 2000;
  p.seg.flags = kAck;
  p.seg.payload = as_bytes("x");
  r.on_segment(p);
  EXPECT_EQ(sink.opened.at(0).server.port, 4001);
}

TEST(TcpReassembler, ResponseNeverBeforeTheRequestItAcknowledges) {
  Conn k;
  k.handshake();
  // Capture timestamps disagree: the response is recorded first.
  k.s(0, 3, "RSP", 3 * kMs);
  k.c(0, 0, "REQ", 4 * kMs);
  EXPECT_EQ(k.sink.joined(), "C:REQ|S:RSP");
  EXPECT_EQ(k.r.stats().causal_holds, 1u);
}

TEST(TcpReassembler, HeldResponseReleasedWhenRequestWasLost) {
  Conn k;
  k.handshake();
  k.s(0, 3, "RSP", 3 * kMs);  // acknowledges 3 client bytes the capture never saw
  EXPECT_EQ(k.sink.stream[1], "");
  k.r.tick(2 * kSecond);
  EXPECT_EQ(k.sink.joined(), "C:gap 3|S:RSP");
}

TEST(TcpReassembler, SnaplenCutSegmentCountsMissingBytes) {
  Conn k;
  k.handshake();
  k.send(true, kAck, 0, 0, "ab", 3 * kMs, 3);  // 5 bytes on the wire, 2 captured
  k.c(5, 0, "fg", 4 * kMs);
  EXPECT_EQ(k.sink.joined(), "C:ab|C:gap 3|C:fg");
}

TEST(TcpReassembler, FinBehindAHoleWaitsThenReportsGap) {
  Conn k;
  k.handshake();
  k.c(0, 0, "ab", 3 * kMs);
  k.c(4, 0, "ef", 4 * kMs, kAck | kFin);
  EXPECT_EQ(k.sink.joined(), "C:ab");
  k.r.finish();
  EXPECT_EQ(k.sink.joined(), "C:ab|C:gap 2|C:ef|C:fin|close 1 EndOfCapture C");
  EXPECT_EQ(k.sink.zeek[0], "S2");
}

TEST(TcpReassembler, PerFlowBufferLimitFlushesWithGapAndBoundsMemory) {
  TcpConfig cfg;
  cfg.flow_buffer_limit = 64 * 1024;
  Conn k(cfg);
  k.handshake();
  const std::string block(1000, 'x');
  uint64_t max_buffered = 0;
  for (uint32_t i = 0; i < 100; ++i) {  // 100 KB after a 10-byte hole
    k.c(10 + i * 1000, 0, block, 3 * kMs);
    max_buffered = std::max(max_buffered, k.r.buffered_bytes());
  }
  EXPECT_LE(max_buffered, cfg.flow_buffer_limit);
  EXPECT_EQ(k.r.stats().flow_limit_flushes, 1u);
  ASSERT_GE(k.sink.events.size(), 3u);
  EXPECT_EQ(k.sink.events[1].rfind("warn C per-flow reassembly buffer limit of 65536 bytes reached", 0), 0u);
  EXPECT_EQ(k.sink.events[2], "C:gap 10");
  k.r.finish();
  EXPECT_EQ(k.sink.stream[0], std::string(100000, 'x'));
}

TEST(TcpReassembler, TotalBufferLimitAcrossFlows) {
  TcpConfig cfg;
  cfg.flow_buffer_limit = 64 * 1024;
  cfg.total_buffer_limit = 100 * 1024;
  RecordingSink sink;
  TcpReassembler r(sink, cfg);
  const std::string block(1000, 'y');
  uint64_t max_buffered = 0;
  for (uint16_t flow = 0; flow < 4; ++flow) {
    for (uint32_t i = 0; i < 40; ++i) {
      TcpPacket p;
      p.src = ep(1, static_cast<uint16_t>(40000 + flow));
      p.dst = ep(2, 80);
      p.seg.sport = p.src.port;
      p.seg.dport = 80;
      p.seg.flags = kAck;
      p.seg.seq = 100 + (i == 0 ? 0 : 50 + i * 1000);  // a hole after the first packet
      p.seg.payload = as_bytes(block);
      r.on_segment(p);
      max_buffered = std::max(max_buffered, r.buffered_bytes());
    }
  }
  EXPECT_LE(max_buffered, cfg.total_buffer_limit);
  EXPECT_GE(r.stats().total_limit_flushes, 1u);
}

// Over the total limit, the flow holding the most is flushed; of two holding as much,
// the first opened (not whichever the heap placed first).
TEST(TcpReassembler, TotalLimitFlushesTheFirstOpenedOfTwoHoldingAsMuch) {
  TcpConfig cfg;
  cfg.flow_buffer_limit = 64 * 1024;  // the smallest either may be
  cfg.total_buffer_limit = 64 * 1024;
  Conn k(cfg);
  for (uint16_t i = 0; i < 2; ++i) {
    k.cport = static_cast<uint16_t>(40000 + i);
    k.handshake(i * 10 * kMs);
  }
  const std::string held(33000, 'a');
  k.cport = 40000;
  k.c(5, 0, held, 100 * kMs);  // behind a hole of 5 bytes
  k.cport = 40001;
  k.c(7, 0, held, 110 * kMs);  // as much behind a hole of 7: 66,000 bytes held in all
  EXPECT_EQ(k.r.stats().total_limit_flushes, 1u);
  // The first flow's bytes, after its gap; the second's still held.
  EXPECT_EQ(k.sink.joined(),
            "warn C total reassembly buffer limit of 65536 bytes reached: 33000 buffered bytes delivered, holes "
            "before them reported as gaps|C:gap 5|C:" +
                held);
}

TEST(TcpReassembler, IdleFlowsExpire) {
  TcpConfig cfg;
  cfg.idle_timeout = 60 * kSecond;
  Conn k(cfg);
  k.handshake();
  k.c(0, 0, "hi", 3 * kMs);
  k.r.tick(30 * kSecond);
  EXPECT_EQ(k.r.open_flows(), 1u);
  k.r.tick(61 * kSecond);
  EXPECT_EQ(k.r.open_flows(), 0u);
  EXPECT_EQ(k.sink.joined(), "C:hi|close 1 Idle C");
  EXPECT_EQ(k.sink.zeek[0], "S1");
}

TEST(TcpReassembler, PortReuseAfterCloseOpensNewFlow) {
  Conn k;
  k.handshake();
  k.c(0, 0, "", kMs, kRst);
  k.cisn = 90000;
  k.handshake(10 * kMs);
  k.c(0, 0, "again", 20 * kMs);
  k.r.finish();
  ASSERT_EQ(k.sink.opened.size(), 2u);
  EXPECT_EQ(k.sink.opened[1].id, 2u);
  EXPECT_EQ(k.sink.joined(), "close 1 Reset C|C:again|close 2 EndOfCapture C");
  EXPECT_EQ(k.sink.zeek[0], "RSTO");
}

// A closed connection is remembered for closed_linger after its last packet:
// trailing packets within it are absorbed (each one restarts the wait), a packet
// after it opens a new flow, picked up mid-stream.
TEST(TcpReassembler, ClosedFlowLingersFromItsLastPacketThenIsForgotten) {
  Conn k;  // closed_linger: 10 s
  k.handshake();
  k.c(0, 0, "", 3 * kMs, kAck | kFin);
  k.s(0, 1, "", 4 * kMs, kAck | kFin);
  k.r.tick(8 * kSecond);
  k.c(1, 1, "", 8 * kSecond);  // a late ACK: absorbed, and remembered 10 s from here
  k.r.tick(17 * kSecond);
  k.c(1, 1, "", 17 * kSecond);
  EXPECT_EQ(k.r.stats().packets_after_close, 2u);
  EXPECT_EQ(k.sink.opened.size(), 1u);
  k.r.tick(28 * kSecond);  // 11 s after the last one: forgotten
  k.c(1, 1, "late", 28 * kSecond);
  k.r.finish();
  EXPECT_EQ(k.r.stats().packets_after_close, 2u);
  ASSERT_EQ(k.sink.opened.size(), 2u);
  EXPECT_EQ(k.sink.opened[1].roles, RoleSource::PortGuess);
  EXPECT_EQ(k.sink.joined(), "C:fin|S:fin|close 1 Fin C|C:late|close 2 EndOfCapture C");
}

// Many closed connections at once: the table of them grows through several sizes,
// and every one is still found (its trailing packet absorbed); once forgotten, their
// records serve the next connections on the same ports, which are found in turn.
TEST(TcpReassembler, ManyClosedFlowsAreAllRememberedAndTheirRecordsReused) {
  constexpr uint16_t kConns = 20000;
  Conn k;
  auto close_all = [&](TimeNs at) {
    for (uint16_t i = 0; i < kConns; ++i) {
      k.cport = static_cast<uint16_t>(20000 + i);
      k.handshake(at);
      k.c(0, 0, "", at + 3 * kMs, kAck | kRst);
    }
    for (uint16_t i = 0; i < kConns; ++i) {
      k.cport = static_cast<uint16_t>(20000 + i);
      k.c(1, 1, "", at + kSecond);  // a trailing ACK: absorbed
    }
  };
  close_all(0);
  EXPECT_EQ(k.r.stats().packets_after_close, kConns);
  EXPECT_EQ(k.sink.opened.size(), kConns);
  k.r.tick(12 * kSecond);  // all forgotten
  close_all(12 * kSecond);
  EXPECT_EQ(k.r.stats().packets_after_close, 2u * kConns);
  EXPECT_EQ(k.sink.opened.size(), 2u * kConns);
  EXPECT_EQ(k.r.open_flows(), 0u);
  k.r.tick(24 * kSecond);
  k.cport = 20000 + kConns - 1;
  k.c(1, 1, "late", 24 * kSecond);  // forgotten again: a new flow
  EXPECT_EQ(k.sink.opened.size(), 2u * kConns + 1);
  EXPECT_EQ(k.r.open_flows(), 1u);
}

// max_flows bounds open and remembered closed connections together; the closed
// ones are forgotten first, least recently seen first.
TEST(TcpReassembler, FullTableForgetsClosedFlowsBeforeClosingOpenOnes) {
  TcpConfig cfg;
  cfg.max_flows = 3;
  Conn k(cfg);  // every packet below within closed_linger (10 s) of the one before
  for (const uint16_t port : {uint16_t{40001}, uint16_t{40002}}) {  // two connections, reset
    k.cport = port;
    k.handshake((port - 40000) * kSecond);
    k.c(0, 0, "", (port - 40000) * kSecond + 3 * kMs, kAck | kRst);
  }
  k.cport = 40001;
  k.c(1, 1, "", 3 * kSecond);  // a trailing packet: 40001 was seen after 40002
  k.cport = 40003;
  k.handshake(4 * kSecond);  // open: now the table is full (two closed, one open)
  k.cport = 40004;
  k.handshake(5 * kSecond);  // 40002 is forgotten, not 40001
  EXPECT_EQ(k.r.stats().table_full_closed, 0u);
  EXPECT_EQ(k.r.open_flows(), 2u);
  k.cport = 40001;
  k.c(1, 1, "", 6 * kSecond);  // still remembered: absorbed
  EXPECT_EQ(k.r.stats().packets_after_close, 2u);
  k.cport = 40002;
  k.c(1, 1, "x", 7 * kSecond);  // forgotten: a new flow, for which 40001 is forgotten
  ASSERT_EQ(k.sink.opened.size(), 5u);
  EXPECT_EQ(k.sink.opened[4].client.port, 40002);
  EXPECT_EQ(k.r.open_flows(), 3u);
  k.cport = 40001;
  k.c(1, 1, "y", 8 * kSecond);  // so this one opens a flow too: the least recent open one is closed
  EXPECT_EQ(k.r.stats().packets_after_close, 2u);
  EXPECT_EQ(k.r.stats().table_full_closed, 1u);
  ASSERT_EQ(k.sink.opened.size(), 6u);
  EXPECT_EQ(k.r.open_flows(), 3u);
  EXPECT_EQ(k.sink.joined(), "close 1 Reset C|close 2 Reset C|C:x|close 3 MemoryLimit C|C:y");
}

TEST(TcpReassembler, SynWithoutAnswerIsS0AndRejectIsREJ) {
  {
    Conn k;
    k.send(true, kSyn, 0, 0, "", 0);
    k.r.finish();
    EXPECT_EQ(k.sink.zeek.at(0), "S0");
  }
  {
    Conn k;
    k.send(true, kSyn, 0, 0, "", 0);
    k.send(false, kRst | kAck, 0, 0, "", kMs);
    EXPECT_EQ(k.sink.zeek.at(0), "REJ");
  }
}

TEST(TcpReassembler, DataAfterFinIgnoredWithOneWarning) {
  Conn k;
  k.handshake();
  k.c(0, 0, "abc", 3 * kMs, kAck | kFin);
  k.c(3, 0, "zz", 4 * kMs);
  k.c(5, 0, "zz", 5 * kMs);
  EXPECT_EQ(k.sink.joined(), "C:abc|C:fin|warn C data after FIN (seq 1004) ignored");
}

TEST(TcpReassembler, NewSynOnOpenFlowStartsNewFlow) {
  Conn k;
  k.handshake();
  k.c(0, 0, "old", 3 * kMs);
  k.cisn = 777777;  // the client reconnects from the same port; the old end was not captured
  k.handshake(10 * kMs);
  k.c(0, 0, "new", 20 * kMs);
  k.r.finish();
  ASSERT_EQ(k.sink.opened.size(), 2u);
  EXPECT_EQ(k.sink.joined(),
            "C:old|warn C new connection (SYN) on the same ports: flow closed|close 1 Idle C|C:new|"
            "close 2 EndOfCapture C");
}

TEST(TcpReassembler, CaptureLossKeepsCausalOrderAndFinCloseAtEnd) {
  Conn k;
  k.handshake();
  k.c(0, 0, "aaaaa", 3 * kMs);
  k.c(10, 0, "ccccc", 4 * kMs);  // bytes 5..10 lost by the capture
  k.s(0, 15, "RESP1", 5 * kMs);  // acknowledges all 15 client bytes
  k.c(15, 5, "next", 6 * kMs);   // answers RESP1
  k.s(5, 19, "RESP2", 7 * kMs, kAck | kFin);
  k.c(19, 11, "", 8 * kMs, kAck | kFin);
  EXPECT_EQ(k.sink.joined(), "C:aaaaa");  // the rest waits for the lost bytes (1 s)
  k.r.finish();
  EXPECT_EQ(k.sink.joined(), "C:aaaaa|C:gap 5|C:ccccc|S:RESP1|C:next|S:RESP2|S:fin|C:fin|close 1 Fin S");
  EXPECT_EQ(k.sink.zeek[0], "SF");
  // Delayed delivery keeps the capture times of the FINs.
  EXPECT_EQ(k.sink.fin_ts, (std::vector<TimeNs>{7 * kMs, 8 * kMs}));
  EXPECT_EQ(k.sink.close_ts, (std::vector<TimeNs>{8 * kMs}));
}

TEST(TcpReassembler, RepeatedFindingsAreCappedPerDirection) {
  Conn k;
  k.handshake();
  for (uint32_t i = 0; i < 30; ++i) {
    k.c(100 + 10 * i, 0, "AAAAAAAAAA", 3 * kMs);
    k.c(100 + 10 * i, 0, "BBBBBBBBBB", 3 * kMs);  // differs every time
  }
  for (uint32_t i = 0; i < 5; ++i) k.c(0x40000000u + i, 0, "far", 4 * kMs);
  size_t overlap = 0, far = 0;
  for (const auto& e : k.sink.events) {
    if (e.find("overlap with different bytes") != std::string::npos) ++overlap;
    if (e.find("far beyond the stream") != std::string::npos) ++far;
  }
  EXPECT_EQ(overlap, 10u);
  EXPECT_EQ(far, 1u);
  EXPECT_EQ(k.r.stats().overlaps_differing, 30u);
  EXPECT_EQ(k.r.stats().out_of_window, 5u);
}

TEST(TcpReassembler, RetransmissionOfDeliveredDataWithDifferentBytesIsReported) {
  Conn k;
  k.handshake();
  k.c(0, 0, "GET /index", 3 * kMs);
  k.c(0, 0, "GET /index", 4 * kMs);  // faithful retransmission: silent
  k.c(4, 0, "/evil-tail", 5 * kMs);  // rewrites delivered bytes 4..10 and adds 4 new
  EXPECT_EQ(k.sink.joined(), "C:GET /index|warn C overlap with different bytes at seq 1006 (first kept)|C:tail");
  EXPECT_EQ(k.r.stats().overlaps_differing, 1u);
  EXPECT_EQ(k.r.stats().retransmitted, 1u);
}

TEST(TcpReassembler, RetainedTailDoesNotCoverLostBytes) {
  Conn k;
  k.handshake();
  k.send(true, kAck, 0, 0, "ab", 3 * kMs, 3);  // "ab" + 3 bytes not captured
  k.c(0, 0, "abXYZ", 4 * kMs);                 // cannot be compared with lost bytes
  k.c(5, 0, "fg", 5 * kMs);
  k.c(2, 0, "cdeQg", 6 * kMs);  // lost bytes: no claim; "f" seen: differs
  EXPECT_EQ(k.sink.joined(), "C:ab|C:gap 3|C:fg|warn C overlap with different bytes at seq 1006 (first kept)");
}

TEST(TcpReassembler, RetainedTailGrowsWithoutForgettingEarlierBytes) {
  // The ring starts small and grows as bytes are delivered; a retransmission
  // reaching back across several growths is still compared byte for byte.
  Conn k;
  k.handshake();
  const std::string a(40, 'a'), b(100, 'b'), c(900, 'c');
  k.c(0, 0, a, 3 * kMs);                                // 40 bytes: a 64-byte ring
  k.c(40, 0, b, 4 * kMs);                               // 140: grown to 256
  k.c(140, 0, c, 5 * kMs);                              // 1040: grown to 2048
  k.c(30, 0, std::string(10, 'a') + "bbXbb", 6 * kMs);  // offsets 30..44: byte 42 differs
  EXPECT_EQ(k.sink.joined(),
            "C:" + a + "|C:" + b + "|C:" + c + "|warn C overlap with different bytes at seq 1043 (first kept)");
}

TEST(TcpReassembler, RetainedTailHeldInPlaceThenMovedToTheHeap) {
  // A quiet connection's ring (16 bytes) is held in the stream itself; when it
  // grows, the bytes it held move with it to the heap ring.
  Conn k;
  k.handshake();
  k.c(0, 0, "0123456789", 3 * kMs);           // 10 bytes: the 16-byte ring in place
  k.c(0, 0, "012345678X", 4 * kMs);           // compared in place: byte 9 differs
  k.c(10, 0, "abcdef", 5 * kMs);              // 16: still in place, full
  k.c(16, 0, std::string(30, 'z'), 6 * kMs);  // 46: a 64-byte ring on the heap
  k.c(2, 0, "23456789abcdeZ", 7 * kMs);       // offsets 2..15 come from the old ring: byte 15 differs
  k.c(0, 0, "0123456789abcdef", 8 * kMs);     // faithful: silent
  EXPECT_EQ(k.sink.joined(), "C:0123456789|warn C overlap with different bytes at seq 1010 (first kept)|C:abcdef|C:" +
                                 std::string(30, 'z') +
                                 "|warn C overlap with different bytes at seq 1016 (first kept)");
}

TEST(TcpReassembler, RetainedTailSmallerThanTheInPlaceRing) {
  TcpConfig cfg;
  cfg.retained_tail = 4;
  Conn k(cfg);
  k.handshake();
  k.c(0, 0, "abcdefgh", 3 * kMs);
  k.c(4, 0, "efgX", 4 * kMs);  // the last 4 bytes are kept: byte 7 differs
  k.c(0, 0, "Zbcd", 5 * kMs);  // before the kept 4: not compared
  EXPECT_EQ(k.sink.joined(), "C:abcdefgh|warn C overlap with different bytes at seq 1008 (first kept)");
}

TEST(TcpReassembler, RetainedTailCanBeTurnedOff) {
  TcpConfig cfg;
  cfg.retained_tail = 0;
  Conn k(cfg);
  k.handshake();
  k.c(0, 0, "abc", 3 * kMs);
  k.c(0, 0, "xyz", 4 * kMs);
  EXPECT_EQ(k.sink.joined(), "C:abc");
}

TEST(TcpReassembler, SynCapturedAfterItsSynAckIsTheSameConnection) {
  Conn k;
  k.send(false, kSyn | kAck, 0, 0, "", 1 * kMs);  // timestamps disagree: SYN+ACK first
  k.send(true, kSyn, 0, 0, "", 2 * kMs);
  k.c(0, 0, "hello", 3 * kMs);
  k.r.finish();
  ASSERT_EQ(k.sink.opened.size(), 1u);
  EXPECT_EQ(k.sink.opened[0].roles, RoleSource::SynAck);
  EXPECT_EQ(k.sink.opened[0].client.port, 40000);
  EXPECT_EQ(k.sink.joined(), "C:hello|close 1 EndOfCapture C");
}

}  // namespace
}  // namespace quartet::analyzer::net
