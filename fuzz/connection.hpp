// One TCP connection for the analyzer-level fuzz targets (fuzz_output, fuzz_tls):
// a fixed flow whose server port is the one --decode-as names, and the writer
// fan-out both targets hand their sessions to.
#pragma once

#include <cstdint>
#include <vector>

#include "app/output.hpp"
#include "stream_events.hpp"

namespace quartet::fuzz {

// The server port the targets' --decode-as entries name.
constexpr uint16_t kServerPort = 9999;

// 192.0.2.1:40000 -> 192.0.2.2:9999, handshake seen.
inline analyzer::FlowInfo test_flow() {
  analyzer::FlowInfo flow;
  flow.id = 1;
  flow.client.addr = {192, 0, 2, 1};
  flow.client.port = 40000;
  flow.server.addr = {192, 0, 2, 2};
  flow.server.port = kServerPort;
  flow.roles = analyzer::RoleSource::Handshake;
  flow.handshake_seen = true;
  flow.first_ts = 1'700'000'000'000'000'000;
  return flow;
}

// Hands every session and the summary to several writers.
class Tee : public analyzer::Writer {
 public:
  explicit Tee(std::vector<analyzer::Writer*> to) : to_(std::move(to)) {}
  void session(const analyzer::SessionOut& s, absl::FunctionRef<void(const analyzer::Entry&)> also) override {
    for (size_t i = 0; i < to_.size(); ++i) {  // the first writer's pass feeds `also`
      if (i == 0) to_[i]->session(s, also);
      else to_[i]->session(s);
    }
  }
  void finish(const analyzer::RunSummary& r) override {
    for (auto* w : to_) w->finish(r);
  }

 private:
  std::vector<analyzer::Writer*> to_;
};

}  // namespace quartet::fuzz
