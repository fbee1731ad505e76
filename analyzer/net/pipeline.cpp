#include "net/pipeline.hpp"

#include <pcap/pcap.h>

#include <cstring>
#include <optional>

#include "net/capture_reader.hpp"
#include "net/ip_layer.hpp"
#include "net/link_layer.hpp"
#include "net/tcp_reassembler.hpp"
#include "net/tcp_segment.hpp"

namespace quartet::analyzer::net {
namespace {

// Counts one kind of problem and remembers the first example; one summary
// warning per kind at the end keeps a messy capture from flooding the output.
struct ProblemTally {
  uint64_t count = 0;
  std::string first;
  void add(uint64_t frame, std::string_view what) {
    if (count++ == 0) first = "frame " + std::to_string(frame) + ": " + std::string(what);
  }
};

// A fragment's protocol is known before reassembly, except for IPv6
// extension headers that follow the fragment header.
bool may_carry_tcp(const IpHeader& h) {
  if (h.proto == kProtoTcp) return true;
  if (!h.v6) return false;
  switch (h.proto) {
    case 0:
    case 43:
    case 51:
    case 60:
    case 135:
    case 139:
    case 140: return true;
    default: return false;
  }
}

// Packets inside a tunnel, whose inner TCP Wireshark and Zeek read after taking the
// outer headers off. quartet reads TCP directly over IP: it says what it passed over
// instead of dropping those packets without a word (as it does for link types).
// IP protocols 4 (RFC 2003), 41 (RFC 4213) and 47 (GRE, also ERSPAN), and UDP to the
// IANA ports of VXLAN (RFC 7348), Geneve (RFC 8926) and GTP-U (3GPP TS 29.281).
std::string_view tunnel_of(uint8_t proto, Bytes l4) {
  switch (proto) {
    case 4: return "IPv4 in IP";
    case 41: return "IPv6 in IP";
    case 47: return "GRE";
    case 17:
      if (l4.size() < 4) return {};
      switch (be16(l4, 2)) {
        case 4789: return "VXLAN";
        case 6081: return "Geneve";
        case 2152: return "GTP-U";
        default: return {};
      }
    default: return {};
  }
}

class Driver {
 public:
  Driver(const Options& o, StreamSink& sink) : opt_(o), sink_(sink), tcp_(sink, o.tcp), defrag_(o.fragments) {}

  CaptureStats run() {
    MergedReader reader(opt_.inputs, opt_.bpf_filter, opt_.on_secrets, opt_.read_ahead,
                        opt_.live);  // throws before any sink call
    st_.files = reader.file_count();
    if (opt_.on_microseconds_only && reader.microseconds_only()) opt_.on_microseconds_only();
    uint64_t next_progress = opt_.progress_step;
    Packet pkt;
    while (reader.next(pkt)) {
      for (auto& w : reader.take_warnings()) truncation(w);
      for (auto& n : reader.take_notices()) warn(std::move(n));
      packet(pkt);
      // bytes_read() sums over the inputs: look only every 256 packets.
      if (opt_.progress && (st_.packets & 255) == 0 && reader.bytes_read() >= next_progress) {
        opt_.progress(reader.bytes_read(), reader.total_bytes());
        next_progress = reader.bytes_read() + opt_.progress_step;
      }
    }
    for (auto& w : reader.take_warnings()) truncation(w);
    for (auto& n : reader.take_notices()) warn(std::move(n));
    st_.interrupted = opt_.live.stopped();
    tcp_.finish();
    summarise();
    st_.fragments = defrag_.stats();
    st_.tcp_stats = tcp_.stats();
    if (opt_.progress) opt_.progress(reader.bytes_read(), reader.total_bytes());
    return st_;
  }

 private:
  void warn(std::string text) {
    sink_.on_capture_warning(text);
    st_.warnings.push_back(std::move(text));
  }
  void truncation(std::string& w) {
    // Once stopped, an input ends where its reading did, maybe inside a record: not a
    // fault of the file.
    if (opt_.live.stopped()) return;
    ++st_.truncated_files;
    warn(std::move(w));
  }

  void packet(const Packet& p) {
    ++st_.packets;
    st_.captured_bytes += p.data.size();
    st_.wire_bytes += p.wire_len;
    if (st_.packets == 1) st_.first_ts = p.ts;
    st_.last_ts = std::max(st_.last_ts, p.ts);
    if (p.wire_len > p.data.size()) ++st_.snaplen_cut;
    check_clock(p);
    ++st_.link_types[p.linktype];
    if (p.ts - last_tick_ >= kSecond / 10 || p.ts < last_tick_) {
      tcp_.tick(p.ts);
      defrag_.expire(p.ts);
      last_tick_ = p.ts;
    }

    const LinkResult link = parse_link(p.linktype, p.data);
    switch (link.kind) {
      case L3Kind::Unsupported: ++st_.unsupported_link; return;
      case L3Kind::Truncated:
        ++st_.bad_link;
        bad_link_.add(p.number, "link-layer header cut short");
        return;
      case L3Kind::Other: ++st_.non_ip; return;
      case L3Kind::IPv4:
      case L3Kind::IPv6: break;
    }
    const Bytes l3 = p.data.subspan(link.offset);
    const size_t wire = p.wire_len - link.offset;
    const IpResult ip = link.kind == L3Kind::IPv4 ? parse_ipv4(l3, wire) : parse_ipv6(l3, wire);
    (link.kind == L3Kind::IPv4 ? st_.ipv4 : st_.ipv6)++;
    if (ip.status != IpStatus::Ok) {
      ++st_.bad_ip;
      bad_ip_.add(p.number, ip.problem);
      return;
    }
    if (!ip.problem.empty()) length_.add(p.number, ip.problem);

    Bytes l4 = ip.h.payload;
    uint32_t l4_missing = ip.h.payload_missing;
    uint8_t proto = ip.h.proto;
    if (ip.h.fragment && !may_carry_tcp(ip.h)) {  // not worth buffering
      ++st_.non_tcp;
      if (ip.h.frag_offset == 0) note_tunnel(p.number, proto, l4);
      return;
    }
    if (ip.h.fragment) {
      std::optional<Bytes> whole =
          defrag_.add(ip.h, p.ts, proto, [&](const std::string& w) { frag_.add(p.number, w); });
      if (!whole) return;
      l4 = *whole;
      l4_missing = 0;
      if (ip.h.v6) {  // more extension headers may follow the fragment header
        ChainEnd end;
        std::string_view problem;
        if (!walk_ipv6_chain(proto, l4, end, problem)) {
          ++st_.bad_ip;
          bad_ip_.add(p.number, problem);
          return;
        }
        proto = end.proto;
        l4 = l4.subspan(end.offset);
      }
    }
    if (proto != kProtoTcp) {
      ++st_.non_tcp;
      note_tunnel(p.number, proto, l4);
      return;
    }
    TcpPacket tp;
    std::string_view problem;
    if (!parse_tcp(l4, l4_missing, tp.seg, problem)) {
      ++st_.bad_tcp;
      bad_tcp_.add(p.number, problem);
      return;
    }
    ++st_.tcp;
    tp.ts = p.ts;
    const size_t alen = ip.h.v6 ? 16 : 4;
    tp.src.v6 = tp.dst.v6 = ip.h.v6;
    std::memcpy(tp.src.addr.data(), ip.h.src.data(), alen);
    std::memcpy(tp.dst.addr.data(), ip.h.dst.data(), alen);
    tp.src.port = tp.seg.sport;
    tp.dst.port = tp.seg.dport;
    tcp_.on_segment(tp);
  }

  void note_tunnel(uint64_t frame, uint8_t proto, Bytes l4) {
    if (const std::string_view t = tunnel_of(proto, l4); !t.empty()) tunnels_.add(frame, t);
  }

  // Timestamps that go back by more than a second (clock steps) or jump by more
  // than a year (a corrupt record) are kept as they are -- the reassembler works
  // in capture order and times out on capture time -- but said once each.
  void check_clock(const Packet& p) {
    constexpr TimeNs kYear = 365 * 24 * 3600 * kSecond;
    if (st_.packets > 1) {
      // Disorder below a second is normal where interfaces or CPUs are merged.
      if (p.ts < prev_ts_ - kSecond)
        backwards_.add(p.number, std::to_string((prev_ts_ - p.ts) / kSecond) + " s before the previous frame");
      else if (p.ts - prev_ts_ > kYear)
        jumps_.add(p.number, std::to_string((p.ts - prev_ts_) / kYear) + " years after the previous frame");
    }
    prev_ts_ = p.ts;
  }

  void summarise() {
    for (const auto& [dlt, n] : st_.link_types)
      if (!link_type_supported(dlt))
        warn(std::to_string(n) + " frames of unsupported link type " + link_type_name(dlt) + " skipped");
    auto report = [&](const ProblemTally& t, const char* what) {
      if (t.count) warn(std::to_string(t.count) + " " + what + " (first: " + t.first + ")");
    };
    if (st_.snaplen_cut)
      warn(std::to_string(st_.snaplen_cut) +
           " frames cut by the snapshot length (captured shorter than on the wire): their missing bytes are gaps");
    report(backwards_, "frames with a timestamp more than a second before the previous frame's (read in file order)");
    report(jumps_, "timestamps more than a year after the previous frame's (timeouts may close flows early)");
    report(bad_link_, "frames with a cut link-layer header skipped");
    report(bad_ip_, "packets with a bad IP header skipped");
    report(length_, "IP packets longer than their frame (cut to the frame)");
    report(frag_, "IP fragment problems");
    report(bad_tcp_, "TCP segments with a bad or cut header skipped");
    report(tunnels_,
           "packets inside tunnels (IP in IP, GRE, VXLAN, Geneve, GTP-U) skipped: quartet reads TCP directly over IP "
           "and does not decapsulate");
    const DefragStats& d = defrag_.stats();
    const uint64_t incomplete = d.expired + d.evicted + defrag_.pending();
    if (incomplete) warn(std::to_string(incomplete) + " fragmented IP datagrams never completed");
    if (d.truncated_fragments)
      warn(std::to_string(d.truncated_fragments) + " IP fragments cut by the snaplen could not be reassembled");
  }

  const Options& opt_;
  StreamSink& sink_;
  TcpReassembler tcp_;
  Defragmenter defrag_;
  CaptureStats st_;
  TimeNs last_tick_ = -kSecond;  // timestamps are >= 0 (clamp_timestamp)
  TimeNs prev_ts_ = 0;
  ProblemTally bad_link_, bad_ip_, length_, frag_, bad_tcp_, backwards_, jumps_, tunnels_;
};

}  // namespace

std::string link_type_name(int dlt) {
  const char* name = pcap_datalink_val_to_name(dlt);
  const char* desc = pcap_datalink_val_to_description(dlt);
  std::string s = name ? name : "DLT " + std::to_string(dlt);
  if (desc) s += std::string(" (") + desc + ")";
  return s;
}

CaptureStats run(const Options& options, StreamSink& sink) {
  Driver d(options, sink);
  return d.run();
}

}  // namespace quartet::analyzer::net
