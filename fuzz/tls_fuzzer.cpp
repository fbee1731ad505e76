// Fuzz target for the TLS record layer and its decryption: one connection,
// TLS from the first byte or after a protocol's hand-off, followed by the
// analyzer's record follower (app/tls_peek) with a Decryptor (tls/) that holds
// real secrets: the key log fuzz/tls.keys (every key log under captures/ and the
// Decryption Secrets Blocks of its pcapng files, written by make_seeds.py). The
// seeds are the real TLS connections of those captures (TLS 1.0, 1.2 and 1.3,
// GCM, CCM, ChaCha20-Poly1305 and CBC suites, KeyUpdate, hand-offs), so the
// handshake, key derivation and record decryption paths are reached and the
// fuzzer mutates the records, their split into segments and their order between
// the directions. Whatever comes out of the decrypted streams goes through the
// protocol decoders to the JSONL writer, whose lines must parse as JSON.
//
// Input: byte 0: bits 0-1 the protocol inside (index into all_protocols()), bit 2
// --decode-as PROTO/tls (TLS from the first byte; without it TLS is still found
// by its first bytes, or follows a protocol's hand-off), bit 3 the connection
// ends with RST, bit 4 --show-secrets. Then records of one control byte (bit 7:
// 0 = client, 1 = server; bits 0-6: length - 1) and that many stream bytes: the
// fuzzer chooses the bytes, the segment boundaries and the interleaving.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "app/analyzer_sink.hpp"
#include "app/output.hpp"
#include "connection.hpp"
#include "output_checks.hpp"
#include "tls/keylog.hpp"

using namespace quartet;
using namespace quartet::analyzer;

namespace {

const tls::KeyLog& fuzz_keys() {
  static const tls::KeyLog keys = [] {
    tls::KeyLog k;
    tls::KeyLogStats st;
    std::string error;
    if (!k.add_file(QUARTET_FUZZ_TLS_KEYS, st, error) || k.sessions() == 0) {
      std::fprintf(stderr, "fuzz_tls: no secrets in %s: %s\n", QUARTET_FUZZ_TLS_KEYS, error.c_str());
      std::abort();
    }
    return k;
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const auto protos = all_protocols();
  const uint8_t mode = data[0];
  AppOptions opt;
  opt.format = OutputFormat::Jsonl;
  opt.decode_as.push_back({protos[mode & 3], fuzz::kServerPort, (mode & 4) != 0});
  opt.show_secrets = (mode & 16) != 0;
  opt.keylog = &fuzz_keys();

  fuzz::MemOut jsonl_out;
  {
    auto jsonl = make_jsonl_writer(jsonl_out.f, opt);
    Analyzer a(opt, *jsonl);
    const FlowInfo flow = fuzz::test_flow();
    a.on_open(flow);
    TimeNs ts = flow.first_ts;
    for (size_t off = 1; off < size;) {
      const uint8_t control = data[off++];
      const size_t len = std::min<size_t>((control & 0x7f) + 1u, size - off);
      ts += 1000;
      a.on_data(flow.id, (control & 0x80) ? Side::Server : Side::Client,
                Bytes{reinterpret_cast<const std::byte*>(data + off), len}, ts);
      off += len;
    }
    a.on_close(flow.id, (mode & 8) ? CloseReason::Reset : CloseReason::Fin, Side::Client, ts + 1);
    a.finish();
  }
  // QUARTET_FUZZ_PRINT=1 fuzz_replay_tls FILE shows what an input decrypts to.
  static const bool print = std::getenv("QUARTET_FUZZ_PRINT") != nullptr;
  if (print) std::fwrite(jsonl_out.text().data(), 1, jsonl_out.text().size(), stdout);
  fuzz::check_jsonl(jsonl_out.text());
  return 0;
}
