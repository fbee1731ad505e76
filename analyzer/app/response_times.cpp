#include "response_times.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

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

TimeNs ResponseTimeRow::percentile(double q) const { return percentile_of(latencies, q); }

void ResponseTimes::add(const SessionOut& s) {
  // Index of each request's row, and the latency each answered request got (first answer counts).
  std::vector<std::pair<const MessageOut*, std::optional<TimeNs>>> requests;
  std::vector<size_t> by_index;  // message index -> position in `requests` (+1), 0 = not a request
  for (const Entry& e : s.entries) {
    const auto* m = std::get_if<MessageOut>(&e);
    if (!m) continue;
    if (m->is_request) {
      if (by_index.size() <= m->index) by_index.resize(m->index + 1, 0);
      by_index[m->index] = requests.size() + 1;
      requests.push_back({m, std::nullopt});
    }
    if (m->response_to && m->latency && *m->response_to < by_index.size()) {
      if (size_t r = by_index[*m->response_to]; r && !requests[r - 1].second) requests[r - 1].second = *m->latency;
    }
  }
  for (const auto& [req, latency] : requests) {
    ResponseTimeRow& r = row(s.protocol, req->request_kind());
    if (latency) r.latencies.push_back(*latency);
    else ++r.unanswered;
  }
}

ResponseTimeRow& ResponseTimes::row(const Protocol* p, std::string_view kind) {
  auto& kinds = index_[p];
  if (kind.size() <= kMaxKindBytes) {
    if (auto it = kinds.find(kind); it != kinds.end()) return rows_[it->second];
  }
  std::string k = kind.size() > kMaxKindBytes ? std::string(kind.substr(0, kMaxKindBytes)) + "..." : std::string(kind);
  auto it = kinds.find(k);
  if (it == kinds.end()) {
    if (k != kOther && kinds.size() >= kMaxKinds) return row(p, kOther);
    it = kinds.emplace(k, rows_.size()).first;
    rows_.push_back(ResponseTimeRow{p, k, 0, {}});
  }
  return rows_[it->second];
}

std::vector<ResponseTimeRow> ResponseTimes::rows() const {
  std::vector<ResponseTimeRow> rows = rows_;
  const auto order = [](const Protocol* p) {
    const auto all = all_protocols();
    return std::find(all.begin(), all.end(), p) - all.begin();
  };
  std::sort(rows.begin(), rows.end(), [&](const ResponseTimeRow& a, const ResponseTimeRow& b) {
    if (a.protocol != b.protocol) return order(a.protocol) < order(b.protocol);
    return a.kind < b.kind;
  });
  for (ResponseTimeRow& r : rows) std::sort(r.latencies.begin(), r.latencies.end());
  return rows;
}

std::vector<uint64_t> log_histogram(const std::vector<TimeNs>& latencies) {
  std::vector<uint64_t> bins(kLogBins, 0);
  for (TimeNs ns : latencies) {
    size_t bin = 0;
    if (ns >= 1000) {
      const double b = std::floor(std::log10(static_cast<double>(ns) / 1000.0) * 5.0 + 1e-9);
      bin = std::min<size_t>(kLogBins - 1, 1 + static_cast<size_t>(b));
    }
    ++bins[bin];
  }
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
  std::snprintf(buf, sizeof buf, "     %-5s %-28s %8s %10s %10s %10s %10s %10s\n", "proto", "request", "count", "p50",
                "p90", "p99", "max", "unanswered");
  t += buf;
  for (const ResponseTimeRow& r : rows) {
    const bool any = !r.latencies.empty();
    const auto cell = [&](TimeNs v) { return any ? ms(v) : std::string("-"); };
    // The request kind comes from the capture (an RRP command's entity name, ...):
    // shown printable like every capture string of the text output.
    std::snprintf(buf, sizeof buf, "     %-5s ", std::string(r.protocol->short_name).c_str());
    t += buf;
    const size_t kind_at = t.size();
    append_printable(t, r.kind);
    if (t.size() - kind_at < 28) t.append(28 - (t.size() - kind_at), ' ');
    std::snprintf(buf, sizeof buf, " %8llu %10s %10s %10s %10s %10llu\n",
                  static_cast<unsigned long long>(r.latencies.size()), cell(r.percentile(50)).c_str(),
                  cell(r.percentile(90)).c_str(), cell(r.percentile(99)).c_str(), cell(r.max()).c_str(),
                  static_cast<unsigned long long>(r.unanswered));
    t += buf;
  }
  return t;
}

}  // namespace quartet::analyzer
