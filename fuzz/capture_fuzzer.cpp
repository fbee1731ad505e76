// Fuzz target for capture input: the bytes are a capture file (pcap, pcapng,
// gzip/zstd compressed or not) read by the analyzer's real pipeline: libpcap or
// the own pcapng reader, link layers, IPv4/IPv6 and fragment reassembly, TCP
// reassembly, detection, the core sessions and the JSONL writer, whose output
// must stay valid JSON. A file that is not a capture is a CaptureError, the
// analyzer's "nothing analysed" exit; anything else must not crash, hang or
// allocate without bound. The in-place readers (PcapRecords, PcapngBlocks) must
// hand out what libpcap hands out: packets, lengths, times, truncation words. And
// --threads must write what one thread writes, byte for byte.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "app/analyzer_sink.hpp"
#include "app/output.hpp"
#include "app/threaded_run.hpp"
#include "net/capture_reader.hpp"
#include "net/pipeline.hpp"
#include "output_checks.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

// Everything CaptureFile hands out for `path`, in one string; nullopt: not a capture.
std::optional<std::string> read_packets(const std::string& path, bool in_place) {
  try {
    net::CaptureFile f(path, "", {}, in_place);
    net::Packet p;
    std::string s;
    while (f.next(p)) {
      s += std::to_string(p.ts) + " " + std::to_string(p.wire_len) + " " + std::to_string(p.linktype) + " ";
      s.append(reinterpret_cast<const char*>(p.data.data()), p.data.size());
      s += "\n";
    }
    s += f.truncation();
    for (const std::string& n : f.notices()) s += "\n" + n;
    return s;
  } catch (const net::CaptureError&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // libpcap reads files by name: the input goes into an anonymous memory file.
  static const int fd = memfd_create("capture", 0);
  if (fd < 0) return 0;
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;

  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (read_packets(path, true) != read_packets(path, false)) __builtin_trap();

  // One thread, as quartet --threads 1 runs it (secrets in the capture go to the key log).
  net::Options nopt;
  nopt.inputs = {path};
  nopt.tcp.server_ports = {3288, 648, 4720};
  fuzz::MemOut out;
  {
    AppOptions opt;
    opt.format = OutputFormat::Jsonl;
    tls::KeyLog keys;
    opt.keylog = &keys;
    auto writer = make_jsonl_writer(out.f, opt);
    Analyzer a(opt, *writer);
    net::Options one = nopt;
    one.on_secrets = [&keys](std::string_view text) { keys.add_text(text); };
    try {
      net::run(one, a);
    } catch (const net::CaptureError&) {
      return 0;
    }
    a.finish();
  }
  fuzz::check_jsonl(out.text());

  // With --threads the output is the same, byte for byte: a reader, two decoding
  // workers and an output stage; the reader decodes a share of the connections
  // itself (the input's last byte says how many of every 64, and whether the rest
  // then go to one worker or both), as it does when it has CPU to spare. (Files this
  // small are not read ahead: see docs/fuzzing.md.)
  const uint8_t last = size ? data[size - 1] : 0;
  fuzz::MemOut threaded;
  {
    AppOptions opt;
    opt.format = OutputFormat::Jsonl;
    tls::KeyLog keys;
    auto writer = make_jsonl_writer(threaded.f, opt);
    ThreadedAnalyzer t(opt, *writer, threaded.f, 2, keys);
    t.fix_reader_share(last % 65u, 1u + last / 65u % 2u);
    try {
      t.run(nopt);
    } catch (const net::CaptureError&) {
      __builtin_trap();  // one thread read it
    }
    t.finish();
  }
  if (threaded.text() != out.text()) {
    std::fprintf(stderr, "fuzz_capture: --threads 2 wrote another output than one thread\n");
    __builtin_trap();
  }
  return 0;
}
