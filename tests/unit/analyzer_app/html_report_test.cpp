// The HTML report writer and the response-time statistics it shares with the text
// summary: capture values can never leave their JSON data block (the browser tests in
// tests/browser check the rendered page), and the percentiles are nearest-rank.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "json.hpp"
#include "report_assets.hpp"
#include "response_times.hpp"
#include "sink_harness.hpp"
#include "../support/test_times.hpp"

using namespace harness;

namespace {

using quartet::test::kMs;
using quartet::test::kT0;

std::string html_esc(std::string_view s) {
  std::string out;
  append_json_string_html(out, s);
  return out;
}

size_t count_ci(const std::string& hay, std::string_view needle) {
  std::string h = hay;
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t n = 0;
  for (size_t at = h.find(needle); at != std::string::npos; at = h.find(needle, at + 1)) ++n;
  return n;
}

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<uint8_t>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!n || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

TEST(JsonHtml, MarkupCharactersAndLineSeparatorsAreEscaped) {
  EXPECT_EQ(html_esc("</script>"), "\"\\u003c/script\\u003e\"");
  EXPECT_EQ(html_esc("<!--"), "\"\\u003c!--\"");
  EXPECT_EQ(html_esc("a&b 'q' \"d\""), "\"a\\u0026b 'q' \\\"d\\\"\"");
  EXPECT_EQ(html_esc("\xe2\x80\xa8|\xe2\x80\xa9"), "\"\\u2028|\\u2029\"");
  EXPECT_EQ(html_esc(std::string_view("\0\x01\x7f\xff", 4)), "\"\\u0000\\u0001\\u007f\\u00ff\"");
  EXPECT_EQ(html_esc("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // other UTF-8 stays as it is
}

// The messages block as the page reads it: each line base64, then gzip, of JSON lines.
std::string messages_json(const std::string& page) {
  const std::string open = "id=\"q-messages\">\n";
  size_t at = page.find(open);
  if (at == std::string::npos) return {};
  at += open.size();
  const std::string block = page.substr(at, page.find("</script>", at) - at);
  std::string out;
  for (size_t pos = 0; pos < block.size();) {
    size_t nl = block.find('\n', pos);
    if (nl == std::string::npos) nl = block.size();
    const std::string b64 = block.substr(pos, nl - pos);
    pos = nl + 1;
    std::string packed(b64.size(), '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(packed.data()),
                            reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
    if (n < 0) return "(bad base64)";
    packed.resize(static_cast<size_t>(n));
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    std::string text(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(packed.data());
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(text.data());
    z.avail_out = static_cast<uInt>(text.size());
    const int rc = inflate(&z, Z_FINISH);
    text.resize(z.total_out);
    inflateEnd(&z);
    if (rc != Z_STREAM_END) return "(bad gzip)";
    out += text;
  }
  return out;
}

// A session whose every value is hostile, written as a report.
std::string hostile_report() {
  AppOptions opt;
  opt.decode_as.push_back({&fake::kTxt, 7100, false});
  opt.format = OutputFormat::Html;
  MemFile mem;
  auto writer = make_html_writer(mem.f, opt);
  Analyzer a(opt, *writer);
  a.on_open(flow(1, 7100, kT0));
  a.on_data(1, Side::Client,
            fake::bytes(std::string(
                "</script><script>alert(1)</script> <!-- \"' \x01\x1b\x7f \xe2\x80\xa8 \xff\xc3( </SCRIPT \n")),
            kT0 + 1 * kMs);
  a.on_data(1, Side::Server, fake::bytes("BAD\n"), kT0 + 3 * kMs);
  a.on_flow_warning(1, Side::Client, "</script><img src=x onerror=alert(2)>", kT0 + 4 * kMs);
  a.on_capture_warning("file </script>.pcap: <b>cut</b>");
  a.on_close(1, CloseReason::Fin, Side::Client, kT0 + 6 * kMs);
  a.summary().files = {"</script><script>alert(3)</script>.pcap"};
  a.finish();
  return mem.text();
}

TEST(HtmlReport, NoCaptureValueLeavesItsDataBlock) {
  const std::string page = hostile_report();
  // Exactly the page's own elements: three data blocks and its script.
  EXPECT_EQ(count_ci(page, "<script"), 4u);
  EXPECT_EQ(count_ci(page, "</script"), 4u);
  EXPECT_EQ(count_ci(page, "<!--"), 0u);
  EXPECT_EQ(count_ci(page, "<img"), 0u);
  EXPECT_EQ(count_ci(page, "<b>"), 0u);
  EXPECT_NE(page.find("\\u003c/script\\u003e\\u003cimg src=x"), std::string::npos);  // the warning, in the problems
  // The messages, once decompressed, are escaped the same way (they are JSON the page parses).
  const std::string msgs = messages_json(page);
  EXPECT_NE(msgs.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos) << msgs;
  EXPECT_NE(msgs.find("\\u003c/SCRIPT "), std::string::npos);
  EXPECT_NE(msgs.find("\\u0001\\u001b\\u007f \\u2028 \\u00ff\\u00c3("), std::string::npos);
  EXPECT_EQ(msgs.find('<'), std::string::npos);
  EXPECT_TRUE(valid_utf8(page));
  EXPECT_TRUE(valid_utf8(msgs));
  for (char c : page) EXPECT_TRUE(static_cast<unsigned char>(c) >= 0x20 || c == '\n') << int(c);
  // Data blocks are not script; the one script runs by its hash under the page's policy.
  EXPECT_NE(page.find("<script type=\"application/x-quartet-gzip-base64\" id=\"q-messages\">"), std::string::npos);
  EXPECT_NE(page.find("<script type=\"application/json\" id=\"q-sessions\">"), std::string::npos);
  EXPECT_NE(page.find("<script type=\"application/json\" id=\"q-summary\">"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-"),
            std::string::npos);
}

// The page without the contents of its data blocks: what quartet itself wrote.
std::string markup_only(std::string page) {
  for (const char* open : {"id=\"q-messages\">", "id=\"q-sessions\">", "id=\"q-summary\">"}) {
    const size_t from = page.find(open) + std::strlen(open);
    page.erase(from, page.find("</script>", from) - from);
  }
  return page;
}

TEST(HtmlReport, SelfContained) {
  std::string page = markup_only(hostile_report());
  const std::string svg_ns = "http://www.w3.org/2000/svg";  // a name, never fetched
  for (size_t at; (at = page.find(svg_ns)) != std::string::npos;) page.erase(at, svg_ns.size());
  EXPECT_EQ(count_ci(page, "http:"), 0u);
  EXPECT_EQ(count_ci(page, "https:"), 0u);
  EXPECT_EQ(count_ci(page, "src="), 0u);
  EXPECT_EQ(count_ci(page, "<link"), 0u);
  EXPECT_EQ(count_ci(std::string(report_style()), "url("), 0u);
  EXPECT_EQ(count_ci(std::string(report_script()), "fetch("), 0u);
  EXPECT_EQ(count_ci(std::string(report_script()), "innerhtml"), 0u);  // values reach the page as text only
}

TEST(HtmlReport, SessionRowCarriesCountsLatenciesAndProblems) {
  const std::string page = hostile_report();
  const size_t at = page.find("id=\"q-sessions\">[[");
  ASSERT_NE(at, std::string::npos);
  // id 1, protocol index 4 (TXT is not one of the four), endpoints, 1 message each way,
  // p50 = p99 = max = 2000 us, 2 problems (the BAD message, the warning), no TLS.
  const std::string row = page.substr(at, page.find("]]", at) - at);
  EXPECT_NE(row.find("\"192.0.2.1:40000\",\"192.0.2.2:7100\",1700000000.000000,6000,"), std::string::npos) << row;
  EXPECT_NE(row.find(",1,1,2000,2000,2000,2,0,"), std::string::npos) << row;
}

SessionOut session_with(std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs) {
  static const Protocol& p = fake::kTxt;
  SessionOut s;
  s.protocol = &p;
  uint64_t i = 0;
  for (auto& [req, kind, to, lat] : msgs) {
    MessageOut m;
    m.index = i++;
    m.is_request = req;
    m.is_response = !req;
    m.set_text("", "", kind);
    m.response_to = to;
    if (to) m.latency = lat;
    s.entries.emplace_back(std::move(m));
  }
  return s;
}

// Latencies are kept as distinct values with counts (memory follows the distinct
// values, not the requests): the same percentiles, mean and histogram as a full list.
TEST(ResponseTimes, RepeatedLatenciesAreCounted) {
  ResponseTimes rt;
  std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs;
  const TimeNs lat[] = {kMs, 5 * kMs, kMs, kMs};
  for (uint64_t k = 0; k < 4; ++k) {
    msgs.push_back({true, "GET", std::nullopt, 0});
    msgs.push_back({false, "", 2 * k, lat[k]});
  }
  rt.add(session_with(msgs));
  rt.add(session_with(msgs));  // a second session: the counts add up
  const auto rows = rt.rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].latencies, (LatencyCounts{{kMs, 6}, {5 * kMs, 2}}));
  EXPECT_EQ(rows[0].answered(), 8u);
  EXPECT_EQ(rows[0].percentile(50), kMs);      // rank 4 of 8
  EXPECT_EQ(rows[0].percentile(75), kMs);      // rank 6
  EXPECT_EQ(rows[0].percentile(76), 5 * kMs);  // rank 7
  EXPECT_EQ(rows[0].mean(), 2 * kMs);
  EXPECT_EQ(rows[0].min(), kMs);
  EXPECT_EQ(rows[0].max(), 5 * kMs);
  const std::vector<uint64_t> bins(rows[0].totals.bins.begin(), rows[0].totals.bins.end());
  EXPECT_EQ(bins, log_histogram(std::vector<TimeNs>{kMs, kMs, kMs, kMs, kMs, kMs, 5 * kMs, 5 * kMs}));
  EXPECT_EQ(rows[0].rounded_bits, 0u);
  EXPECT_EQ(rows[0].percentile_error(), 0.0);
}

TEST(ResponseTimes, NearestRankPercentilesAndUnanswered) {
  ResponseTimes rt;
  // 10 answered "GET" with latencies 1..10 ms, 2 unanswered; one "PUT" answered twice (first answer counts).
  std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs;
  for (uint64_t k = 0; k < 10; ++k) {
    msgs.push_back({true, "GET", std::nullopt, 0});
    msgs.push_back({false, "", 2 * k, static_cast<TimeNs>(k + 1) * kMs});
  }
  msgs.push_back({true, "GET", std::nullopt, 0});
  msgs.push_back({true, "GET", std::nullopt, 0});
  msgs.push_back({true, "PUT", std::nullopt, 0});
  msgs.push_back({false, "", 22, 7 * kMs});
  msgs.push_back({false, "", 22, 9 * kMs});
  rt.add(session_with(msgs));
  const auto rows = rt.rows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].kind, "GET");
  EXPECT_EQ(rows[0].answered(), 10u);
  EXPECT_EQ(rows[0].unanswered, 2u);
  EXPECT_EQ(rows[0].percentile(50), 5 * kMs);
  EXPECT_EQ(rows[0].percentile(90), 9 * kMs);
  EXPECT_EQ(rows[0].percentile(99), 10 * kMs);
  EXPECT_EQ(rows[0].max(), 10 * kMs);
  EXPECT_EQ(rows[1].kind, "PUT");
  EXPECT_EQ(rows[1].latencies, (LatencyCounts{{7 * kMs, 1}}));
  EXPECT_EQ(rows[1].unanswered, 0u);
  EXPECT_EQ(response_time_table(rows),
            "   response times (ms):\n"
            "     proto request                         count        min        p50        p90        p99        max   "
            "    mean unanswered\n"
            "     TXT   GET                                10      1.000      5.000      9.000     10.000     10.000   "
            "   5.500          2\n"
            "     TXT   PUT                                 1      7.000      7.000      7.000      7.000      7.000   "
            "   7.000          0\n");
}

// Row names beyond the first sixteen of a session are looked up in a map, and the
// per-thread name list is reused by the next session with other names: every
// request still lands in its own row with its own latency.
TEST(ResponseTimes, ManyKindsInOneSessionThenOthers) {
  ResponseTimes rt;
  const auto kind = [](uint64_t k) { return std::string("k").append(std::to_string(k)); };
  std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs;
  for (uint64_t round = 0; round < 2; ++round)
    for (uint64_t k = 0; k < 40; ++k) {
      const uint64_t at = msgs.size();
      msgs.push_back({true, kind(k), std::nullopt, 0});
      msgs.push_back({false, "", at, static_cast<TimeNs>(k + 1 + 100 * round) * kMs});
    }
  rt.add(session_with(msgs));
  rt.add(session_with({{true, "other", std::nullopt, 0}, {false, "", 0, 3 * kMs}, {true, "k7", std::nullopt, 0}}));
  const auto rows = rt.rows();
  ASSERT_EQ(rows.size(), 41u);
  for (uint64_t k = 0; k < 40; ++k) {
    const std::string name = kind(k);
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const ResponseTimeRow& r) { return r.kind == name; });
    ASSERT_NE(row, rows.end()) << name;
    EXPECT_EQ(row->latencies,
              (LatencyCounts{{static_cast<TimeNs>(k + 1) * kMs, 1}, {static_cast<TimeNs>(k + 101) * kMs, 1}}))
        << name;
    EXPECT_EQ(row->unanswered, k == 7 ? 1u : 0u) << name;
  }
  const auto other = std::find_if(rows.begin(), rows.end(), [](const ResponseTimeRow& r) { return r.kind == "other"; });
  ASSERT_NE(other, rows.end());
  EXPECT_EQ(other->latencies, (LatencyCounts{{3 * kMs, 1}}));
}

// Real captures time requests to the microsecond or nanosecond: nearly every latency
// is distinct, and a run keeps at most max_latency_values of them. Beyond, the row
// with the most is rounded, a significant bit at a time: its percentiles stay within
// percentile_error() of the exact ones, its count, min, max, mean and histogram exact;
// a smaller row stays exact. Two sessions, so that the second adds to rounded rows.
TEST(ResponseTimes, DistinctLatenciesBeyondTheLimitAreRounded) {
  constexpr size_t kLimit = 64;
  ResponseTimes rt(kLimit);
  std::vector<TimeNs> exact;
  for (int part = 0; part < 2; ++part) {
    std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs;
    for (uint64_t k = 0; k < 500; ++k) {
      // 0.3 ms to 2.4 ms (three octaves), no two alike; one in ten negative (the
      // capture's time going back), rounded by its magnitude.
      TimeNs lat = 300'000 + static_cast<TimeNs>((k * 7919 + static_cast<uint64_t>(part) * 3) % 2'100'000);
      if (k % 10 == 3) lat = -lat;
      exact.push_back(lat);
      const uint64_t at = msgs.size();
      msgs.push_back({true, "GET", std::nullopt, 0});
      msgs.push_back({false, "", at, lat});
    }
    for (uint64_t k = 0; k < 3; ++k) {
      const uint64_t at = msgs.size();
      msgs.push_back({true, "PUT", std::nullopt, 0});
      msgs.push_back({false, "", at, static_cast<TimeNs>(k + 1) * kMs + 1});
    }
    rt.add(session_with(msgs));
  }
  std::sort(exact.begin(), exact.end());
  const auto rows = rt.rows();
  ASSERT_EQ(rows.size(), 2u);
  const ResponseTimeRow& get = rows[0];
  const ResponseTimeRow& put = rows[1];
  ASSERT_EQ(get.kind, "GET");
  EXPECT_LE(get.latencies.size() + put.latencies.size(), kLimit);
  EXPECT_GT(get.rounded_bits, 0u);
  EXPECT_LT(get.rounded_bits, ResponseTimes::kFirstRoundedBits);  // more than one step
  EXPECT_EQ(get.answered(), exact.size());
  EXPECT_EQ(get.min(), exact.front());
  EXPECT_EQ(get.max(), exact.back());
  long double sum = 0;
  for (TimeNs v : exact) sum += static_cast<long double>(v);
  EXPECT_EQ(get.mean(), static_cast<TimeNs>(std::llround(sum / static_cast<long double>(exact.size()))));
  EXPECT_EQ(std::vector<uint64_t>(get.totals.bins.begin(), get.totals.bins.end()), log_histogram(exact));
  const double err = get.percentile_error();
  EXPECT_EQ(err, std::ldexp(1.0, -static_cast<int>(get.rounded_bits)));
  for (double q : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 100.0}) {
    const TimeNs want = percentile_of(exact, q);
    const TimeNs got = get.percentile(q);
    EXPECT_LE(std::abs(static_cast<double>(got - want)), err * std::abs(static_cast<double>(want))) << q;
    EXPECT_GE(got, get.min());
    EXPECT_LE(got, get.max());
  }
  EXPECT_EQ(put.rounded_bits, 0u);
  EXPECT_EQ(put.latencies, (LatencyCounts{{kMs + 1, 2}, {2 * kMs + 1, 2}, {3 * kMs + 1, 2}}));
  // The text table marks the rounded row's percentiles, and says how close they are.
  const std::string table = response_time_table(rows);
  const std::string get_line = table.substr(table.find("GET"), table.find('\n', table.find("GET")) - table.find("GET"));
  const std::string put_line = table.substr(table.find("PUT"), table.find('\n', table.find("PUT")) - table.find("PUT"));
  EXPECT_EQ(std::count(get_line.begin(), get_line.end(), '~'), 3) << table;
  EXPECT_EQ(put_line.find('~'), std::string::npos) << table;
  char note[64];
  std::snprintf(note, sizeof note, "~ within %.3g %% of the exact value", err * 100);
  EXPECT_NE(table.find(note), std::string::npos) << table;
}

// A session's latencies travel packed (a waiting session holds 2-3 bytes per distinct
// latency): the same values and counts come back, negative ones (time going back in
// the capture) and the largest included.
TEST(ResponseTimes, SessionLatenciesPackedAndBack) {
  const std::vector<std::pair<TimeNs, uint64_t>> want = {
      {-5 * kMs, 1}, {-1, 2}, {0, 1}, {7, 1}, {15 * kMs, 3}, {TimeNs{1} << 40, 1000000}, {INT64_MAX, 1}};
  ResponseTimes::Kind k;
  for (const auto& [v, n] : want) k.add_latency(v, n);
  std::vector<std::pair<TimeNs, uint64_t>> got;
  k.for_each_latency([&](TimeNs v, uint64_t n) { got.push_back({v, n}); });
  EXPECT_EQ(got, want);
  ResponseTimes::Kind usual;  // a session's two answers of 15 µs and 17 µs: 7 bytes, held in place
  usual.add_latency(15'000, 1);
  usual.add_latency(17'000, 1);
  EXPECT_EQ(usual.latencies.size(), 7u);  // 15,000 zigzag (3 bytes), count (1), step 2,000 (2), count (1)
}

TEST(ResponseTimes, KindsFromTheWireAreBounded) {
  ResponseTimes rt;
  std::vector<std::tuple<bool, std::string, std::optional<uint64_t>, TimeNs>> msgs;
  for (size_t k = 0; k < ResponseTimes::kMaxKinds + 10; ++k)
    msgs.push_back({true, "cmd" + std::to_string(k), std::nullopt, 0});
  msgs.push_back({true, std::string(100, 'x'), std::nullopt, 0});
  rt.add(session_with(msgs));
  const auto rows = rt.rows();
  ASSERT_EQ(rows.size(), ResponseTimes::kMaxKinds + 1);
  const auto other =
      std::find_if(rows.begin(), rows.end(), [](const ResponseTimeRow& r) { return r.kind == "(other)"; });
  ASSERT_NE(other, rows.end());
  EXPECT_EQ(other->unanswered, 11u);
  EXPECT_EQ(response_time_table({}), "");
}

TEST(ResponseTimes, LogHistogramFiveBinsPerDecade) {
  const auto bins = log_histogram({500, 1000, 1500, 10 * 1000, 99 * 1000, kMs, 1000000 * kMs, INT64_MAX});
  ASSERT_EQ(bins.size(), kLogBins);
  EXPECT_EQ(bins[0], 1u);             // under 1 us
  EXPECT_EQ(bins[1], 2u);             // [1, 1.58) us
  EXPECT_EQ(bins[6], 1u);             // [10, 15.8) us
  EXPECT_EQ(bins[10], 1u);            // 99 us in [63.1, 100) us
  EXPECT_EQ(bins[16], 1u);            // 1 ms
  EXPECT_EQ(bins[kLogBins - 1], 2u);  // 1000 s and beyond
}

}  // namespace
