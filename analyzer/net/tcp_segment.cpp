#include "net/tcp_segment.hpp"

namespace quartet::analyzer::net {

bool parse_tcp(Bytes l4, uint32_t l4_missing, TcpSegment& out, std::string_view& problem) {
  if (l4.size() < 20) {
    problem = "TCP header cut short";
    return false;
  }
  const size_t header_len = static_cast<size_t>(be8(l4, 12) >> 4) * 4;
  if (header_len < 20) {
    problem = "TCP data offset below 20";
    return false;
  }
  const size_t total = l4.size() + l4_missing;
  if (header_len > total) {
    problem = "TCP data offset beyond the segment";
    return false;
  }
  out.sport = be16(l4, 0);
  out.dport = be16(l4, 2);
  out.seq = be32(l4, 4);
  out.ack = be32(l4, 8);
  out.flags = be8(l4, 13);
  if (header_len <= l4.size()) {
    out.payload = l4.subspan(header_len);
    out.missing = l4_missing;
  } else {  // options cut by the snaplen: no payload byte captured
    out.payload = {};
    out.missing = static_cast<uint32_t>(total - header_len);
  }
  return true;
}

}  // namespace quartet::analyzer::net
