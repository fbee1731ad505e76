// A StreamSink that records every call, for asserting exact event sequences.
#pragma once

#include <string>
#include <vector>

#include "stream_events.hpp"

namespace quartet::analyzer::test {

struct RecordingSink : StreamSink {
  std::vector<FlowInfo> opened;
  std::vector<std::string> events;  // "C:data", "S:gap 5", "C:fin", "close Reset S", "warn S ..."
  std::string stream[2];            // delivered bytes per side ('?' never appears: gaps are events)
  std::vector<std::string> capture_warnings;
  std::vector<ConnSummary> states;
  std::vector<std::string> zeek;
  std::vector<TimeNs> fin_ts, close_ts;
  size_t data_calls = 0;
  size_t quiet_after = SIZE_MAX;  // on_data asks for no more bytes from this many calls on

  static const char* side(Side s) { return s == Side::Client ? "C" : "S"; }
  void on_open(const FlowInfo& f) override {
    opened.push_back(f);
    events.push_back("open " + std::to_string(f.id));
  }
  bool on_data(uint64_t, Side from, Bytes data, TimeNs) override {
    std::string s(as_text(data));
    stream[from == Side::Client ? 0 : 1] += s;
    events.push_back(std::string(side(from)) + ":" + s);
    return ++data_calls < quiet_after;
  }
  void on_gap(uint64_t, Side from, uint64_t n, TimeNs) override {
    events.push_back(std::string(side(from)) + ":gap " + std::to_string(n));
  }
  void on_flow_warning(uint64_t, Side from, std::string_view text, TimeNs) override {
    events.push_back(std::string("warn ") + side(from) + " " + std::string(text));
  }
  void on_fin(uint64_t, Side from, TimeNs ts) override {
    fin_ts.push_back(ts);
    events.push_back(std::string(side(from)) + ":fin");
  }
  void on_conn_state(uint64_t, const ConnSummary& s) override {
    states.push_back(s);
    zeek.emplace_back(s.zeek_state);
  }
  void on_close(uint64_t id, CloseReason why, Side by, TimeNs ts) override {
    close_ts.push_back(ts);
    static const char* names[] = {"Fin", "Reset", "Idle", "EndOfCapture", "MemoryLimit"};
    events.push_back("close " + std::to_string(id) + " " + names[static_cast<int>(why)] + " " + side(by));
  }
  void on_capture_warning(std::string_view text) override { capture_warnings.emplace_back(text); }

  // Events without the open line, joined with '|' for compact assertions.
  std::string joined() const {
    std::string out;
    for (const auto& e : events) {
      if (e.rfind("open ", 0) == 0) continue;
      if (!out.empty()) out += "|";
      out += e;
    }
    return out;
  }
};

}  // namespace quartet::analyzer::test
