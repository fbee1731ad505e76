// The JSONL and text writers on sessions built by the Analyzer from fake flows.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <utility>

#include "format.hpp"
#include "sink_harness.hpp"
#include "../support/test_times.hpp"

using namespace harness;

namespace {

using quartet::test::kMs;
using quartet::test::kT0;

std::string run_session(AppOptions& opt, bool jsonl) {
  opt.format = jsonl ? OutputFormat::Jsonl : OutputFormat::Text;
  MemFile mem;
  auto writer = jsonl ? make_jsonl_writer(mem.f, opt) : make_text_writer(mem.f, opt);
  Analyzer a(opt, *writer);
  FlowInfo f = flow(1, 7100, kT0);
  a.on_open(f);
  a.on_data(1, Side::Client, fake::bytes("LOGIN se\"cret\n"), kT0 + 1 * kMs);
  a.on_data(1, Side::Server, fake::bytes("OK fine \xff\n"), kT0 + 3 * kMs);
  a.on_gap(1, Side::Client, 5, kT0 + 4 * kMs);
  a.on_fin(1, Side::Client, kT0 + 5 * kMs);
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 6 * kMs);
  a.finish();
  return mem.text();
}

AppOptions txt_options() {
  AppOptions o;
  o.decode_as.push_back({&fake::kTxt, 7100, false});
  return o;
}

TEST(OutputJsonl, SessionMessageEventAndSummaryLines) {
  AppOptions opt = txt_options();
  const auto l = lines(run_session(opt, true));
  ASSERT_GE(l.size(), 4u);
  EXPECT_EQ(l[0],
            "{\"type\":\"session\",\"id\":1,\"protocol\":\"TXT\",\"client\":{\"ip\":\"192.0.2.1\",\"port\":40000},"
            "\"server\":{\"ip\":\"192.0.2.2\",\"port\":7100},\"start\":1700000000.000000,\"end\":1700000000.006000,"
            "\"duration\":0.006000,\"state\":\"closed\",\"closed_by\":\"client\",\"conn_state\":null,"
            "\"handshake\":true,\"roles\":\"handshake\",\"detected_by\":\"decode-as\",\"protocol_state\":\"idle\","
            "\"tls\":null,"
            "\"messages\":{\"client\":1,\"server\":1},\"bytes\":{\"client\":14,\"server\":10},\"missing_bytes\":5,"
            "\"warnings\":[\"client: gap of 5 bytes\"],\"warnings_dropped\":0}");
  // The login line: the sensitive field is masked, repeated fields are an array,
  // quotes escaped; the reply: an invalid UTF-8 byte as \u00ff, pairing and latency.
  std::string login, reply;
  for (const auto& x : l) {
    if (x.find("\"index\":0") != std::string::npos) login = x;
    if (x.find("\"index\":1") != std::string::npos) reply = x;
  }
  EXPECT_NE(login.find("\"fields\":{\"body\":\"LOGIN se\\\"cret\",\"password\":\"********\","
                       "\"word\":[\"LOGIN\",\"se\\\"cret\"]}"),
            std::string::npos)
      << login;
  EXPECT_NE(login.find("\"response_to\":null,\"latency\":null"), std::string::npos);
  EXPECT_NE(reply.find("\"summary\":\"OK fine \\u00ff\""), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"response_to\":0,\"latency\":0.002000"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\"from\":\"server\""), std::string::npos);
  bool gap_event = false;
  for (const auto& x : l)
    gap_event |= x ==
                 "{\"type\":\"event\",\"session\":1,\"ts\":1700000000.004000,\"kind\":\"gap\",\"from\":\"client\","
                 "\"text\":\"5 bytes missing\"}";
  EXPECT_TRUE(gap_event);
  EXPECT_EQ(
      l.back().rfind(
          "{\"type\":\"summary\",\"tcp_connections\":1,\"sessions\":1,\"written_early\":0,\"other_connections\":0,", 0),
      0u);
}

TEST(OutputJsonl, ShowSecretsAndSummaryOnly) {
  AppOptions opt = txt_options();
  opt.show_secrets = true;
  std::string out = run_session(opt, true);
  EXPECT_NE(out.find("\"password\":\"se\\\"cret\""), std::string::npos);
  opt.summary_only = true;
  const auto l = lines(run_session(opt, true));
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].rfind("{\"type\":\"session\"", 0), 0u);
  EXPECT_EQ(l[1].rfind("{\"type\":\"summary\"", 0), 0u);
}

// Event texts that are string literals are written as they stand when nothing in
// them needs escaping (found once per literal), and escaped otherwise, also the
// second time the same literal comes; owned texts are always escaped.
TEST(OutputJsonl, LiteralEventTextsEscapedOnlyWhenTheyNeedIt) {
  static constexpr char kPlain[] = "FIN from client";
  static constexpr char kQuoted[] = "say \"hi\" \\ tab\there \xc3\xa9 \x01";
  AppOptions opt = txt_options();
  opt.format = OutputFormat::Jsonl;
  MemFile mem;
  auto writer = make_jsonl_writer(mem.f, opt);
  SessionOut s;
  s.flow = flow(1, 7100, kT0);
  s.protocol = &fake::kTxt;
  for (int round = 0; round < 2; ++round) {
    s.entries.emplace_back(EventOut{kT0, EntryKind::Info, std::nullopt, kPlain});
    s.entries.emplace_back(EventOut{kT0, EntryKind::Info, std::nullopt, kQuoted});
  }
  s.entries.emplace_back(EventOut{kT0, EntryKind::Info, Side::Client, std::string("owned \"text\"")});
  writer->session(s);
  std::fflush(mem.f);
  const auto l = lines(mem.text());
  ASSERT_EQ(l.size(), 6u);
  for (size_t i : {1u, 3u}) EXPECT_NE(l[i].find(",\"text\":\"FIN from client\"}"), std::string::npos) << l[i];
  for (size_t i : {2u, 4u})
    EXPECT_NE(l[i].find(",\"text\":\"say \\\"hi\\\" \\\\ tab\\there \xc3\xa9 \\u0001\"}"), std::string::npos) << l[i];
  EXPECT_NE(l[5].find(",\"text\":\"owned \\\"text\\\"\"}"), std::string::npos) << l[5];
}

TEST(OutputJsonl, NanosecondTimestampsSwitchToNineDecimals) {
  AppOptions opt = txt_options();
  MemFile mem;
  auto writer = make_jsonl_writer(mem.f, opt);
  Analyzer a(opt, *writer);
  a.on_open(flow(1, 7100, kT0 + 1));
  a.finish();
  EXPECT_EQ(opt.ts_decimals, 9);
  EXPECT_NE(mem.text().find("\"start\":1700000000.000000001"), std::string::npos);
}

TEST(Output, GuessedRolesAreSaid) {
  AppOptions opt = txt_options();
  for (bool jsonl : {false, true}) {
    MemFile mem;
    auto writer = jsonl ? make_jsonl_writer(mem.f, opt) : make_text_writer(mem.f, opt);
    Analyzer a(opt, *writer);
    FlowInfo f = flow(1, 7100, kT0);
    f.roles = RoleSource::PortGuess;
    f.handshake_seen = false;
    a.on_open(f);
    a.finish();
    const std::string out = mem.text();
    if (jsonl) {
      EXPECT_NE(out.find("\"handshake\":false,\"roles\":\"guess\""), std::string::npos) << out;
    } else {
      EXPECT_NE(out.find("192.0.2.1:40000 → 192.0.2.2:7100 (roles guessed)  start"), std::string::npos) << out;
      EXPECT_NE(out.find("connection picked up mid-stream (no SYN seen)"), std::string::npos);
    }
  }
}

TEST(OutputText, HeaderTimelineAndSummaryShape) {
  AppOptions opt = txt_options();
  const auto l = lines(run_session(opt, false));
  ASSERT_GE(l.size(), 8u);
  EXPECT_EQ(l[0],
            "#1 TXT  192.0.2.1:40000 → 192.0.2.2:7100  start 2023-11-14 22:13:20.000000 UTC  duration 0.006000 s  "
            "closed by client, TXT idle  messages 1→ 1←  bytes 14→ 10←  missing 5  warnings 1");
  EXPECT_EQ(l[1], "       +0.000000 ·  connection opened (SYN seen)");
  EXPECT_EQ(l[3], "       +0.001000 →  [0] LOGIN se\"cret");
  // A byte that is not UTF-8 is shown as \xff, never written raw (docs/analyzer.md).
  EXPECT_EQ(l[4], "       +0.003000 ←  [1] OK fine \\xff  (answers [0] after 2.000 ms)");
  EXPECT_EQ(l[5], "       +0.004000 →  ! gap: 5 bytes missing");
  EXPECT_EQ(l[6], "       +0.005000 →  FIN from client");
  EXPECT_EQ(l[7], "       +0.006000 →  closed, first FIN from client");
  EXPECT_EQ(l[8], "");
  EXPECT_EQ(l[9], "== summary: 1 TCP connections, 1 sessions shown, 0 other");
}

}  // namespace

namespace {

TEST(OutputText, CaptureTextCannotBreakLinesOrReachTheTerminalRaw) {
  // Found by fuzz_output: a COPS PEP-ID with bytes that are not UTF-8 went into the
  // text output raw. Controls (C0 incl. ESC and newline, DEL, C1) and bytes that are
  // not UTF-8 are shown as \xNN; valid UTF-8 stays as it is.
  std::string out;
  quartet::analyzer::append_printable(out, "a\x1b[2J\nb\x7f\xc2\x85 caf\xc3\xa9 \xed\xa0\x80 \xff");
  EXPECT_EQ(out, "a\\x1b[2J\\x0ab\\x7f\\xc2\\x85 caf\xc3\xa9 \\xed\\xa0\\x80 \\xff");
}

// Printable runs are found 8 bytes at a time: a byte to escape is caught wherever it
// falls in a word and whatever the run's length, and the bounds of printable ASCII
// (space, '~') are not.
TEST(OutputText, EveryPlaceOfAByteToEscapeInALongRun) {
  for (const char bad : {'\x00', '\x1f', '\x7f', '\x80', '\xff'}) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(bad));
    for (size_t at = 0; at < 24; ++at) {
      const std::string before(at, at % 2 ? ' ' : '~'), after(23 - at, 'z');
      std::string out;
      quartet::analyzer::append_printable(out, before + bad + after);
      EXPECT_EQ(out, before + hex + after) << "byte " << int(static_cast<unsigned char>(bad)) << " at " << at;
    }
  }
}

}  // namespace

namespace {

// The text header's start time, against the C library's calendar (gmtime_r and
// strftime, which format_utc used before), across the whole TimeNs range.
std::string libc_utc(TimeNs ns, int decimals) {
  const TimeNs sec = ns / 1000000000 - (ns % 1000000000 < 0 ? 1 : 0);
  const TimeNs nanos = (ns % 1000000000 + 1000000000) % 1000000000;
  const auto t = static_cast<std::time_t>(sec);
  std::tm tm{};
  char buf[64];
  EXPECT_TRUE(gmtime_r(&t, &tm));
  std::string s(buf, std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm));
  if (decimals > 0) {
    std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(nanos));
    s.append(buf, static_cast<size_t>(decimals) + 1);  // truncated, not rounded
  }
  return s + " UTC";
}

std::string utc(TimeNs ns, int decimals) {
  quartet::analyzer::OutBuf out;
  quartet::analyzer::append_utc(out, ns, decimals);
  return std::string(out.view());
}

TEST(OutputText, StartTimeIsTheCivilCalendarInUtc) {
  EXPECT_EQ(utc(kT0 + 123456789, 6), "2023-11-14 22:13:20.123456 UTC");
  EXPECT_EQ(utc(kT0 + 999999999, 9), "2023-11-14 22:13:20.999999999 UTC");
  EXPECT_EQ(utc(kT0 + 999999999, 0), "2023-11-14 22:13:20 UTC");
  EXPECT_EQ(utc(0, 3), "1970-01-01 00:00:00.000 UTC");
  EXPECT_EQ(utc(-1, 6), "1969-12-31 23:59:59.999999 UTC");  // before the epoch: the second below, fraction up
  EXPECT_EQ(utc(951782400LL * 1000000000, 0), "2000-02-29 00:00:00 UTC");  // a leap day of a 400-year leap year
  EXPECT_EQ(utc(INT64_MAX, 9), "2262-04-11 23:47:16.854775807 UTC");
  EXPECT_EQ(utc(INT64_MIN, 9), "1677-09-21 00:12:43.145224192 UTC");
  // Every day of a few centuries, and odd instants, as the C library reads them.
  for (TimeNs day = -106000; day < 106000; day += 7)
    for (int decimals : {0, 6, 9}) {
      const TimeNs ns = day * 86400 * 1000000000 + (day * 7919 % 86400) * 1000000000 + day * 104729 % 1000000000;
      ASSERT_EQ(utc(ns, decimals), libc_utc(ns, decimals)) << ns;
    }
}

std::string ms(TimeNs ns, int decimals) {
  quartet::analyzer::OutBuf out;
  quartet::analyzer::append_ms(out, ns, decimals);
  return std::string(out.view());
}

TEST(OutputText, LatenciesInMilliseconds) {
  EXPECT_EQ(ms(2 * kMs, 6), "2.000 ms");  // three decimals fewer than the timestamps
  EXPECT_EQ(ms(1234567, 9), "1.234567 ms");
  EXPECT_EQ(ms(1234567, 3), "1 ms");
  EXPECT_EQ(ms(-250000, 6), "-0.250 ms");  // a response stamped before its request
  // Past 10^15 ns (11.6 days; ns * 1000 would overflow past about 106) in seconds.
  EXPECT_EQ(ms(1000000000000000, 6), "1000000000.000 ms");
  EXPECT_EQ(ms(1000000000000001, 6), "1000000 s");
  EXPECT_EQ(ms(-4000000000000000, 6), "-4000000 s");
}

// A buffer moved from is empty and takes appends again (it does not keep claiming
// the capacity that left with its storage).
TEST(OutBuf, AMovedFromBufferIsEmptyAndTakesAppendsAgain) {
  quartet::analyzer::OutBuf a;
  a += "first line\n";
  quartet::analyzer::OutBuf b(std::move(a));
  EXPECT_EQ(b.view(), "first line\n");
  EXPECT_TRUE(a.empty());       // NOLINT(bugprone-use-after-move): what this test is about
  EXPECT_EQ(a.capacity(), 0u);  // NOLINT(bugprone-use-after-move)
  a += std::string(300, 'x');   // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.view(), std::string(300, 'x'));
  quartet::analyzer::OutBuf c;
  c = std::move(b);
  EXPECT_EQ(c.view(), "first line\n");
  EXPECT_TRUE(b.empty());       // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.capacity(), 0u);  // NOLINT(bugprone-use-after-move)
  b += 'y';                     // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.view(), "y");
}

TEST(OutputText, EndpointsAsTheyAreWritten) {
  quartet::analyzer::Endpoint v4;
  v4.addr = {10, 0, 200, 9};
  v4.port = 65535;
  quartet::analyzer::Endpoint v6;
  v6.v6 = true;
  v6.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  v6.port = 0;
  EXPECT_EQ(quartet::analyzer::endpoint_text(v4), "10.0.200.9:65535");
  EXPECT_EQ(quartet::analyzer::endpoint_text(v6), "[2001:db8::1]:0");
  EXPECT_EQ(v4.ip_string(), "10.0.200.9");
  EXPECT_EQ(v6.ip_string(), "2001:db8::1");
}

}  // namespace
