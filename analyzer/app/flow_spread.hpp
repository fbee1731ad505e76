// Which worker decodes a connection with --threads N: one of the N decoding
// threads, or the reader thread itself (worker N).
//
// Handing a connection over costs CPU: its events copied into a batch and
// replayed, a record of its closing for the output stage, its session's text
// copied through the relay, the wake-ups, and caches that another core filled.
// On captures of many short connections that cost is large: --threads 2 spent
// 1.2-1.5x the CPU of one thread there, with both cores busy most of the time,
// so the CPU spent was the bound. A connection the reader decodes itself costs
// what it costs one thread. So the reader takes a share of the connections, as
// long as its side (the reader and the file's read-ahead thread) does less than
// its part of the CPU: the process's CPU over the threads that can run at once
// (the cores, at most N decoding threads and the reader). Measured every few
// milliseconds, as connections open. On a machine of many cores its part is
// small: the reader, the serial part, decodes nothing, and every connection goes
// to the decoding threads.
//
// A connection keeps its worker for its whole life, and the worker is looked up
// at each of its events. Connection ids are given in first-packet order, so the
// share is fixed per epoch of 64 consecutive ids, when the first of them opens:
// a connection is the reader's when its place in its epoch is below its epoch's
// share. That costs a byte per 64 connections. The share starts at none:
// connections open at the capture's start, before anything is measured, go to
// the threads (long-lived ones, whose load the scheduler shares out best).
//
// While the reader takes a share, the connections it leaves go to one decoding
// thread fewer than the threads that can run at once (on two cores: to one
// thread). The reader then decodes on a core of its own, and one more decoding
// thread would only take turns with it there: on 1,000,000 short connections with
// --threads 2, the two threads each waited for batches half of the run, and the two
// cores were busy 88 % of the time. Kept to one thread, it and the reader had a core
// each (the cores 97 % busy), and the run took 0.90 of the time. While the reader takes none
// (it is the busy one: reading large messages), every thread decodes: the same
// rule there took 1.10 of the time on the mixed capture. An epoch keeps the rule it
// opened with (a bit of its byte).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace quartet::analyzer {

class FlowSpread {
 public:
  static constexpr unsigned kEpochBits = 6;
  static constexpr unsigned kEpoch = 1u << kEpochBits;
  // How far one measurement moves the share (of kEpoch), and how far it goes: the
  // reader keeps at most half, for it also reads, reassembles and hands over.
  static constexpr unsigned kStep = 4;
  static constexpr unsigned kMaxShare = kEpoch / 2;

  // `threads`: decoding threads; `cores`: the machine's (0: not known, as many as can run: the threads and the reader).
  FlowSpread(size_t threads, unsigned cores)
      : threads_(std::max<size_t>(threads, 1)),
        at_once_(cores ? std::min<uint64_t>(cores, threads_ + 1) : threads_ + 1),
        narrow_(std::clamp<size_t>(at_once_ - 1, 1, threads_)) {}

  // The reader's own worker.
  size_t reader() const { return threads_; }

  // Whether connection `flow` is the first of its epoch to open (steer() first).
  bool starts_epoch(uint64_t flow) const { return (flow >> kEpochBits) >= shares_.size(); }
  // The CPU time the reader's side and the whole process spent since the last call.
  void steer(uint64_t reader_side_ns, uint64_t process_ns) {
    if (fixed_) return;
    if (reader_side_ns * at_once_ < process_ns) share_ = std::min(share_ + kStep, kMaxShare);
    else share_ = share_ > kStep ? share_ - kStep : 0;
  }
  // Connection `flow` opens (in id order, before any lookup of it).
  void open(uint64_t flow) {
    const uint64_t epoch = flow >> kEpochBits;
    if (epoch >= shares_.size())
      shares_.resize(epoch + 1, static_cast<uint8_t>(share_ | (share_ && narrow_ < threads_ ? kNarrow : 0)));
  }
  size_t worker_of(uint64_t flow) const {
    const uint64_t epoch = flow >> kEpochBits;
    const unsigned e = epoch < shares_.size() ? shares_[epoch] : 0;
    if ((flow & (kEpoch - 1)) < (e & ~kNarrow)) return threads_;
    return flow % ((e & kNarrow) ? narrow_ : threads_);
  }

  // Of kEpoch, for the connections that open now.
  unsigned share() const { return share_; }
  // The decoding threads that the connections the reader leaves go to while it takes a share.
  size_t narrow() const { return narrow_; }
  // For tests: this share, whatever is measured (up to all of them), and while it is
  // not none, the rest on the first `narrow` decoding threads (at most all of them).
  void fix_share(unsigned share, size_t narrow) {
    share_ = std::min(share, kEpoch);
    narrow_ = std::clamp<size_t>(narrow, 1, threads_);
    fixed_ = true;
  }

 private:
  static constexpr unsigned kNarrow = 0x80;  // an epoch's bit beside its share (at most kEpoch): the rest on narrow_
  size_t threads_;
  uint64_t at_once_;  // threads that can run at once
  size_t narrow_;     // the decoding threads the rest go to while the reader takes a share
  unsigned share_ = 0;
  bool fixed_ = false;
  std::vector<uint8_t> shares_;  // per epoch of ids, from id 0
};

}  // namespace quartet::analyzer
