// quartet --threads N: one reader thread reads the inputs, decodes link and IP
// layers, reassembles IP fragments and TCP (analyzer/net, exactly as one thread
// does) and hands each connection's stream events to one of N decoding workers
// (by flow id, so both directions and the whole life of a connection stay on one
// worker). Each worker runs its own Analyzer (detection, framing, session machines,
// TLS, timelines) over its connections, without shared mutable state (its own copy
// of the TLS key log, kept current by the reader with the pcapng secrets in stream
// order), and formats each session as it ends. While the reader's side does less
// than its part of the CPU, it decodes a share of the connections itself, with a
// worker of its own that is not a thread (flow_spread.hpp). The output stage (a
// thread) replays the reader's sequence of connection openings and closings
// through the same SessionOrder the single-threaded Analyzer uses, so sessions are
// written at the same moments and in the same order; the output is byte for byte
// that of --threads 1.
//
// Everything that depends on the whole capture's order stays in the reader: TCP
// reassembly and its limits (--max-flows, idle expiry, buffer budgets), capture
// warnings, and when timestamps switch to nanosecond decimals.
#pragma once

#include <cstdio>
#include <memory>

#include "analyzer_sink.hpp"
#include "net/pipeline.hpp"
#include "tls/keylog.hpp"

namespace quartet::analyzer {

class ThreadedAnalyzer {
 public:
  // `keys`: the key log loaded before the run (each worker starts with a copy).
  // `out` is the file `writer` writes to (sessions the workers formatted go there directly).
  ThreadedAnalyzer(AppOptions& opt, Writer& writer, std::FILE* out, unsigned workers, const tls::KeyLog& keys);
  ~ThreadedAnalyzer();

  // Reads and decodes everything (Options::on_secrets is replaced). Throws what the
  // reader or a worker threw (net::CaptureError before any output).
  net::CaptureStats run(net::Options options);
  RunSummary& summary();
  // Writes the summary (after main has added what the network half counted).
  void finish();
  void set_max_waiting_entries(size_t n);  // for tests, as Analyzer's
  // For tests: the reader decodes this many of every 64 connections itself,
  // whatever the threads' pace, and while it does, the rest go to the first
  // `narrow` decoding threads (FlowSpread).
  void fix_reader_share(unsigned share, size_t narrow);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quartet::analyzer
