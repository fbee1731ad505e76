// TCP reassembly: turns captured segments into ordered byte streams per flow
// and direction and drives a StreamSink (see docs/analyzer-network.md).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include "net/tcp_config.hpp"
#include "net/tcp_segment.hpp"
#include "net/tail_views.hpp"
#include "net/tcp_stream.hpp"
#include "stream_events.hpp"

namespace quartet::analyzer::net {

struct TcpPacket {
  Endpoint src, dst;  // ports included
  TcpSegment seg;
  TimeNs ts = 0;
};

// Addresses (16 bytes) compared as two 64-bit words: std::array's == and < call
// memcmp, and flow keys are compared and ordered for every packet.
struct AddrWords {
  uint64_t w[2];
  explicit AddrWords(const std::array<uint8_t, 16>& a) { std::memcpy(w, a.data(), 16); }
};
inline bool addr_eq(const std::array<uint8_t, 16>& x, const std::array<uint8_t, 16>& y) {
  const AddrWords a(x), b(y);
  return ((a.w[0] ^ b.w[0]) | (a.w[1] ^ b.w[1])) == 0;
}
// memcmp's (lexicographic) order: the words read big-endian.
inline bool addr_less(const std::array<uint8_t, 16>& x, const std::array<uint8_t, 16>& y) {
  const AddrWords a(x), b(y);
  if (a.w[0] != b.w[0]) return __builtin_bswap64(a.w[0]) < __builtin_bswap64(b.w[0]);
  return __builtin_bswap64(a.w[1]) < __builtin_bswap64(b.w[1]);
}

class TcpReassembler {
 public:
  explicit TcpReassembler(StreamSink& sink, TcpConfig config = {});
  ~TcpReassembler();
  TcpReassembler(const TcpReassembler&) = delete;
  TcpReassembler& operator=(const TcpReassembler&) = delete;

  void on_segment(const TcpPacket& p);
  // Advances capture time without a packet of a given flow: expires idle flows,
  // forgets closed ones and resolves held data whose wait has run out.
  void tick(TimeNs now);
  // End of input: every open flow is flushed and closed (EndOfCapture), then the
  // table is emptied.
  void finish();

  const TcpStats& stats() const { return stats_; }
  size_t open_flows() const { return open_lru_.size(); }
  uint64_t buffered_bytes() const { return total_buffered_; }

  // Zeek's conn_state for the flags gathered (exposed for tests).
  static std::string_view zeek_state(const ConnSummary& s);

 private:
  struct Key {
    std::array<uint8_t, 16> a{}, b{};
    uint16_t pa = 0, pb = 0;
    bool v6 = false;
    bool operator==(const Key& o) const {
      return pa == o.pa && pb == o.pb && v6 == o.v6 && addr_eq(a, o.a) && addr_eq(b, o.b);
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.a, k.b, k.pa, k.pb, k.v6);
    }
  };
  struct Flow {
    FlowInfo info;  // its key is make_key(info.client, info.server)
    TcpStream dir[2];
    ConnSummary conn;
    TimeNs last_ts = 0;
    Flow* lru_prev = nullptr;  // in open_lru_
    Flow* lru_next = nullptr;
    bool stalled = false;
    bool quiet = false;  // the sink wants no more of its bytes (StreamSink::on_data): counted only
    bool first_fin_known = false;
    Side first_fin = Side::Client;
    Side last_sender = Side::Client;
    uint64_t buffered() const { return dir[0].buffered + dir[1].buffered; }
  };
  // A closed connection, remembered for closed_linger so that its trailing ACKs and
  // retransmitted FINs do not open a new flow: its key and when it was last seen.
  // 64 bytes, where the Flow it was takes about 0.4 kB: on a capture of many short
  // connections, those closed in the last 10 s were most of the memory, and the
  // cache misses of reaching them about half of the reader thread's time.
  struct ClosedFlow {
    Key key;
    TimeNs last_ts = 0;
    ClosedFlow* lru_prev = nullptr;  // in closed_lru_
    ClosedFlow* lru_next = nullptr;
  };
  static_assert(sizeof(ClosedFlow) <= 64);
  // Where the ClosedFlow records live: blocks of them, each record named by its
  // index, and the forgotten ones' indices reused, so closing a connection allocates
  // nothing (beyond a block per 1024) and a record costs its 64 bytes, without a heap
  // block's header.
  class ClosedPool {
   public:
    static constexpr uint32_t kNone = UINT32_MAX;  // make(): no index left
    uint32_t make() {
      if (!free_.empty()) {
        const uint32_t i = free_.back();
        free_.pop_back();
        at(i) = ClosedFlow{};
        return i;
      }
      if (used_ == blocks_.size() * kBlock) {
        if (used_ >= kNone - kBlock) return kNone;
        blocks_.push_back(std::make_unique<ClosedFlow[]>(kBlock));
      }
      return static_cast<uint32_t>(used_++);
    }
    void give_back(uint32_t i) { free_.push_back(i); }
    ClosedFlow& at(uint32_t i) const { return blocks_[i / kBlock][i % kBlock]; }
    void clear() {
      blocks_.clear();
      free_.clear();
      used_ = 0;
    }

   private:
    static constexpr uint32_t kBlock = 1024;
    std::vector<std::unique_ptr<ClosedFlow[]>> blocks_;
    std::vector<uint32_t> free_;
    size_t used_ = 0;
  };
  // A slot of the closed-connection table: the record's index (low half) and 32 bits
  // of its key's hash (high half), so that growing the table rehashes from the slots
  // alone. With a pointer per slot, every rehash read every record's key, a cache miss
  // each: on 1,000,000 short connections, 4 % of a one-thread run.
  using ClosedRef = uint64_t;
  static uint32_t closed_index(ClosedRef r) { return static_cast<uint32_t>(r); }
  static uint32_t hash_bits(size_t key_hash) { return static_cast<uint32_t>(key_hash >> 32); }
  static uint32_t hash_bits(const Key& k) { return hash_bits(absl::Hash<Key>{}(k)); }
  static ClosedRef closed_ref(uint32_t bits, uint32_t index) { return ClosedRef{bits} << 32 | index; }
  // The table places by the hash's bits 7 and up (and the low 7 as a tag): spread
  // the 32 bits over the whole word.
  static size_t spread(uint32_t bits) { return bits * uint64_t{0x9e3779b97f4a7c15}; }
  // What a look-up of the closed table carries: the key and its 32 hash bits, so that
  // a slot whose bits differ is passed over without reading its record (a cache
  // miss on a table of many closed connections).
  struct ClosedProbe {
    const Key& key;
    uint32_t bits;
  };
  struct ClosedHash {
    using is_transparent = void;
    size_t operator()(ClosedRef r) const { return spread(static_cast<uint32_t>(r >> 32)); }
    size_t operator()(const ClosedProbe& p) const { return spread(p.bits); }
  };
  struct ClosedEq {
    using is_transparent = void;
    const ClosedPool* pool = nullptr;
    // Two slots are equal when they name the same record (a key is in the table at most once).
    bool operator()(ClosedRef a, ClosedRef b) const { return closed_index(a) == closed_index(b); }
    bool operator()(const ClosedProbe& p, ClosedRef r) const {
      return static_cast<uint32_t>(r >> 32) == p.bits && pool->at(closed_index(r)).key == p.key;
    }
    bool operator()(ClosedRef r, const ClosedProbe& p) const { return (*this)(p, r); }
  };
  // Least recently active first; linked through the entries themselves (a std::list
  // node per flow would cost 32 bytes more per idle connection).
  template <typename T>
  class LruList {
   public:
    bool empty() const { return head_ == nullptr; }
    void clear() {
      head_ = tail_ = nullptr;
      size_ = 0;
    }
    size_t size() const { return size_; }
    T* front() const { return head_; }
    void push_back(T* f) {
      f->lru_prev = tail_;
      f->lru_next = nullptr;
      (tail_ ? tail_->lru_next : head_) = f;
      tail_ = f;
      ++size_;
    }
    void erase(T* f) {
      (f->lru_prev ? f->lru_prev->lru_next : head_) = f->lru_next;
      (f->lru_next ? f->lru_next->lru_prev : tail_) = f->lru_prev;
      f->lru_prev = f->lru_next = nullptr;
      --size_;
    }
    void move_to_back(T* f) {
      if (tail_ == f) return;
      erase(f);
      push_back(f);
    }

   private:
    T* head_ = nullptr;
    T* tail_ = nullptr;
    size_t size_ = 0;
  };
  // The flow table holds the flows themselves, looked up by their key: one pointer
  // per slot (a Key and a pointer per slot would be 48 bytes, twice over at the
  // table's load factor), the key computed from the flow's endpoints.
  struct FlowHash {
    using is_transparent = void;
    size_t operator()(const Key& k) const { return absl::Hash<Key>{}(k); }
    size_t operator()(const std::unique_ptr<Flow>& f) const { return (*this)(key_of(*f)); }
  };
  struct FlowEq {
    using is_transparent = void;
    // A (canonical) key against a flow without building the flow's key: its two
    // endpoints in either order, ports first. Every probe of a look-up compares.
    static bool same(const Key& k, const Flow& f) {
      const Endpoint& c = f.info.client;
      const Endpoint& s = f.info.server;
      if (k.v6 != c.v6) return false;
      return (k.pa == c.port && k.pb == s.port && addr_eq(k.a, c.addr) && addr_eq(k.b, s.addr)) ||
             (k.pa == s.port && k.pb == c.port && addr_eq(k.a, s.addr) && addr_eq(k.b, c.addr));
    }
    bool operator()(const Key& a, const Key& b) const { return a == b; }
    bool operator()(const Key& k, const std::unique_ptr<Flow>& f) const { return same(k, *f); }
    bool operator()(const std::unique_ptr<Flow>& f, const Key& k) const { return same(k, *f); }
    bool operator()(const std::unique_ptr<Flow>& a, const std::unique_ptr<Flow>& b) const {
      return a == b || same(key_of(*a), *b);
    }
  };
  enum class Force : uint8_t { None, Buffered, All };

  static Key make_key(const Endpoint& x, const Endpoint& y);
  static Key key_of(const Flow& f) { return make_key(f.info.client, f.info.server); }
  Flow* create_flow(const TcpPacket& p);
  void forget_closed(ClosedFlow* c);
  void add_data(Flow* f, Side side, int64_t at, Bytes data, uint64_t missing, TimeNs ts, bool has_need, uint64_t need,
                bool may_flush);
  void advance(Flow* f, Force force);
  bool drain(Flow* f, Side side, Force force);
  void deliver_front(Flow* f, Side side);
  void deliver_fin(Flow* f, Side side);
  void report_overlap(Flow* f, Side side, uint64_t at, TimeNs ts);
  void hand_over(Flow* f, Side side, Bytes data, TimeNs ts);  // StreamSink::on_data, unless quiet
  void retain(TcpStream& d, Bytes delivered_now, bool copy);  // copy: false for a quiet flow
  void release_one(Flow* f, Side side);
  void emit_gap(Flow* f, Side side, uint64_t n, TimeNs ts);
  bool may_gap(TcpStream& d, Force force);
  void flush_for_memory(Flow* f, bool total_limit);
  // Ends the flow and frees it; with `linger`, a ClosedFlow takes its place.
  void close(Flow* f, CloseReason why, Side by, TimeNs ts, bool linger = true);
  void update_stalled(Flow* f);
  void enforce_total_limit();

  StreamSink& sink_;
  TcpConfig cfg_;
  TcpStats stats_;
  // Open addressing (Abseil's SwissTable): one probe into a flat array per
  // packet instead of a node walk; Flow itself stays put (owned by pointer).
  absl::flat_hash_set<std::unique_ptr<Flow>, FlowHash, FlowEq> flows_;
  ClosedPool closed_pool_;
  absl::flat_hash_set<ClosedRef, ClosedHash, ClosedEq> closed_{0, ClosedHash{},
                                                               ClosedEq{&closed_pool_}};  // no key in both tables
  LruList<Flow> open_lru_;                                                                // least recently active first
  LruList<ClosedFlow> closed_lru_;
  // Flows with held or buffered data, in first-packet order: the stall check and the
  // total limit walk them, and the order they are handled in (whose holes become gaps
  // first, which of two flows holding as much is flushed) must follow from the capture
  // alone. A set of pointers went by heap addresses, which differ from run to run.
  struct ById {
    bool operator()(const Flow* a, const Flow* b) const { return a->info.id < b->info.id; }
  };
  absl::btree_set<Flow*, ById> stalled_;
  uint64_t next_id_ = 1;
  uint64_t total_buffered_ = 0;
  uint64_t tail_bytes_ = 0;   // retained tails of all flows
  TailViews tail_views_;      // delivered bytes the retained tails have not copied yet
  TimeNs clock_ = INT64_MIN;  // latest capture time seen
  TimeNs next_stall_check_ = INT64_MIN;
};

}  // namespace quartet::analyzer::net
