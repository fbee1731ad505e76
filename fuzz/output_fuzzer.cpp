// Fuzz target for the output writers: whatever a capture's bytes make the
// decoders produce (names, summaries, field values, problems, TLS details),
// the JSONL writer must write lines that parse as JSON and the text writer
// text without raw control characters or invalid UTF-8 (output_checks.hpp).
//
// Input: byte 0 picks the protocol (index into all_protocols()); byte 1 holds
// options (bit 0: the connection is TLS from the start, bit 1: --show-secrets,
// bit 2: --summary). Then records of one control byte (bit 7: 0 = client, 1 =
// server; bit 6: a gap instead of data; bits 0-5: length - 1) and that many
// stream bytes, as the analyzer's application half receives them.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "app/analyzer_sink.hpp"
#include "app/output.hpp"
#include "output_checks.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

// Hands every session and the summary to two writers.
class Tee : public Writer {
 public:
  Tee(Writer& a, Writer& b) : a_(a), b_(b) {}
  void session(const SessionOut& s) override {
    a_.session(s);
    b_.session(s);
  }
  void finish(const RunSummary& r) override {
    a_.finish(r);
    b_.finish(r);
  }

 private:
  Writer &a_, &b_;
};

Endpoint endpoint(uint8_t last, uint16_t port) {
  Endpoint e;
  e.addr = {192, 0, 2, last};
  e.port = port;
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  auto protos = all_protocols();
  const Protocol& p = *protos[data[0] % protos.size()];
  const uint8_t options = data[1];
  AppOptions opt;
  opt.format = OutputFormat::Jsonl;  // keep field values for the JSONL writer
  opt.decode_as.push_back({&p, 9999, (options & 1) != 0});
  opt.show_secrets = (options & 2) != 0;
  AppOptions text_opt = opt;
  text_opt.format = OutputFormat::Text;
  text_opt.summary_only = (options & 4) != 0;

  fuzz::MemOut jsonl_out, text_out;
  {
    auto jsonl = make_jsonl_writer(jsonl_out.f, opt);
    auto text = make_text_writer(text_out.f, text_opt);
    Tee tee(*jsonl, *text);
    Analyzer a(opt, tee);
    FlowInfo flow;
    flow.id = 1;
    flow.client = endpoint(1, 40000);
    flow.server = endpoint(2, 9999);
    flow.roles = RoleSource::Handshake;
    flow.handshake_seen = true;
    flow.first_ts = 1'700'000'000'000'000'000;
    a.on_open(flow);
    TimeNs ts = flow.first_ts;
    for (size_t off = 2; off < size;) {
      const uint8_t control = data[off++];
      const Side side = (control & 0x80) ? Side::Server : Side::Client;
      const size_t len = std::min<size_t>((control & 0x3f) + 1u, size - off);
      ts += 1000 + control;
      if (control & 0x40) {
        a.on_gap(1, side, len * 97, ts);
      } else {
        a.on_data(1, side, Bytes{reinterpret_cast<const std::byte*>(data + off), len}, ts);
      }
      off += len;
    }
    a.on_close(1, (options & 8) ? CloseReason::Reset : CloseReason::Fin, Side::Client, ts + 1);
    a.finish();
  }
  fuzz::check_jsonl(jsonl_out.text());
  fuzz::check_text(text_out.text());
  return 0;
}
