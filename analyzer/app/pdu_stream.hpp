// One direction of a connection cut into PDUs by the protocol's framer.
//
// Zero-copy where it can be: PDUs lying whole inside one chunk are handed out as
// views of that chunk; only a PDU split across chunks is copied, into a buffer
// bounded by the framer's declared length (at most kMaxPduBytes) or, while the
// length is unknown, by kMaxUnknownLength.
//
// After an Invalid frame or a gap it resynchronises where the protocol's resync
// hook says (Protocol::resync, the same hook the plugin uses): at the next line start
// the heuristic accepts for a text protocol, at the next byte where a header
// validates for COPS. A protocol without the hook (SP: length-prefixed messages,
// nothing to look for) stops decoding the direction.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/protocol.hpp"

namespace quartet::analyzer {

// What the PduStreams of a run hold of PDUs split across segments, and its bound:
// without one, connections each sending most of a large message at once (or declaring
// 16 MiB and sending nearly all of it) would take their sum. A stream whose PDU would
// take the total past `limit` gives that PDU up (a warning; the rest of it is skipped
// when its length is known, else the stream resynchronises). One budget is shared by
// the decoding threads of --threads (it is touched only when a buffer's size changes).
struct PduBudget {
  static constexpr size_t kDefaultLimit = size_t{256} << 20;
  size_t limit = kDefaultLimit;
  std::atomic<size_t> held{0};  // the streams' buffers' capacity

  // Room for a stream counted `counted` to grow to at least `need` bytes, `want` if the
  // limit allows: what it may now take (counted as taken), or 0 when even `need` does not fit.
  size_t grant(size_t counted, size_t need, size_t want) {
    size_t cur = held.load(std::memory_order_relaxed), take = 0;
    do {
      const size_t others = cur - counted;
      if (others > limit || limit - others < need) return 0;
      take = std::min(want, limit - others);
    } while (!held.compare_exchange_weak(cur, cur - counted + take, std::memory_order_relaxed));
    return take;
  }
  // A stream's count moves from `from` to `to` (its buffer's real size, or given back);
  // a decrease wraps around, as unsigned arithmetic does.
  void adjust(size_t from, size_t to) { held.fetch_add(to - from, std::memory_order_relaxed); }
};

class PduHandler {
 public:
  virtual ~PduHandler() = default;
  // A complete PDU; `pdu` is valid during the call only. Returning false stops
  // the stream (a TLS hand-off): the bytes after this PDU are not framed.
  virtual bool on_pdu(Bytes pdu, TimeNs ts) = 0;
  virtual void on_stream_warning(std::string text, TimeNs ts) = 0;
};

class PduStream {
 public:
  // Bytes buffered while a framer cannot yet say how long the PDU is.
  static constexpr size_t kMaxUnknownLength = 1u << 20;
  // Bytes looked at after a gap before a binary protocol gives up.
  static constexpr size_t kMaxProbeBytes = 4096;
  // A declared length is reserved at once only when this much of the PDU is here;
  // and the buffer's size that is not given back between PDUs (memory_held()).
  static constexpr size_t kTrustedLengthBytes = 8 * 1024;
  static constexpr size_t kKeptBufferBytes = 64 * 1024;

  explicit PduStream(const Protocol& p, PduBudget* budget = nullptr) : p_(&p), budget_(budget) {}
  PduStream(PduStream&&) noexcept = default;  // the moved-from stream counts nothing (Counted)
  PduStream& operator=(PduStream&&) = delete;
  ~PduStream() {
    // Tested inline: the stream made on the stack for each chunk holds nothing.
    if (counted_.bytes) release_budget();
  }

  // Feeds the next in-order bytes. Returns the bytes of `data` left unframed
  // because a handler stopped the stream (empty otherwise); the bytes of earlier
  // chunks still buffered then are in take_buffered().
  Bytes feed(Bytes data, TimeNs ts, PduHandler& h);
  // Bytes were lost before the next feed(): drop any partial PDU and resynchronise.
  void gap(TimeNs ts, PduHandler& h);
  std::vector<std::byte> take_buffered();
  // The warning for a PDU begun and not finished when the connection ends (the
  // peer stopped, or the capture did, or a length field lies), `ended_by` saying
  // how: empty when the stream holds none (between PDUs, resynchronising, stopped).
  std::string unfinished_pdu(std::string_view ended_by) const;

  bool stopped() const { return mode_ == Mode::Stopped || mode_ == Mode::Handed; }
  size_t buffered() const { return buf_.size() - start_; }
  // Between whole PDUs, holding nothing: the same as a new PduStream.
  bool at_rest() const { return mode_ == Mode::Frame && buffered() == 0; }
  // The buffer's allocation. A declared length is reserved only once
  // kTrustedLengthBytes of the PDU have arrived (a length field that lies, or a peer
  // that stops, costs about what was sent), and beyond kKeptBufferBytes the buffer is
  // given back once its PDU is decoded: an open connection that once carried a 16 MiB
  // message does not keep 16 MiB for the rest of its life.
  size_t memory_held() const { return buf_.capacity(); }

 private:
  // Skip: the rest of a PDU given up for the budget (skip_ bytes) is passed over.
  enum class Mode : uint8_t { Frame, Resync, Stopped, Handed, Skip };
  Bytes frame_chunk(Bytes data, TimeNs ts, PduHandler& h);
  Bytes frame_buffered(Bytes data, TimeNs ts, PduHandler& h);
  Bytes resync(Bytes data, TimeNs ts, PduHandler& h);
  void invalid(std::string_view reason, uint64_t declared, TimeNs ts, PduHandler& h);
  void resync_or_stop(std::string text, TimeNs ts, PduHandler& h);
  void compact();
  void clear_buffer();
  // False, with nothing appended, when the buffer would take the budget past its limit.
  [[nodiscard]] bool append(Bytes data);
  // The PDU being buffered (`arrived` bytes of it so far) is given up for the budget.
  void give_up(uint64_t arrived, TimeNs ts, PduHandler& h);
  void recount();  // the budget told the buffer's capacity now
  void release_budget();

  const Protocol* p_;
  PduBudget* budget_ = nullptr;
  // What budget_->held counts of this stream. Moved with the stream, so that only one of
  // the two gives it back (a vector moved from is empty).
  struct Counted {
    size_t bytes = 0;
    Counted() = default;
    Counted(Counted&& o) noexcept : bytes(std::exchange(o.bytes, 0)) {}
    Counted& operator=(Counted&&) = delete;
  };
  Counted counted_;
  Mode mode_ = Mode::Frame;
  std::vector<std::byte> buf_;
  size_t start_ = 0;      // first unconsumed byte of buf_
  uint64_t need_ = 0;     // total length of the buffered PDU when the framer knows it
  size_t from_ = 0;       // Resync: buffered bytes before this offset are no PDU start
  uint64_t skipped_ = 0;  // Resync: bytes thrown away so far
  uint64_t skip_ = 0;     // Skip: bytes of the given-up PDU still to pass over
  bool fresh_ = false;    // buffered bytes the current mode has not examined yet
};

}  // namespace quartet::analyzer
