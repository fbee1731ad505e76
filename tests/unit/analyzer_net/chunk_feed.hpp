// Feeds segments to a TcpReassembler with their payloads in the chunks of a
// ReadAhead, as the reader thread reads a capture with --threads: each payload laid
// out within one chunk, the chunks taken and given back in order. Shared by the
// retained tail's unit tests and fuzz_tcp_views, which compare what the reassembler
// reports this way with what it reports from payloads in plain memory (both here).
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "net/read_ahead.hpp"
#include "net/tcp_reassembler.hpp"
#include "recording_sink.hpp"

namespace quartet::analyzer::test {

// `packet(i, payload)` makes segment i's packet around its payload. Finishes the
// reassembler. False if a payload was not where it was laid out (a broken harness).
inline bool feed_from_chunks(net::TcpReassembler& r, const std::vector<std::string_view>& payloads, size_t chunk,
                             size_t max_pinned, const std::function<net::TcpPacket(size_t, Bytes)>& packet) {
  std::string file;
  std::vector<size_t> at;
  for (const std::string_view s : payloads) {
    if (file.size() % chunk + s.size() > chunk) file.resize((file.size() / chunk + 1) * chunk, '\0');
    at.push_back(file.size());
    file += s;
  }
  size_t pos = 0;
  auto source = [&](char* to, size_t n) {
    const size_t k = std::min(n, file.size() - pos);
    std::copy_n(file.data() + pos, k, to);
    pos += k;
    return static_cast<ssize_t>(k);
  };
  net::ReadAhead ahead(source, 0, chunk, 2, max_pinned);
  net::ReadAhead::Chunk* c = ahead.take();
  size_t chunk_start = 0;
  bool laid_out = true;
  for (size_t i = 0; i < payloads.size(); ++i) {
    while (at[i] >= chunk_start + c->bytes && !c->last) {
      chunk_start += c->bytes;
      ahead.give_back(c);
      c = ahead.take();
    }
    const Bytes payload(c->memory.get() + (at[i] - chunk_start), payloads[i].size());
    laid_out = laid_out && as_text(payload) == payloads[i];
    r.on_segment(packet(i, payload));
  }
  r.finish();
  ahead.give_back(c);
  return laid_out;
}

// What a reassembler with `cfg` reports (RecordingSink::events) fed with the payloads
// in plain memory: each copied into the retained tail at once, as with one thread.
inline std::vector<std::string> events_from_memory(const net::TcpConfig& cfg,
                                                   const std::vector<std::string_view>& payloads,
                                                   const std::function<net::TcpPacket(size_t, Bytes)>& packet) {
  RecordingSink sink;
  net::TcpReassembler r(sink, cfg);
  for (size_t i = 0; i < payloads.size(); ++i) r.on_segment(packet(i, as_bytes(payloads[i])));
  r.finish();
  return sink.events;
}

// What it reports fed from the chunks (feed_from_chunks); an empty list when a payload
// was not where it was laid out.
inline std::vector<std::string> events_from_chunks(const net::TcpConfig& cfg,
                                                   const std::vector<std::string_view>& payloads, size_t chunk,
                                                   size_t max_pinned,
                                                   const std::function<net::TcpPacket(size_t, Bytes)>& packet) {
  RecordingSink sink;
  net::TcpReassembler r(sink, cfg);
  if (!feed_from_chunks(r, payloads, chunk, max_pinned, packet)) return {};
  return sink.events;
}

}  // namespace quartet::analyzer::test
