#include "cli.hpp"

#include <charconv>

namespace quartet::analyzer {
namespace {

bool parse_port(std::string_view s, uint16_t& port) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535) return false;
  port = static_cast<uint16_t>(v);
  return true;
}

// PROTO=PORT or PROTO/tls=PORT; PORT may be a comma-separated list.
bool parse_decode_as(std::string_view spec, std::vector<DecodeAs>& out, std::string& error) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    error = "--decode-as wants PROTO=PORT, got '" + std::string(spec) + "'";
    return false;
  }
  std::string_view name = spec.substr(0, eq);
  bool tls = false;
  if (name.size() > 4 && name.substr(name.size() - 4) == "/tls") {
    tls = true;
    name.remove_suffix(4);
  }
  const Protocol* p = find_protocol(name);
  if (!p) {
    error = "--decode-as: unknown protocol '" + std::string(name) + "' (" + protocol_names() + ")";
    return false;
  }
  std::string_view ports = spec.substr(eq + 1);
  while (true) {
    const size_t comma = ports.find(',');
    uint16_t port = 0;
    if (!parse_port(ports.substr(0, comma), port)) {
      error = "--decode-as: bad port in '" + std::string(spec) + "'";
      return false;
    }
    out.push_back({p, port, tls});
    if (comma == std::string_view::npos) break;
    ports = ports.substr(comma + 1);
  }
  return true;
}

}  // namespace

// "copsx, rrp, iapx, sp": the registry's filter names, for help and errors.
std::string protocol_names(std::string_view separator) {
  std::string s;
  for (const Protocol* p : all_protocols()) {
    if (!s.empty()) s += separator;
    s += p->filter_name;
  }
  return s;
}

std::string usage_text() {
  std::string short_names;
  for (const Protocol* p : all_protocols()) {
    if (!short_names.empty()) short_names += ", ";
    short_names += p->short_name;
  }
  std::string text = R"(Usage: quartet [options] FILE...
Reads pcap/pcapng captures (also gzip- or zstd-compressed; "-" is standard input;
several files are merged by timestamp as one capture) and prints, for each
@SHORT@ session, a timeline of what happened. A live capture:
tcpdump -U -w - -i IFACE | quartet -   (Ctrl-C writes what was read)

Options:
  -r, --read FILE         a capture file (as in tcpdump/tshark; files may also be
                          given without -r)
  -f, --filter BPF        only packets matching this capture filter (libpcap syntax)
  -d, --decode-as P=PORT  decode TCP port PORT as protocol P (@NAMES@);
                          P/tls=PORT when the connection is TLS from the start;
                          repeatable, PORT may be a comma-separated list
      --keylog FILE       TLS secrets in the NSS key log format (SSLKEYLOGFILE);
                          repeatable. Without it, the file named by the
                          SSLKEYLOGFILE environment variable is read, if any.
                          Secrets in pcapng Decryption Secrets Blocks are always used
  -F, --format FMT        text (default): readable timeline; jsonl: one JSON object per
                          line (schema in docs/jsonl-schema.md); html: one self-contained
                          page with sessions, sequence diagrams and latency plots
                          (use with -o report.html)
  -o, --output FILE       write there instead of standard output (never over one of
                          the captures read)
  -s, --summary           one line per session (no per-message lines)
  -p, --protocol P        only sessions of protocol P
      --show-secrets      do not mask sensitive fields (passwords) in JSON output
      --max-flows N       TCP connections tracked at once (default 1000000); beyond
                          it the least recently active one is closed (state "dropped").
                          Memory: about 1 kB per tracked connection plus at most
                          256 MiB of out-of-order data and 256 MiB of messages split
                          across segments (docs/analyzer.md, "Budget")
      --threads N         decoding threads (default: one per core): one thread reads and
                          reassembles, N decode the connections (each connection on one;
                          the reader decodes a share itself when it has CPU to spare);
                          the output is byte for byte that of --threads 1 (no extra thread)
      --no-progress       no progress bar on standard error
      --list-protocols    list the protocols quartet decodes and exit; with
                          -F json: their fields and problem ids as one JSON object
      --shard K/N         decode only the TCP connections whose endpoint hash falls in
                          shard K of N (1 <= K <= N): N runs over the same inputs,
                          e.g. on N machines, together print every session once
                          (scripts/quartet-dask runs and merges them)
  -h, --help              this text
  -V, --version           version

Detection: --decode-as first, then the protocols' default ports, then heuristics
on the first bytes of either direction. TLS is recognised from the bytes (also
after an RFC 4261 COPS or IAP Upgrade hand-off) and its handshake shown as far
as it is in clear (SNI, versions, cipher suite, certificate subjects, alerts).
With the session's secrets (--keylog, SSLKEYLOGFILE or the capture's own
Decryption Secrets Blocks) its records are decrypted and the messages inside
decoded like clear ones; secrets never appear in the output.

Exit status:
  0  success (protocol findings such as malformed messages or gaps are part of
     the output, not errors)
  1  the capture is truncated or partly corrupt (or has frames quartet cannot
     read): everything readable is still reported, and a warning says what
  2  nothing analysed: bad command line, unreadable file or unknown file format
     (a one-line error names the file)
)";
  const auto replace = [&](std::string_view what, const std::string& with) {
    text.replace(text.find(what), what.size(), with);
  };
  replace("@SHORT@", short_names);
  replace("@NAMES@", protocol_names());
  return text;
}

CliArgs parse_cli(const std::vector<std::string_view>& argv) {
  CliArgs a;
  bool only_files = false;
  for (size_t i = 0; i < argv.size() && a.error.empty(); ++i) {
    std::string_view arg = argv[i];
    if (only_files || arg == "-" || arg.empty() || arg[0] != '-') {
      a.files.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_files = true;
      continue;
    }
    // --name=value or --name value / -x value
    std::string_view name = arg, inline_value;
    bool has_inline = false;
    if (arg.substr(0, 2) == "--") {
      if (size_t eq = arg.find('='); eq != std::string_view::npos) {
        name = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
        has_inline = true;
      }
    } else if (arg.size() > 2) {  // -fVALUE
      name = arg.substr(0, 2);
      inline_value = arg.substr(2);
      has_inline = true;
    }
    const auto value = [&](std::string_view& v) {
      if (has_inline) {
        v = inline_value;
        return true;
      }
      if (i + 1 >= argv.size()) {
        a.error = "option " + std::string(name) + " needs a value";
        return false;
      }
      v = argv[++i];
      return true;
    };
    const auto flag = [&] {
      if (has_inline) a.error = "option " + std::string(name) + " takes no value";
      return !has_inline;
    };
    std::string_view v;
    if (name == "-h" || name == "--help") {
      if (flag()) a.help = true;
    } else if (name == "-V" || name == "--version") {
      if (flag()) a.version = true;
    } else if (name == "-s" || name == "--summary") {
      if (flag()) a.app.summary_only = true;
    } else if (name == "--show-secrets") {
      if (flag()) a.app.show_secrets = true;
    } else if (name == "--list-protocols") {
      if (flag()) a.list_protocols = true;
    } else if (name == "--no-progress") {
      if (flag()) a.progress = false;
    } else if (name == "-r" || name == "--read") {  // as in tcpdump, tshark and zeek
      if (value(v)) a.files.emplace_back(v);
    } else if (name == "-f" || name == "--filter") {
      if (value(v)) a.bpf = std::string(v);
    } else if (name == "--keylog") {
      if (value(v)) a.keylogs.emplace_back(v);
    } else if (name == "-o" || name == "--output") {
      if (value(v)) a.output = std::string(v);
    } else if (name == "-F" || name == "--format") {
      if (!value(v)) break;
      if (v == "text") a.app.format = OutputFormat::Text;
      else if (v == "jsonl" || v == "json") a.app.format = OutputFormat::Jsonl;
      else if (v == "html") a.app.format = OutputFormat::Html;
      else a.error = "unknown format '" + std::string(v) + "' (text, jsonl, html)";
    } else if (name == "-p" || name == "--protocol") {
      if (!value(v)) break;
      a.app.only = find_protocol(v);
      if (!a.app.only) a.error = "unknown protocol '" + std::string(v) + "' (" + protocol_names() + ")";
    } else if (name == "--max-flows") {
      if (!value(v)) break;
      uint64_t n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n == 0 || n > 100'000'000)
        a.error = "--max-flows wants a number from 1 to 100000000, got '" + std::string(v) + "'";
      else a.max_flows = n;
    } else if (name == "--threads") {
      if (!value(v)) break;
      unsigned n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size() || n == 0 || n > 1024)
        a.error = "--threads wants a number from 1 to 1024, got '" + std::string(v) + "'";
      else a.threads = n;
    } else if (name == "--shard") {
      if (value(v) && !parse_shard(v, a.app.shard))
        a.error = "--shard wants K/N with 1 <= K <= N, got '" + std::string(v) + "'";
    } else if (name == "-d" || name == "--decode-as") {
      if (value(v)) parse_decode_as(v, a.app.decode_as, a.error);
    } else if (name == "-i" || name == "--interface") {  // tcpdump's and tshark's: say how instead
      a.error = "reads captures, not interfaces: for a live one, tcpdump -U -w - -i IFACE | quartet -";
    } else {
      a.error = "unknown option '" + std::string(arg) + "'";
    }
  }
  if (a.error.empty() && a.files.empty() && !a.help && !a.version && !a.list_protocols)
    a.error = "no capture file given";
  return a;
}

}  // namespace quartet::analyzer
