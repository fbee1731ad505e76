// Fuzz target for the output writers: whatever a capture's bytes make the
// decoders produce (names, summaries, field values, problems, TLS details),
// the JSONL writer must write lines that parse as JSON, the text writer text
// without raw control characters or invalid UTF-8, and the HTML report data
// blocks that no capture value can break out of (output_checks.hpp).
//
// Input: byte 0 picks the protocol (index into all_protocols()); byte 1 holds
// options (bit 0: the connection is TLS from the start, bit 1: --show-secrets,
// bit 2: --summary, bit 3: it ends with RST, bit 4: the HTML report instead of
// the text output beside the JSONL one). Then records of one control byte (bit
// 7: 0 = client, 1 = server; bit 6: a gap instead of data; bits 0-5: length - 1)
// and that many stream bytes, as the analyzer's application half receives them.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "app/analyzer_sink.hpp"
#include "app/output.hpp"
#include "connection.hpp"
#include "output_checks.hpp"

using namespace quartet;
using namespace quartet::analyzer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const auto protos = all_protocols();
  const Protocol& p = *protos[data[0] % protos.size()];
  const uint8_t options = data[1];
  const bool html = (options & 16) != 0;
  AppOptions opt;
  opt.format = OutputFormat::Jsonl;  // keep field values for the JSONL writer
  opt.decode_as.push_back({&p, fuzz::kServerPort, (options & 1) != 0});
  opt.show_secrets = (options & 2) != 0;
  AppOptions other_opt = opt;
  other_opt.format = html ? OutputFormat::Html : OutputFormat::Text;
  other_opt.summary_only = !html && (options & 4) != 0;

  fuzz::MemOut jsonl_out, other_out;
  {
    auto jsonl = make_jsonl_writer(jsonl_out.f, opt);
    auto other = html ? make_html_writer(other_out.f, other_opt, (options & 32) != 0)  // --threads' compressor
                      : make_text_writer(other_out.f, other_opt);
    fuzz::Tee tee({jsonl.get(), other.get()});
    Analyzer a(opt, tee);
    const FlowInfo flow = fuzz::test_flow();
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
  if (html) fuzz::check_html(other_out.text());
  else fuzz::check_text(other_out.text());
  return 0;
}
