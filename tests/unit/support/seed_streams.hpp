// The fuzz seeds as streams of PDUs (fuzz/corpus/protocol/: every sample capture's TCP
// streams and hand-made exchanges, byte 0 = registry index, then records of a control
// byte -- bit 7 server side, bits 0-6 length - 1 -- and the bytes), framed per direction
// as the wrappers do: one loop for every test that replays them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "common/protocol.hpp"

namespace quartet::test {

// Calls on_stream(protocol, file name) for each seed, then on_pdu(direction, pdu) for each
// complete PDU of it, in stream order; returns the number of seeds.
template <class OnStream, class OnPdu>
size_t for_each_seed_stream(OnStream on_stream, OnPdu on_pdu) {
  const auto protos = all_protocols();
  size_t streams = 0;
  for (const auto& entry : std::filesystem::directory_iterator(QUARTET_CAPTURES_DIR "/../fuzz/corpus/protocol")) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 2) continue;
    const Protocol& p = *protos[static_cast<uint8_t>(data[0]) % protos.size()];
    on_stream(p, entry.path().filename().string());
    std::string buf[2];
    bool dead[2] = {false, false};
    for (size_t i = 1; i < data.size();) {
      const uint8_t ctl = static_cast<uint8_t>(data[i++]);
      const size_t n = std::min<size_t>((ctl & 0x7f) + 1u, data.size() - i);
      const int side = ctl >> 7;
      buf[side].append(data, i, n);
      i += n;
      const Direction dir = side ? Direction::ToClient : Direction::ToServer;
      while (!dead[side] && !buf[side].empty()) {
        const FrameResult r = p.frame(as_bytes(buf[side]));
        if (r.status == FrameResult::Status::Invalid) dead[side] = true;
        if (r.status != FrameResult::Status::Complete) break;
        on_pdu(dir, as_bytes(buf[side]).first(static_cast<size_t>(r.length)));
        buf[side].erase(0, static_cast<size_t>(r.length));
      }
    }
    ++streams;
  }
  return streams;
}

}  // namespace quartet::test
