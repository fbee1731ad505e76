// Response-time statistics per protocol and request kind (Decoded::request_kind:
// COPS REQ by context and OPN by client type, RRP by command, SP REQ and SURVEY,
// IAP by setup step). One piece of code for every place that shows them: the
// text summary's table and the HTML report's latency plots use these rows.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include <absl/container/btree_map.h>
#include <absl/container/inlined_vector.h>
#include <absl/functional/function_ref.h>

#include "leb128.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

// Histogram of latencies on a log-time axis: bin 0 holds those under 1 µs, bin i >= 1
// those in [10^((i-1)/5), 10^(i/5)) µs (five bins per decade), the last bin everything from
// 10^(kLogBins-2)/5 µs up (about 40 min).
inline constexpr size_t kLogBins = 1 + 5 * 9 + 1;

// Latencies as each distinct value, ascending, with how many requests had it (8 bytes
// per request was 8 MB on a 256 MB capture); how many values a run keeps is bounded
// (ResponseTimes::kMaxLatencyValues).
using LatencyCounts = std::vector<std::pair<TimeNs, uint64_t>>;

// What is kept exact of a row's latencies however many there are: count, sum, least,
// greatest, and the log-time histogram.
struct LatencyTotals {
  uint64_t count = 0;
  long double sum = 0;  // 64-bit mantissa: exact to the nanosecond for sums up to ~292 years
  TimeNs min = 0, max = 0;
  std::array<uint64_t, kLogBins> bins{};  // (ResponseTimes fills them from exact values)
  void add(TimeNs latency, uint64_t n);
};

struct ResponseTimeRow {
  const Protocol* protocol = nullptr;
  std::string kind;         // "REQ Configuration", "add", "SURVEY"
  uint64_t unanswered = 0;  // requests no response answered
  // The answered ones' latencies, for the percentiles. Exact while the run has at most
  // ResponseTimes::kMaxLatencyValues distinct ones in all its rows; beyond, the rows
  // with the most are rounded to `rounded_bits` significant bits (each value is then
  // the middle of the latencies it stands for, within 2^-rounded_bits of each).
  LatencyCounts latencies;
  unsigned rounded_bits = 0;  // 0: exact
  LatencyTotals totals;       // exact
  // How many were answered (the table's "count").
  uint64_t answered() const { return totals.count; }
  // Nearest-rank percentile (q in 0..100) of the latencies; 0 when there are none.
  // Within percentile_error() of the exact one (relative), and never beyond min() and max().
  TimeNs percentile(double q) const;
  double percentile_error() const;  // 0 when exact
  TimeNs max() const { return totals.max; }
  TimeNs min() const { return totals.min; }
  // Arithmetic mean, rounded to the nanosecond (Wireshark's SRT "Avg SRT"); 0 when there are none.
  TimeNs mean() const;
};

class ResponseTimes {
 public:
  // Kinds come from the wire (an RRP command name): beyond this many per protocol they
  // are counted as "(other)", and each is cut to kMaxKindBytes.
  static constexpr size_t kMaxKinds = 64;
  static constexpr size_t kMaxKindBytes = 40;
  // Distinct latencies kept over all rows (about 1.5 MB): real captures, timed to the
  // microsecond or nanosecond, have nearly as many as requests. Beyond, the row holding
  // the most is rounded to fewer significant bits, from kFirstRoundedBits (0.0244 %) on,
  // until the run is within the limit again; its count, least, greatest, mean and
  // histogram stay exact.
  static constexpr size_t kMaxLatencyValues = size_t{1} << 16;
  static constexpr unsigned kFirstRoundedBits = 12;

  explicit ResponseTimes(size_t max_latency_values = kMaxLatencyValues) : max_values_(max_latency_values) {}

  // A session's requests by kind (in order of first appearance): what add() counts,
  // taken from the timeline so that it can be counted later without it (--threads).
  // Held in place for the usual session (a kind or two, a latency or two each): no
  // allocation per session.
  struct Kind {
    std::string name;
    uint64_t unanswered = 0;
    // Each distinct latency once with its count, ascending, packed (for_each_latency): a
    // session waiting to be written holds 2-3 bytes per distinct latency, not 16 (real
    // captures have nearly one per request); the usual few are held in place, unallocated.
    absl::InlinedVector<char, 16> latencies;
    TimeNs last_latency = 0;  // the last one added
    // Calls f(latency, count) for each, ascending.
    template <typename F>
    void for_each_latency(F&& f) const;
    void add_latency(TimeNs latency, uint64_t count);  // above every one added before
  };
  using SessionRequests = absl::InlinedVector<Kind, 2>;
  // A session's requests, taken message by message in timeline order, so that the
  // pass that writes the session takes them too (a long timeline is streamed back
  // from the spill file once). Its work lists are the thread's and keep their
  // capacity from session to session: one Collector at a time per thread.
  class Collector {
   public:
    Collector();
    void add(const MessageOut& m);
    SessionRequests finish();

   private:
    uint32_t name_id(std::string_view name);
    uint32_t n_names_ = 0;
    std::map<std::string_view, uint32_t, std::less<>> more_names_;
  };
  static SessionRequests requests_of(const SessionOut& s);

  // Every request of the session and the latency of the response that answered it.
  void add(const SessionOut& s) { add(s.protocol, requests_of(s)); }
  void add(const Protocol* p, const SessionRequests& requests);
  // Sorted latencies, rows in protocol order then by kind.
  std::vector<ResponseTimeRow> rows() const;

 private:
  // A row while the run adds to it: latencies counted by value.
  struct Acc {
    const Protocol* protocol = nullptr;
    std::string kind;
    uint64_t unanswered = 0;
    LatencyTotals totals;
    absl::btree_map<TimeNs, uint64_t> counts;  // rounded to `bits` significant bits (0: exact)
    unsigned bits = 0;  // totals.bins are counted as latencies come only from the first rounding on
  };
  Acc& row(const Protocol* p, std::string_view kind);
  void round_largest_row();
  std::vector<Acc> rows_;  // unsorted
  size_t max_values_;
  size_t values_ = 0;  // entries of every row's counts
  // Per protocol, its kinds' rows; looked up by view (std::less<>): no string built per request.
  std::map<const Protocol*, std::map<std::string, size_t, std::less<>>> index_;
};

// The first latency as a zigzag number (a latency may be negative where the capture's
// time goes back), each further one as its step from the one before, each count less one.
template <typename F>
void ResponseTimes::Kind::for_each_latency(F&& f) const {
  const char* p = latencies.data();
  const char* end = p + latencies.size();
  uint64_t v = 0, step = 0, count = 0;
  for (bool first = true; p < end; first = false) {
    if (!leb128::get(p, end, step) || !leb128::get(p, end, count)) return;  // (only ever written by add_latency)
    v = first ? (step >> 1) ^ (0 - (step & 1)) : v + step;
    f(static_cast<TimeNs>(v), count + 1);
  }
}

// Nearest-rank percentile of an ascending vector: the smallest value with at least
// q % of the values at or below it. The session table of the HTML report uses it too.
TimeNs percentile_of(const std::vector<TimeNs>& ascending, double q);

// The log-time histogram (kLogBins) of a list of latencies.
std::vector<uint64_t> log_histogram(const std::vector<TimeNs>& latencies);

// The summary's table, one line per row, latencies in milliseconds; empty when there are no rows.
// count, min, max and mean are the numbers of Wireshark's Service Response Time table (the
// plugin's -z <p>,srt: Calls, Min/Max/Avg SRT), p50/p90/p99 and unanswered are ours.
std::string response_time_table(const std::vector<ResponseTimeRow>& rows);

}  // namespace quartet::analyzer
