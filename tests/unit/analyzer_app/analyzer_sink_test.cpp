// The Analyzer StreamSink driven with fake flows: detection, buffering across
// chunks, request/response pairing, gaps, TLS hand-off, ordering of sessions.
#include <gtest/gtest.h>

#include <algorithm>

#include "sink_harness.hpp"
#include "tls_test_util.hpp"
#include "../support/test_times.hpp"

using namespace harness;

namespace {

using quartet::test::kMs;
using quartet::test::kT0;

AppOptions with_decode_as(const Protocol& p, uint16_t port, bool tls = false) {
  AppOptions o;
  o.decode_as.push_back({&p, port, tls});
  return o;
}

// A session longer than the timeline keeps: its entries stop at the maximum with
// one warning entry saying so, however many more come (in one chunk and in many),
// and its messages are all still counted.
TEST(AnalyzerSink, ALongTimelineIsCutOnceWithOneWarning) {
  AppOptions opt = with_decode_as(fake::kLen, 7000);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7000, kT0));
  const size_t total = Analyzer::kMaxSessionEntries + 2500;
  std::string chunk;
  for (size_t i = 0; i < 1000; ++i) chunk += fake::len_pdu("ping");
  for (size_t sent = 0; sent < total; sent += 1000)
    a.on_data(1, Side::Client, fake::bytes(chunk), kT0 + static_cast<TimeNs>(sent) * kMs);
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 200000 * kMs);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& s = cap.sessions[0];
  const size_t sent = (total + 999) / 1000 * 1000;
  EXPECT_EQ(s.messages[0], sent);
  size_t cut_warnings = 0, messages = 0;
  for (const Entry& e : s.entries) {
    if (std::holds_alternative<MessageOut>(e)) ++messages;
    else if (std::get<EventOut>(e).text.view().starts_with("timeline cut after 100000 entries")) ++cut_warnings;
  }
  EXPECT_EQ(cut_warnings, 1u);
  EXPECT_EQ(s.entries.size(), Analyzer::kMaxSessionEntries + 1);
  EXPECT_LT(messages, Analyzer::kMaxSessionEntries);
  EXPECT_EQ(std::count(s.warnings.begin(), s.warnings.end(),
                       "timeline cut after 100000 entries: later messages and events are counted, not listed"),
            1);
}

// Connections each sending most of a large message at the same time: what they hold of
// their split messages stays within the Analyzer's budget. The message that would pass
// it is not decoded (a warning says so); the rest of it is skipped and the connection's
// next message decodes. Messages held within the budget decode whole.
TEST(AnalyzerSink, SplitMessagesOfAllConnectionsStayWithinTheBudget) {
  AppOptions opt = with_decode_as(fake::kLen, 7000);
  Capture cap;
  Analyzer a(opt, cap);
  a.set_pdu_budget(150u << 10);
  constexpr uint64_t kFlows = 4;
  const std::string big = fake::len_pdu(std::string(60'000, 'B')), after = fake::len_pdu("AFTER");
  for (uint64_t id = 1; id <= kFlows; ++id) {
    a.on_open(flow(id, 7000, kT0, static_cast<uint16_t>(40000 + id)));
    a.on_data(id, Side::Client, fake::bytes(fake::len_pdu("PING")), kT0);
  }
  size_t peak = 0;
  for (size_t at = 0; at < big.size(); at += 1000) {
    for (uint64_t id = 1; id <= kFlows; ++id) {
      a.on_data(id, Side::Client, as_bytes(std::string_view(big).substr(at, 1000)), kT0 + kMs);
      peak = std::max(peak, a.pdu_bytes_held());
    }
  }
  for (uint64_t id = 1; id <= kFlows; ++id) {
    a.on_data(id, Side::Client, fake::bytes(after), kT0 + 2 * kMs);
    a.on_close(id, CloseReason::Fin, Side::Client, kT0 + 3 * kMs);
  }
  a.finish();
  EXPECT_LE(peak, size_t{150} << 10);
  EXPECT_EQ(a.pdu_bytes_held(), 0u);
  ASSERT_EQ(cap.sessions.size(), kFlows);
  size_t whole = 0, given_up = 0;
  for (const SessionOut& s : cap.sessions) {
    std::vector<std::string> summaries;
    for (const Entry& e : s.entries)
      if (const auto* m = std::get_if<MessageOut>(&e)) summaries.emplace_back(m->summary());
    const bool warned = std::any_of(s.warnings.begin(), s.warnings.end(), [](const std::string& w) {
      return w.starts_with(
          "client: LEN message of 60002 bytes not decoded: the partial messages held in memory "
          "reach their budget of 150 KiB; skipping its other ");
    });
    (warned ? given_up : whole) += 1;
    // PING, then the large one unless it was given up, then AFTER: never a message made of
    // the skipped bytes.
    ASSERT_EQ(summaries.size(), warned ? 2u : 3u) << s.warnings.size();
    EXPECT_EQ(summaries.front(), "PING");
    EXPECT_EQ(summaries.back(), "AFTER");
  }
  EXPECT_EQ(whole, 2u);  // two 60 KiB messages fit in 150 KiB, a third does not
  EXPECT_EQ(given_up, 2u);
}

// --summary (text, JSONL) shows no event: a timeline keeps only its messages, but
// counts its events as before, so it is cut after the same messages (and written
// at the same moment: the session order counts entries too). The HTML report
// ignores --summary and lists them.
TEST(AnalyzerSink, SummaryTimelineCountsEventsWithoutKeepingThem) {
  struct Listed {
    size_t messages = 0, events = 0, warnings = 0;
  };
  const auto run = [](bool summary, OutputFormat format) {
    AppOptions opt = with_decode_as(fake::kLen, 7000);
    opt.summary_only = summary;
    opt.format = format;
    Capture cap;
    Analyzer a(opt, cap);
    a.on_open(flow(1, 7000, kT0));
    std::string chunk;
    for (size_t i = 0; i < 1000; ++i) chunk += fake::len_pdu("ping");
    for (size_t sent = 0; sent < Analyzer::kMaxSessionEntries + 2000; sent += 1000)
      a.on_data(1, Side::Client, fake::bytes(chunk), kT0 + static_cast<TimeNs>(sent) * kMs);
    a.on_fin(1, Side::Client, kT0 + 200000 * kMs);
    a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 200000 * kMs);
    a.finish();
    Listed l;
    for (const Entry& e : cap.sessions.at(0).entries) (std::holds_alternative<MessageOut>(e) ? l.messages : l.events)++;
    l.warnings = cap.sessions.at(0).warnings.size();
    return l;
  };
  const Listed full = run(false, OutputFormat::Text);
  const Listed summary = run(true, OutputFormat::Text);
  const Listed summary_jsonl = run(true, OutputFormat::Jsonl);
  const Listed summary_html = run(true, OutputFormat::Html);
  EXPECT_EQ(full.events, 3u);  // opened, detected, the cut (the FIN and the close come after it)
  EXPECT_GE(full.warnings, 1u);
  EXPECT_EQ(full.messages + full.events, Analyzer::kMaxSessionEntries + 1);
  EXPECT_EQ(summary.events, 0u);
  EXPECT_EQ(summary.messages, full.messages);
  EXPECT_EQ(summary.warnings, full.warnings);  // the cut's among them
  EXPECT_EQ(summary_jsonl.events, 0u);
  EXPECT_EQ(summary_jsonl.messages, full.messages);
  EXPECT_EQ(summary_html.events, full.events);
  EXPECT_EQ(summary_html.messages, full.messages);
}

TEST(AnalyzerSink, PairsRequestsAndResponsesAcrossChunkBoundaries) {
  AppOptions opt = with_decode_as(fake::kLen, 7000);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7000, kT0));
  const std::string req = fake::len_pdu("GET one") + fake::len_pdu("GET two");
  a.on_data(1, Side::Client, fake::bytes(req.substr(0, 5)), kT0 + 1 * kMs);
  a.on_data(1, Side::Client, fake::bytes(req.substr(5)), kT0 + 2 * kMs);
  a.on_data(1, Side::Server, fake::bytes(fake::len_pdu("OK one")), kT0 + 5 * kMs);
  a.on_data(1, Side::Server, fake::bytes(fake::len_pdu("OK two")), kT0 + 9 * kMs);
  a.on_fin(1, Side::Client, kT0 + 10 * kMs);
  a.on_close(1, CloseReason::Fin, Side::Server, kT0 + 11 * kMs);
  a.finish();

  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& s = cap.sessions[0];
  EXPECT_EQ(s.protocol, &fake::kLen);
  EXPECT_EQ(s.detected_by, "decode-as");
  EXPECT_EQ(s.messages[0], 2u);
  EXPECT_EQ(s.messages[1], 2u);
  EXPECT_EQ(s.bytes[0], req.size());
  EXPECT_EQ(s.state, "closed");
  ASSERT_TRUE(s.closed_by);
  EXPECT_EQ(*s.closed_by, Side::Client);
  EXPECT_EQ(s.protocol_state, "idle");
  EXPECT_EQ(s.end, kT0 + 11 * kMs);

  const MessageOut* m0 = message(s, 0);
  const MessageOut* m1 = message(s, 1);
  const MessageOut* m3 = message(s, 3);
  ASSERT_TRUE(m0 && m1 && m3);
  EXPECT_EQ(m0->summary(), "GET one");
  EXPECT_EQ(m0->ts, kT0 + 2 * kMs);  // completed by the second chunk
  EXPECT_EQ(m1->ts, kT0 + 2 * kMs);
  EXPECT_EQ(m3->index, 3u);
  EXPECT_EQ(m3->from, Side::Server);
  ASSERT_TRUE(m3->response_to);
  EXPECT_EQ(*m3->response_to, 1u);
  EXPECT_EQ(*m3->latency, 7 * kMs);
  EXPECT_FALSE(a.had_warnings());
}

TEST(AnalyzerSink, SessionsAreWrittenInOrderOfFirstPacket) {
  AppOptions opt = with_decode_as(fake::kTxt, 7001);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7001, kT0));
  a.on_open(flow(2, 7001, kT0 + 1, 40001));
  a.on_data(2, Side::Client, fake::bytes("HELLO\n"), kT0 + 2);
  a.on_close(2, CloseReason::Reset, Side::Server, kT0 + 3);
  EXPECT_TRUE(cap.sessions.empty());  // #2 waits for #1
  a.on_data(1, Side::Client, fake::bytes("HI\n"), kT0 + 4);
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 5);
  ASSERT_EQ(cap.sessions.size(), 2u);
  EXPECT_EQ(cap.sessions[0].flow.id, 1u);
  EXPECT_EQ(cap.sessions[1].flow.id, 2u);
  EXPECT_EQ(cap.sessions[1].state, "reset");
  EXPECT_EQ(*cap.sessions[1].closed_by, Side::Server);
  // An unanswered request is a session-level warning at close.
  EXPECT_EQ(cap.sessions[1].warnings.back(), "sequence: 1 requests unanswered");
  a.finish();
  EXPECT_TRUE(cap.finished);
  EXPECT_EQ(cap.summary.tcp_flows, 2u);
}

TEST(AnalyzerSink, FinishedSessionsBehindALongLivedOneAreWrittenEarlyBeyondTheBound) {
  AppOptions opt = with_decode_as(fake::kTxt, 7001);
  Capture cap;
  Analyzer a(opt, cap);
  a.set_max_waiting_entries(20);
  a.on_open(flow(1, 7001, kT0));  // stays open: a long-lived connection
  for (uint64_t id = 2; id <= 6; ++id) {
    a.on_open(flow(id, 7001, kT0 + static_cast<TimeNs>(id), static_cast<uint16_t>(40000 + id)));
    a.on_data(id, Side::Client, fake::bytes("HELLO\nAGAIN\n"), kT0 + 10);
    a.on_close(id, CloseReason::Fin, Side::Client, kT0 + 11);
  }
  // Each finished session counts 7 (open, detection, 2 messages, unanswered
  // warning, close, + 1): the third crosses the bound of 20.
  ASSERT_EQ(cap.sessions.size(), 3u);
  EXPECT_EQ(cap.sessions[0].flow.id, 2u);
  EXPECT_EQ(cap.sessions[2].flow.id, 4u);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 6u);
  EXPECT_EQ(cap.sessions[3].flow.id, 1u);  // the long-lived one, then the rest in order
  EXPECT_EQ(cap.sessions[4].flow.id, 5u);
  EXPECT_EQ(cap.sessions[5].flow.id, 6u);
  EXPECT_EQ(cap.summary.written_early, 3u);
}

TEST(AnalyzerSink, UnknownTrafficIsNotASession) {
  AppOptions opt;
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 22, kT0));
  a.on_data(1, Side::Server, fake::bytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), kT0 + 1);
  a.on_data(1, Side::Client, fake::bytes("SSH-2.0-OpenSSH_9.2p1\r\n"), kT0 + 2);
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 3);
  a.finish();
  EXPECT_TRUE(cap.sessions.empty());
  EXPECT_EQ(cap.summary.other_flows, 1u);
}

// A connection that is not ours needs none of its bytes (StreamSink::on_data says
// so); a timestamp that is not a whole microsecond still counts when it comes.
TEST(AnalyzerSink, WantsNoMoreBytesOfAConnectionNotOurs) {
  const std::string server_text = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", client_text = "SSH-2.0-OpenSSH_9.2p1\r\n";
  const Bytes server = fake::bytes(server_text), client = fake::bytes(client_text);  // views of the strings
  AppOptions opt;                                                                    // --time-decimals auto
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 22, kT0));
  a.on_open(flow(2, 3288, kT0, 40001));
  EXPECT_TRUE(a.on_data(1, Side::Server, server, kT0 + 1000));   // not decided yet
  EXPECT_FALSE(a.on_data(1, Side::Client, client, kT0 + 2000));  // not ours: no more of it
  EXPECT_FALSE(a.on_data(7, Side::Server, server, kT0 + 3000));  // not open here (another shard's)
  EXPECT_FALSE(a.on_data(1, Side::Server, server, kT0 + 3001));  // handed over for its timestamp...
  EXPECT_EQ(opt.ts_decimals, 9);                                 // ...which turns the output to nanoseconds
  EXPECT_TRUE(a.on_data(2, Side::Client, fake::bytes(std::string("\x10\x0a\x00\x00\x00\x00\x00\x08", 8)), kT0));
}

TEST(AnalyzerSink, GapInTextSessionResynchronisesAndCountsMissingBytes) {
  AppOptions opt = with_decode_as(fake::kTxt, 7002);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7002, kT0));
  a.on_data(1, Side::Client, fake::bytes("FIRST\nSEC"), kT0 + 1);
  a.on_gap(1, Side::Client, 1200, kT0 + 2);
  a.on_data(1, Side::Client, fake::bytes("ond half\nTHIRD\n"), kT0 + 3);
  a.on_close(1, CloseReason::EndOfCapture, Side::Client, kT0 + 4);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& s = cap.sessions[0];
  EXPECT_EQ(s.missing_bytes, 1200u);
  EXPECT_EQ(s.messages[0], 2u);
  EXPECT_EQ(message(s, 1)->summary(), "THIRD");
  EXPECT_EQ(events(s, EntryKind::Gap).size(), 1u);
  EXPECT_EQ(s.state, "open");
  // gap, dropped partial PDU, resync, unanswered requests
  ASSERT_EQ(s.warnings.size(), 4u);
  EXPECT_EQ(s.warnings[0], "client: gap of 1200 bytes");
  EXPECT_EQ(s.warnings[1], "client: partial PDU of 3 bytes dropped at the gap");
  EXPECT_EQ(s.warnings[2], "client: resynchronised after skipping 9 bytes");
  EXPECT_TRUE(a.had_warnings());
}

TEST(AnalyzerSink, DecoderProblemsBecomeWarnings) {
  AppOptions opt = with_decode_as(fake::kTxt, 7003);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7003, kT0));
  a.on_data(1, Side::Server, fake::bytes("BAD\n"), kT0 + 1);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const MessageOut* m = message(cap.sessions[0], 0);
  ASSERT_EQ(m->problems.size(), 2u);  // malformed (decoder) + response without request (session)
  EXPECT_EQ(m->problems[0].kind, ProblemKind::Malformed);
  EXPECT_EQ(m->problems[1].kind, ProblemKind::Sequence);
  EXPECT_EQ(cap.sessions[0].warnings[0], "server message 0: malformed: a bad message");
}

TEST(AnalyzerSink, TlsHandoffFollowsBothDirections) {
  AppOptions opt = with_decode_as(fake::kLen, 7004);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7004, kT0));
  a.on_data(1, Side::Client, fake::bytes(fake::len_pdu("UPGRADE")), kT0 + 1);
  // The server's hand-off response and its first TLS bytes arrive in one chunk.
  const std::string sh = tlsgen::server_hello(0xc030);
  a.on_data(1, Side::Server, fake::bytes(fake::len_pdu("STARTTLS") + sh.substr(0, 10)), kT0 + 2);
  a.on_data(1, Side::Client, fake::bytes(tlsgen::client_hello("pdp.example")), kT0 + 3);
  a.on_data(1, Side::Server, fake::bytes(sh.substr(10)), kT0 + 4);
  a.on_data(1, Side::Client, fake::bytes(tlsgen::record(23, std::string(40, 'z'))), kT0 + 5);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& s = cap.sessions[0];
  EXPECT_EQ(s.messages[0] + s.messages[1], 2u);
  EXPECT_TRUE(s.tls.seen);
  EXPECT_TRUE(s.tls.handoff);
  EXPECT_EQ(s.tls.sni, "pdp.example");
  EXPECT_EQ(s.tls.cipher, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(s.tls.version, "TLS 1.2");
  EXPECT_EQ(s.tls.app_records, 1u);
  const auto starts = events(s, EntryKind::TlsStart);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].text, "TLS handshake follows STARTTLS (after message 1)");
  const auto tls = events(s, EntryKind::Tls);
  ASSERT_EQ(tls.size(), 3u);
  EXPECT_EQ(tls[0].from, Side::Client);
  EXPECT_EQ(tls[1].text, "TLS ServerHello TLS 1.2, cipher TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(tls[2].text, "encrypted: no key for this session's client random");  // no key log given
  EXPECT_FALSE(s.tls.decrypted);
  EXPECT_EQ(s.tls.not_decrypted, "no key");
  EXPECT_TRUE(s.warnings.empty());
}

TEST(AnalyzerSink, WholeConnectionTlsOnADecodeAsPort) {
  AppOptions opt = with_decode_as(fake::kTxt, 7443);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7443, kT0));
  a.on_data(1, Side::Client, fake::bytes(tlsgen::client_hello("txt.example")), kT0 + 1);
  a.on_data(1, Side::Server, fake::bytes(tlsgen::alert(2, 70)), kT0 + 2);
  a.on_close(1, CloseReason::Reset, Side::Server, kT0 + 3);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  const SessionOut& s = cap.sessions[0];
  EXPECT_TRUE(s.tls.seen);
  EXPECT_FALSE(s.tls.handoff);
  EXPECT_EQ(s.messages[0] + s.messages[1], 0u);
  const auto tls = events(s, EntryKind::Tls);
  ASSERT_EQ(tls.size(), 2u);
  EXPECT_EQ(tls[1].text, "TLS alert fatal protocol_version (70)");
  EXPECT_EQ(s.protocol_state, "tls");
}

TEST(AnalyzerSink, ProtocolFilterKeepsOneProtocol) {
  AppOptions opt;
  opt.decode_as = {{&fake::kLen, 7005, false}, {&fake::kTxt, 7006, false}};
  opt.only = &fake::kTxt;
  Capture cap;
  Analyzer a(opt, cap);
  a.on_open(flow(1, 7005, kT0));
  a.on_open(flow(2, 7006, kT0 + 1));
  a.on_data(1, Side::Client, fake::bytes(fake::len_pdu("GET")), kT0 + 2);
  a.on_data(2, Side::Client, fake::bytes("GET\n"), kT0 + 3);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  EXPECT_EQ(cap.sessions[0].protocol, &fake::kTxt);
  EXPECT_EQ(cap.summary.other_flows, 1u);
}

TEST(AnalyzerSink, DataAfterCloseAndUnknownFlowsAreIgnored) {
  AppOptions opt = with_decode_as(fake::kTxt, 7007);
  Capture cap;
  Analyzer a(opt, cap);
  a.on_data(99, Side::Client, fake::bytes("HELLO\n"), kT0);  // never opened
  a.on_open(flow(1, 7007, kT0));
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 1);
  a.on_data(1, Side::Client, fake::bytes("LATE\n"), kT0 + 2);
  a.finish();
  ASSERT_EQ(cap.sessions.size(), 1u);
  EXPECT_EQ(cap.sessions[0].messages[0], 0u);
}

TEST(AnalyzerSink, CaptureWarningsReachTheSummary) {
  AppOptions opt;
  Capture cap;
  Analyzer a(opt, cap);
  a.on_capture_warning("file x.pcap truncated after 10 packets");
  a.finish();
  ASSERT_EQ(cap.summary.capture_warnings.size(), 1u);
  EXPECT_TRUE(a.had_warnings());
}

}  // namespace
