#include "response_times.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>

#include "format.hpp"

namespace quartet::analyzer {

static const std::string kOther = "(other)";

TimeNs percentile_of(const std::vector<TimeNs>& v, double q) {
  if (v.empty()) return 0;
  q = std::clamp(q, 0.0, 100.0);
  // rank = ceil(q/100 * n), at least 1
  auto rank = static_cast<size_t>(std::ceil(q / 100.0 * static_cast<double>(v.size())));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

namespace {

size_t log_bin(TimeNs ns) {
  if (ns < 1000) return 0;
  const double b = std::floor(std::log10(static_cast<double>(ns) / 1000.0) * 5.0 + 1e-9);
  return std::min<size_t>(kLogBins - 1, 1 + static_cast<size_t>(b));
}

// `ns` to `bits` significant bits (0: as it is): the middle of the values that share
// its first `bits` bits; a negative one (the capture's time going back) by its
// magnitude. Values under 2^bits stay exact. Rounding a rounded value to fewer bits
// gives what rounding the value itself would.
TimeNs round_latency(TimeNs ns, unsigned bits) {
  if (bits == 0) return ns;
  const bool negative = ns < 0;
  const uint64_t m = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const auto width = static_cast<unsigned>(std::bit_width(m));
  if (width <= bits) return ns;
  const unsigned drop = width - bits;
  const uint64_t r = std::min<uint64_t>(((m >> drop) << drop) | (uint64_t{1} << (drop - 1)), INT64_MAX);
  return negative ? -static_cast<TimeNs>(r) : static_cast<TimeNs>(r);
}

// The histogram of exact counts: made once, at the end or at a row's first rounding,
// rather than with a logarithm per latency as they come.
void count_bins(std::array<uint64_t, kLogBins>& bins, const absl::btree_map<TimeNs, uint64_t>& counts) {
  for (const auto& [v, n] : counts) bins[log_bin(v)] += n;
}

}  // namespace

void LatencyTotals::add(TimeNs latency, uint64_t n) {
  if (n == 0) return;
  min = count ? std::min(min, latency) : latency;
  max = count ? std::max(max, latency) : latency;
  count += n;
  sum += static_cast<long double>(latency) * static_cast<long double>(n);
}

TimeNs ResponseTimeRow::percentile(double q) const {
  const uint64_t n = answered();
  if (n == 0 || latencies.empty()) return 0;
  q = std::clamp(q, 0.0, 100.0);
  // As percentile_of: rank = ceil(q/100 * n), at least 1; the value holding that rank.
  auto rank = static_cast<uint64_t>(std::ceil(q / 100.0 * static_cast<double>(n)));
  rank = std::clamp<uint64_t>(rank, 1, n);
  uint64_t seen = 0;
  TimeNs v = latencies.back().first;
  for (const auto& [value, count] : latencies) {
    seen += count;
    if (seen >= rank) {
      v = value;
      break;
    }
  }
  return std::clamp(v, min(), max());  // a rounded value may lie beyond the exact ends
}

double ResponseTimeRow::percentile_error() const {
  return rounded_bits ? std::ldexp(1.0, -static_cast<int>(rounded_bits)) : 0;
}

TimeNs ResponseTimeRow::mean() const {
  if (totals.count == 0) return 0;
  return static_cast<TimeNs>(std::llround(totals.sum / static_cast<long double>(totals.count)));
}

namespace {

// Every message that is a request or that a response answered (a COPS DEC answered by
// its RPT is not flagged a request but is answered, and the plugin's SRT counts it: the
// same rows), and the latency of its first answer. Unanswered counts only flagged
// requests. Per message its row name's number and its answer. The work lists are per
// thread and keep their capacity: the decoding workers collect every session they write.
struct Asked {
  uint32_t name;  // in `names` (for the answers finish() moves to the front: in `kinds`)
  bool is_request;
  bool answered;
  TimeNs latency;
};
thread_local std::vector<Asked> asked;
thread_local std::vector<uint32_t> by_index;  // message index -> position in `asked` (+1)
// Row names, numbered in order of appearance: the first kLinear looked up in a list
// (a session has a handful; their strings keep their capacity from session to
// session), any further ones in a map (a peer inventing names cannot make this quadratic).
constexpr uint32_t kLinear = 16;
thread_local std::deque<std::string> names;  // a deque: a name never moves (the map keeps views)
thread_local std::vector<size_t> kind_of;    // name -> position in `kinds`

}  // namespace

ResponseTimes::Collector::Collector() {
  asked.clear();
  by_index.clear();
}

uint32_t ResponseTimes::Collector::name_id(std::string_view name) {
  for (uint32_t i = 0; i < std::min(n_names_, kLinear); ++i)
    if (names[i] == name) return i;
  if (n_names_ > kLinear)
    if (auto it = more_names_.find(name); it != more_names_.end()) return it->second;
  if (names.size() <= n_names_) names.emplace_back(name);
  else names[n_names_].assign(name);
  if (n_names_ >= kLinear) more_names_.emplace(names[n_names_], n_names_);
  return n_names_++;
}

void ResponseTimes::Collector::add(const MessageOut& m) {
  if (by_index.size() <= m.index) by_index.resize(m.index + 1, 0);
  by_index[m.index] = static_cast<uint32_t>(asked.size() + 1);
  // The row is Decoded::request_kind(): the kind, else the name (MessageOut keeps a kind for requests only).
  const uint32_t id = name_id(m.kind().empty() ? m.name() : m.kind());
  asked.push_back({id, m.is_request, false, 0});
  if (m.response_to && m.latency && *m.response_to < by_index.size()) {
    if (const uint32_t r = by_index[*m.response_to]; r && !asked[r - 1].answered) {
      asked[r - 1].answered = true;
      asked[r - 1].latency = *m.latency;
    }
  }
}

ResponseTimes::SessionRequests ResponseTimes::Collector::finish() {
  SessionRequests kinds;
  kind_of.assign(n_names_, SIZE_MAX);
  // The answered ones move to the front of `asked` as they are met, each now with its
  // kind's position in `kinds` for its name (a session as long as the timeline allows
  // has 100,000 messages: no second list the size of its answers).
  size_t n_answered = 0;
  for (size_t i = 0; i < asked.size(); ++i) {
    const Asked a = asked[i];
    if (!a.is_request && !a.answered) continue;
    size_t& k = kind_of[a.name];
    if (k == SIZE_MAX) {
      k = kinds.size();
      kinds.push_back({names[a.name], 0, {}});
    }
    if (a.answered) asked[n_answered++] = Asked{static_cast<uint32_t>(k), a.is_request, true, a.latency};
    else ++kinds[k].unanswered;
  }
  // Per kind, each distinct latency once with its count, in increasing order.
  const auto by_kind_and_latency = [](const Asked& x, const Asked& y) {
    return x.name != y.name ? x.name < y.name : x.latency < y.latency;
  };
  const auto front = asked.begin() + static_cast<ptrdiff_t>(n_answered);
  std::sort(asked.begin(), front, by_kind_and_latency);
  for (auto i = asked.begin(), j = i; i != front; i = j) {
    while (j != front && j->name == i->name && j->latency == i->latency) ++j;
    kinds[i->name].add_latency(i->latency, static_cast<uint64_t>(j - i));
  }
  // What an exceptionally long session grew is not kept for the rest of the run.
  if (asked.capacity() > 65536) {
    std::vector<Asked>().swap(asked);
    std::vector<uint32_t>().swap(by_index);
  }
  if (names.size() > 4 * kLinear) {
    names.resize(4 * kLinear);
    std::vector<size_t>().swap(kind_of);
  }
  return kinds;
}

void ResponseTimes::Kind::add_latency(TimeNs latency, uint64_t count) {
  if (count == 0) return;
  const auto v = static_cast<uint64_t>(latency);
  const uint64_t step = latencies.empty() ? (v << 1) ^ (0 - (v >> 63)) : v - static_cast<uint64_t>(last_latency);
  char buf[2 * leb128::kMaxBytes];
  char* p = leb128::put(leb128::put(buf, step), count - 1);
  latencies.insert(latencies.end(), buf, p);
  last_latency = latency;
}

ResponseTimes::SessionRequests ResponseTimes::requests_of(const SessionOut& s) {
  Collector c;
  for_each_entry(s, [&c](const Entry& e) {
    if (const auto* m = std::get_if<MessageOut>(&e)) c.add(*m);
  });
  return c.finish();
}

void ResponseTimes::add(const Protocol* p, const SessionRequests& requests) {
  for (const Kind& k : requests) {
    Acc& r = row(p, k.name);
    k.for_each_latency([&](TimeNs v, uint64_t count) {
      r.totals.add(v, count);
      if (r.bits) r.totals.bins[log_bin(v)] += count;
      const auto [it, added] = r.counts.try_emplace(round_latency(v, r.bits), 0);
      it->second += count;
      values_ += added;
      while (values_ > max_values_) round_largest_row();
    });
    r.unanswered += k.unanswered;
  }
}

// The row with the most distinct values one significant bit coarser (the first time, to
// kFirstRoundedBits). This ends: no row goes below one bit, where it holds at most two
// values per octave of either sign (about 250), and there are at most kMaxKinds + 1
// rows per protocol; should they all get there, the limit becomes what they hold.
void ResponseTimes::round_largest_row() {
  Acc* largest = nullptr;
  for (Acc& a : rows_)
    if (a.bits != 1 && (!largest || a.counts.size() > largest->counts.size())) largest = &a;
  if (!largest) {  // (not with the limit above; but never loop)
    max_values_ = values_;
    return;
  }
  if (!largest->bits) count_bins(largest->totals.bins, largest->counts);  // from the exact values, which go now
  largest->bits = largest->bits ? largest->bits - 1 : kFirstRoundedBits;
  absl::btree_map<TimeNs, uint64_t> rounded;
  for (const auto& [v, count] : largest->counts) rounded[round_latency(v, largest->bits)] += count;
  values_ -= largest->counts.size() - rounded.size();
  largest->counts = std::move(rounded);
}

ResponseTimes::Acc& ResponseTimes::row(const Protocol* p, std::string_view kind) {
  auto& kinds = index_[p];
  if (kind.size() <= kMaxKindBytes) {
    if (auto it = kinds.find(kind); it != kinds.end()) return rows_[it->second];
  }
  std::string k = kind.size() > kMaxKindBytes ? std::string(kind.substr(0, kMaxKindBytes)) + "..." : std::string(kind);
  auto it = kinds.find(k);
  if (it == kinds.end()) {
    if (k != kOther && kinds.size() >= kMaxKinds) return row(p, kOther);
    it = kinds.emplace(k, rows_.size()).first;
    rows_.push_back(Acc{p, k, 0, {}, {}, 0});
  }
  return rows_[it->second];
}

std::vector<ResponseTimeRow> ResponseTimes::rows() const {
  std::vector<ResponseTimeRow> rows;
  rows.reserve(rows_.size());
  for (const Acc& a : rows_) {
    ResponseTimeRow& r = rows.emplace_back(ResponseTimeRow{
        a.protocol, a.kind, a.unanswered, LatencyCounts(a.counts.begin(), a.counts.end()), a.bits, a.totals});
    if (!a.bits) count_bins(r.totals.bins, a.counts);
  }
  const auto order = [](const Protocol* p) {
    const auto all = all_protocols();
    return std::find(all.begin(), all.end(), p) - all.begin();
  };
  std::sort(rows.begin(), rows.end(), [&](const ResponseTimeRow& a, const ResponseTimeRow& b) {
    if (a.protocol != b.protocol) return order(a.protocol) < order(b.protocol);
    return a.kind < b.kind;
  });
  return rows;
}

std::vector<uint64_t> log_histogram(const std::vector<TimeNs>& latencies) {
  std::vector<uint64_t> bins(kLogBins, 0);
  for (TimeNs ns : latencies) ++bins[log_bin(ns)];
  return bins;
}

namespace {
std::string ms(TimeNs ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ns) / 1e6);
  return buf;
}
}  // namespace

std::string response_time_table(const std::vector<ResponseTimeRow>& rows) {
  if (rows.empty()) return {};
  std::string t = "   response times (ms):\n";
  char buf[512];
  std::snprintf(buf, sizeof buf, "     %-5s %-28s %8s %10s %10s %10s %10s %10s %10s %10s\n", "proto", "request",
                "count", "min", "p50", "p90", "p99", "max", "mean", "unanswered");
  t += buf;
  double rounded = 0;  // the largest percentile error of a rounded row
  for (const ResponseTimeRow& r : rows) {
    const bool any = r.answered() > 0;
    const auto cell = [&](TimeNs v) { return any ? ms(v) : std::string("-"); };
    // A rounded row's percentiles are marked; its count, min, max and mean are exact.
    const auto pct = [&](double q) {
      std::string c = cell(r.percentile(q));
      if (r.rounded_bits && any) c.insert(c.begin(), '~');
      return c;
    };
    rounded = std::max(rounded, r.percentile_error());
    // The request kind comes from the capture (an RRP command's entity name, ...):
    // shown printable like every capture string of the text output.
    std::snprintf(buf, sizeof buf, "     %-5s ", std::string(r.protocol->short_name).c_str());
    t += buf;
    const size_t kind_at = t.size();
    append_printable(t, r.kind);
    if (t.size() - kind_at < 28) t.append(28 - (t.size() - kind_at), ' ');
    std::snprintf(buf, sizeof buf, " %8llu %10s %10s %10s %10s %10s %10s %10llu\n",
                  static_cast<unsigned long long>(r.answered()), cell(r.min()).c_str(), pct(50).c_str(),
                  pct(90).c_str(), pct(99).c_str(), cell(r.max()).c_str(), cell(r.mean()).c_str(),
                  static_cast<unsigned long long>(r.unanswered));
    t += buf;
  }
  if (rounded > 0) {
    std::snprintf(buf, sizeof buf,
                  "     ~ within %.3g %% of the exact value: the run had more distinct latencies than are kept (%zu)\n",
                  rounded * 100, ResponseTimes::kMaxLatencyValues);
    t += buf;
  }
  return t;
}

}  // namespace quartet::analyzer
