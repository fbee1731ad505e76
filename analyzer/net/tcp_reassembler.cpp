#include "net/tcp_reassembler.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace quartet::analyzer::net {
namespace {

// The flow table's look-up with the key's hash computed beforehand (it also serves
// the closed table). Newer Abseil (Debian sid's 20260526) deprecates this overload
// and hashes again inside it; bookworm's uses the hash given. Same result either way.
template <typename Table, typename Key>
auto find_hashed(Table& table, const Key& key, size_t hash) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  return table.find(key, hash);
#pragma GCC diagnostic pop
}

constexpr TimeNs kStallCheckInterval = kSecond / 4;
constexpr uint32_t kMaxOverlapWarnings = 10;           // per direction
constexpr uint64_t kMinTail = TcpStream::kInlineTail;  // smallest retained-tail ring (an idle flow's: in place)

Side other(Side s) { return s == Side::Client ? Side::Server : Side::Client; }
size_t idx(Side s) { return s == Side::Client ? 0 : 1; }

bool same_endpoint(const Endpoint& x, const Endpoint& y) {
  return x.v6 == y.v6 && x.port == y.port && addr_eq(x.addr, y.addr);
}

// Who serves: an explicitly configured port, then a well-known port (< 1024),
// then the lower port.
int server_rank(uint16_t port, const std::vector<uint16_t>& server_ports) {
  if (std::find(server_ports.begin(), server_ports.end(), port) != server_ports.end()) return 2;
  return port < 1024 ? 1 : 0;
}

}  // namespace

TcpReassembler::TcpReassembler(StreamSink& sink, TcpConfig config) : sink_(sink), cfg_(std::move(config)) {
  cfg_.flow_buffer_limit = std::max<size_t>(cfg_.flow_buffer_limit, 64 * 1024);
  cfg_.total_buffer_limit = std::max(cfg_.total_buffer_limit, cfg_.flow_buffer_limit);
  cfg_.max_flows = std::max<size_t>(cfg_.max_flows, 1);
  cfg_.retained_tail = std::min<size_t>(cfg_.retained_tail, UINT32_MAX);  // TcpStream::tail_cap
}

TcpReassembler::~TcpReassembler() = default;

TcpReassembler::Key TcpReassembler::make_key(const Endpoint& x, const Endpoint& y) {
  Key k;
  k.v6 = x.v6;
  const bool x_first = addr_less(x.addr, y.addr) || (addr_eq(x.addr, y.addr) && x.port < y.port);
  const Endpoint& lo = x_first ? x : y;
  const Endpoint& hi = x_first ? y : x;
  k.a = lo.addr;
  k.pa = lo.port;
  k.b = hi.addr;
  k.pb = hi.port;
  return k;
}

std::string_view TcpReassembler::zeek_state(const ConnSummary& s) {
  const size_t c = 0, r = 1;
  if (s.syn_seen && s.syn_ack_seen) {
    if (s.rst[c]) return "RSTO";
    if (s.rst[r]) return "RSTR";
    if (s.fin[c] && s.fin[r]) return "SF";
    if (s.fin[c]) return "S2";
    if (s.fin[r]) return "S3";
    return "S1";
  }
  if (s.syn_seen) {
    if (s.rst[c]) return "RSTOS0";
    if (s.rst[r]) return "REJ";
    if (s.fin[c]) return "SH";
    return "S0";
  }
  if (s.syn_ack_seen) {
    if (s.rst[r]) return "RSTRH";
    if (s.fin[r]) return "SHR";
  }
  return "OTH";
}

TcpReassembler::Flow* TcpReassembler::create_flow(const TcpPacket& p) {
  // max_flows bounds the whole table: closed flows lingering for trailing packets
  // are forgotten first (1,000,000 SYNs, each closed at the limit, would otherwise
  // all linger and hold memory the limit was meant to bound).
  while (!closed_lru_.empty() && open_lru_.size() + closed_lru_.size() >= cfg_.max_flows)
    forget_closed(closed_lru_.front());
  if (open_lru_.size() >= cfg_.max_flows) {
    Flow* victim = open_lru_.front();
    ++stats_.table_full_closed;
    close(victim, CloseReason::MemoryLimit, victim->last_sender, victim->last_ts);
  }
  auto owned = std::make_unique<Flow>();
  Flow* f = owned.get();
  f->info.id = next_id_++;
  f->info.first_ts = p.ts;
  const bool syn = p.seg.has(kSyn), ack = p.seg.has(kAck);
  bool src_is_client;
  if (syn && !ack) {
    src_is_client = true;
    f->info.roles = RoleSource::Handshake;
  } else if (syn && ack) {
    src_is_client = false;
    f->info.roles = RoleSource::SynAck;
  } else {
    f->info.roles = RoleSource::PortGuess;
    const int rs = server_rank(p.src.port, cfg_.server_ports);
    const int rd = server_rank(p.dst.port, cfg_.server_ports);
    if (rs != rd) src_is_client = rd > rs;
    else if (p.src.port != p.dst.port) src_is_client = p.dst.port < p.src.port;
    else src_is_client = true;
  }
  f->info.client = src_is_client ? p.src : p.dst;
  f->info.server = src_is_client ? p.dst : p.src;
  f->info.handshake_seen = syn && !ack;  // refined in ConnSummary at close
  f->last_ts = p.ts;
  open_lru_.push_back(f);
  flows_.insert(std::move(owned));
  ++stats_.flows;
  stats_.max_open_flows = std::max<uint64_t>(stats_.max_open_flows, open_lru_.size());
  sink_.on_open(f->info);
  return f;
}

void TcpReassembler::forget_closed(ClosedFlow* c) {
  closed_lru_.erase(c);
  if (auto slot = closed_.find(ClosedProbe{c->key, hash_bits(c->key)}); slot != closed_.end()) {
    closed_pool_.give_back(closed_index(*slot));
    closed_.erase(slot);
  }
}

void TcpReassembler::on_segment(const TcpPacket& p) {
  ++stats_.segments;
  clock_ = std::max(clock_, p.ts);
  const TcpSegment& s = p.seg;
  const bool syn = s.has(kSyn), ack = s.has(kAck), fin = s.has(kFin), rst = s.has(kRst);
  const Key key = make_key(p.src, p.dst);
  const size_t hash = FlowHash{}(key);  // hashed once for both tables
  auto found = find_hashed(flows_, key, hash);
  Flow* f = found == flows_.end() ? nullptr : found->get();
  if (!f && !closed_.empty()) {
    if (auto c = closed_.find(ClosedProbe{key, hash_bits(hash)}); c != closed_.end()) {
      ClosedFlow* closed = &closed_pool_.at(closed_index(*c));
      if (!syn || ack) {
        ++stats_.packets_after_close;
        closed->last_ts = p.ts;
        closed_lru_.move_to_back(closed);
        return;
      }
      forget_closed(closed);  // the 4-tuple is reused by a new connection
    }
  }
  if (f && syn && !ack) {
    // A SYN with another initial sequence number on an open flow: the ports
    // were reused by a new connection whose predecessor's end was not captured.
    const Side s_side = same_endpoint(p.src, f->info.client) ? Side::Client : Side::Server;
    const TcpStream& d = f->dir[idx(s_side)];
    // (A direction started from the SYN+ACK's ACK already has base ISN + 1: the same connection.)
    if (d.started && d.base != s.seq + 1) {
      sink_.on_flow_warning(f->info.id, s_side, "new connection (SYN) on the same ports: flow closed", p.ts);
      close(f, CloseReason::Idle, s_side, f->last_ts, false);
      f = nullptr;
    }
  }
  if (!f) f = create_flow(p);
  f->last_ts = std::max(f->last_ts, p.ts);
  open_lru_.move_to_back(f);

  const Side side = same_endpoint(p.src, f->info.client) ? Side::Client : Side::Server;
  f->last_sender = side;
  TcpStream& d = f->dir[idx(side)];
  TcpStream& peer = f->dir[idx(other(side))];
  ++f->conn.packets[idx(side)];

  if (syn) {
    if (!ack && side == Side::Client) f->conn.syn_seen = true;
    if (ack && side == Side::Server) f->conn.syn_ack_seen = true;
    if (!d.started) d.start(s.seq + 1);
    if (d.base == s.seq + 1) d.syn = true;
    // A SYN+ACK reveals the client's ISN + 1 even when its SYN was not captured.
    if (ack && !peer.started) peer.start(s.ack);
  } else if (!d.started) {
    d.start(s.seq);
    if (!f->conn.syn_seen && !f->conn.syn_ack_seen) f->conn.midstream = true;
  }

  bool has_need = false;
  uint64_t need = 0;
  if (ack && peer.started) {
    const int64_t a = peer.offset(s.ack);
    if (a >= 0 && static_cast<uint64_t>(a) <= peer.next + cfg_.max_seq_jump) {
      if (static_cast<uint64_t>(a) > peer.acked) peer.acked = static_cast<uint64_t>(a);
      has_need = static_cast<uint64_t>(a) > peer.delivered_end();
      need = static_cast<uint64_t>(a);
    }
    if (side == Side::Client && !syn && f->conn.syn_seen && f->conn.syn_ack_seen) f->conn.handshake_seen = true;
  }

  const int64_t at = d.offset(s.seq + (syn ? 1u : 0u));
  const uint64_t len = s.payload.size() + uint64_t{s.missing};
  if (len > 0) {
    if (at > static_cast<int64_t>(d.next + cfg_.max_seq_jump)) {
      ++stats_.out_of_window;
      if (!d.out_of_window_warned)  // once per direction: a desynchronised flow would repeat it per segment
        sink_.on_flow_warning(
            f->info.id, side,
            "segment far beyond the stream (seq " + std::to_string(s.seq) + ") ignored; further ones are only counted",
            p.ts);
      d.out_of_window_warned = true;
    } else {
      add_data(f, side, at, s.payload, s.missing, p.ts, has_need, need, true);
    }
  }
  if (fin && !d.fin_seen) {
    const int64_t fin_at = at + static_cast<int64_t>(len);
    // Buffered data beyond this FIN was there first: the FIN is ignored then.
    const bool data_beyond =
        !d.chunks.empty() && static_cast<int64_t>(d.chunks.rbegin()->first + d.chunks.rbegin()->second.size()) > fin_at;
    if (fin_at >= static_cast<int64_t>(d.next) && !data_beyond &&
        fin_at <= static_cast<int64_t>(d.next + cfg_.max_seq_jump)) {
      d.fin_seen = true;
      d.fin_at = static_cast<uint64_t>(fin_at);
      d.fin_has_need = has_need;
      d.fin_need = need;
      d.fin_ts = p.ts;
    }
  }
  if (rst) {
    d.rst = true;
    f->conn.rst[idx(side)] = true;
    close(f, CloseReason::Reset, side, p.ts);
    return;
  }
  advance(f, Force::None);
  if (f->dir[0].fin_done && f->dir[1].fin_done) {
    close(f, CloseReason::Fin, f->first_fin, p.ts);
    return;
  }
  update_stalled(f);
  if (total_buffered_ > cfg_.total_buffer_limit) enforce_total_limit();
  if (clock_ >= next_stall_check_) tick(clock_);
}

void TcpReassembler::add_data(Flow* f, Side side, int64_t at, Bytes data, uint64_t missing, TimeNs ts, bool has_need,
                              uint64_t need, bool may_flush) {
  TcpStream& d = f->dir[idx(side)];
  TcpStream& peer = f->dir[idx(other(side))];
  uint64_t len = data.size() + missing;
  if (at < static_cast<int64_t>(d.next) && at >= 0 && !f->quiet) {
    // Partly or wholly delivered already: compare with the retained tail (a quiet
    // flow's is not kept up to date: nothing of it is shown).
    tail_views_.settle(d);
    const int64_t bad = d.differs_from_tail(static_cast<uint64_t>(at), data);
    if (bad >= 0) report_overlap(f, side, static_cast<uint64_t>(bad), ts);
  }
  if (at + static_cast<int64_t>(len) <= static_cast<int64_t>(d.next)) {
    ++stats_.retransmitted;
    return;
  }
  if (d.fin_seen && at + static_cast<int64_t>(len) > static_cast<int64_t>(d.fin_at)) {
    // Nothing follows a FIN: bytes beyond it are dropped (reported once).
    if (at >= static_cast<int64_t>(d.fin_at)) {
      if (!d.after_fin_warned)
        sink_.on_flow_warning(f->info.id, side,
                              "data after FIN (seq " + std::to_string(d.seq_at(d.fin_at)) + ") ignored", ts);
      d.after_fin_warned = true;
      return;
    }
    const uint64_t keep = d.fin_at - static_cast<uint64_t>(at);
    if (keep < data.size()) {
      data = data.first(keep);
      missing = 0;
    } else {
      missing = keep - data.size();
    }
    len = data.size() + missing;
  }
  if (at < static_cast<int64_t>(d.next)) {  // partly old: keep the new tail
    const uint64_t skip = d.next - static_cast<uint64_t>(at);
    const uint64_t from_data = std::min<uint64_t>(skip, data.size());
    data = data.subspan(from_data);
    missing -= skip - from_data;
    at = static_cast<int64_t>(d.next);
    len = data.size() + missing;
  }
  const auto start = static_cast<uint64_t>(at);
  const bool peer_ok = !has_need || !peer.started || need <= peer.delivered_end();
  if (start == d.next && d.chunks.empty() && peer_ok) {
    // In order: straight from the packet buffer.
    if (!data.empty()) {
      d.next += data.size();
      f->conn.bytes[idx(side)] += data.size();
      d.blocked_since = -1;
      retain(d, data, !f->quiet);
      hand_over(f, side, data, ts);
    }
    if (missing > 0) emit_gap(f, side, missing, ts);
    return;
  }
  if (f->buffered() + len > cfg_.flow_buffer_limit && may_flush) {
    flush_for_memory(f, false);
    add_data(f, side, at, data, missing, ts, has_need, need, false);
    return;
  }
  if (!peer_ok && start == d.next && d.chunks.empty()) ++stats_.causal_holds;
  else ++stats_.out_of_order;
  uint64_t added = 0;
  if (!data.empty()) {
    const TcpStream::Insert r = d.insert(start, data, 0, ts, has_need, need);
    added += r.added;
    if (r.differs) report_overlap(f, side, r.differ_at, ts);
  }
  if (missing > 0) added += d.insert(start + data.size(), {}, missing, ts, has_need, need).added;
  total_buffered_ += added;
}

void TcpReassembler::report_overlap(Flow* f, Side side, uint64_t at, TimeNs ts) {
  TcpStream& d = f->dir[idx(side)];
  ++stats_.overlaps_differing;
  // Each one can matter (evasion attempts), but a broken capture must not flood the timeline.
  if (d.overlap_warnings <= kMaxOverlapWarnings) ++d.overlap_warnings;  // (saturates: 8 bits)
  if (d.overlap_warnings <= kMaxOverlapWarnings)
    sink_.on_flow_warning(f->info.id, side,
                          "overlap with different bytes at seq " + std::to_string(d.seq_at(at)) + " (first kept)" +
                              (d.overlap_warnings == kMaxOverlapWarnings ? "; further ones are only counted" : ""),
                          ts);
}

void TcpReassembler::hand_over(Flow* f, Side side, Bytes data, TimeNs ts) {
  // A quiet flow's bytes still come with a timestamp that is not a whole
  // microsecond: the sink may still need the timestamp (StreamSink::on_data).
  if (f->quiet && ts % 1000 == 0) {
    stats_.quiet_bytes += data.size();
    return;
  }
  if (!sink_.on_data(f->info.id, side, data, ts)) f->quiet = true;
}

void TcpReassembler::retain(TcpStream& d, Bytes delivered_now, bool copy) {
  if (cfg_.retained_tail == 0) return;
  if (d.tail_cap == 0) d.tail_from = d.next - delivered_now.size();
  // The ring grows with what was delivered (up to retained_tail), so a quiet
  // connection keeps a few dozen bytes instead of the full tail: idle flows stay small.
  const uint64_t want = std::min<uint64_t>(cfg_.retained_tail, d.next - d.tail_from);
  if (want > d.tail_cap) {
    tail_views_.settle(d);
    const size_t old_cap = d.tail_cap;
    const size_t cap = std::min<size_t>(cfg_.retained_tail, std::bit_ceil(std::max<uint64_t>(want, kMinTail)));
    if (tail_bytes_ + (cap - old_cap) <= cfg_.total_retained_tail) {
      const uint64_t before = d.next - delivered_now.size();  // the old ring ends here
      const uint64_t lo = std::max(d.tail_from, before > old_cap ? before - old_cap : 0);
      d.grow_tail(cap, lo, before);
      if (old_cap) d.tail_from = lo;
      tail_bytes_ += cap - old_cap;
    } else if (old_cap == 0) {
      return;  // over the total: this flow keeps none
    }
  }
  // A quiet flow's ring grows as any other's (the memory budget it takes must not
  // depend on when its sink said so: with --threads, that is a race), but its bytes
  // are not copied into it.
  if (copy && tail_views_.keep(d, delivered_now)) return;
  tail_views_.settle(d);  // the ring, as if every byte before had been copied at once
  if (copy) d.remember(delivered_now);
}

bool TcpReassembler::may_gap(TcpStream& d, Force force) {
  if (force != Force::None) return true;
  if (d.blocked_since < 0) d.blocked_since = clock_;
  const TimeNs waited = clock_ - d.blocked_since;
  if (d.acked > d.next && waited >= cfg_.ack_gap_wait) return true;
  return waited >= cfg_.hole_timeout;
}

void TcpReassembler::emit_gap(Flow* f, Side side, uint64_t n, TimeNs ts) {
  TcpStream& d = f->dir[idx(side)];
  tail_views_.settle(d);
  d.next += n;
  d.blocked_since = -1;
  d.tail_from = d.next;  // the retained tail does not cover the lost bytes
  f->conn.missing[idx(side)] += n;
  ++stats_.gaps;
  stats_.missing_bytes += n;
  sink_.on_gap(f->info.id, side, n, ts);
}

void TcpReassembler::deliver_front(Flow* f, Side side) {
  TcpStream& d = f->dir[idx(side)];
  auto node = d.chunks.extract(d.chunks.begin());
  TcpChunk& c = node.mapped();
  const uint64_t n = c.size();
  d.buffered -= n;
  total_buffered_ -= n;
  if (c.lost > 0) {
    emit_gap(f, side, n, c.ts);
    return;
  }
  d.next += n;
  d.blocked_since = -1;
  f->conn.bytes[idx(side)] += n;
  retain(d, Bytes(c.data.data(), c.data.size()), !f->quiet);
  hand_over(f, side, Bytes(c.data.data(), c.data.size()), c.ts);
}

// Delivers what is deliverable in one direction; true when anything happened.
bool TcpReassembler::drain(Flow* f, Side side, Force force) {
  TcpStream& d = f->dir[idx(side)];
  const TcpStream& peer = f->dir[idx(other(side))];
  bool any = false;
  for (;;) {
    if (!d.chunks.empty()) {
      auto it = d.chunks.begin();
      if (it->first > d.next) {  // a hole before buffered data
        if (!may_gap(d, force)) break;
        emit_gap(f, side, it->first - d.next, it->second.ts);
        any = true;
        continue;
      }
      const TcpChunk& c = it->second;
      if (c.has_need && peer.started && c.need > peer.delivered_end()) break;
      deliver_front(f, side);
      any = true;
      continue;
    }
    // Nothing buffered: bytes acknowledged by the peer or before a FIN are missing.
    if (force != Force::Buffered && d.known_end() > d.next) {
      if (!may_gap(d, force)) break;
      emit_gap(f, side, d.known_end() - d.next, clock_);
      any = true;
      continue;
    }
    if (d.fin_due()) {
      if (d.fin_has_need && peer.started && d.fin_need > peer.delivered_end()) break;
      deliver_fin(f, side);
      any = true;
    }
    break;
  }
  return any;
}

void TcpReassembler::deliver_fin(Flow* f, Side side) {
  TcpStream& d = f->dir[idx(side)];
  d.fin_done = true;
  f->conn.fin[idx(side)] = true;
  if (!f->first_fin_known) {
    f->first_fin_known = true;
    f->first_fin = side;
  }
  sink_.on_fin(f->info.id, side, d.fin_ts);
}

// True when the next thing `d` delivers (a segment or its FIN) waits for the peer.
static bool waits_for_peer(const TcpStream& d) {
  if (!d.chunks.empty()) return d.chunks.begin()->first == d.next;
  return d.fin_due();
}

static TimeNs wait_ts(const TcpStream& d) { return d.chunks.empty() ? INT64_MAX : d.chunks.begin()->second.ts; }

void TcpReassembler::release_one(Flow* f, Side side) {
  TcpStream& d = f->dir[idx(side)];
  if (!d.chunks.empty()) deliver_front(f, side);
  else deliver_fin(f, side);
}

void TcpReassembler::advance(Flow* f, Force force) {
  // Whether drain() would find nothing to deliver in `d`, and so do nothing: the usual
  // case, every segment delivered as it came. Tested here, inline, before a call that
  // saves its registers first (on short connections, 40 % of drain's instructions).
  const auto nothing_to_drain = [force](const TcpStream& d) {
    return d.chunks.empty() && (force == Force::Buffered || d.known_end() <= d.next) && !d.fin_due();
  };
  for (;;) {
    const bool a = !nothing_to_drain(f->dir[0]) && drain(f, Side::Client, force);
    const bool b = !nothing_to_drain(f->dir[1]) && drain(f, Side::Server, force);
    if (a || b) continue;
    // Segments wait for acknowledged bytes of the other side. Normally that
    // side delivers them (or declares them lost) later. Two sides waiting for
    // each other happens only with crafted or broken traffic, and when forced
    // the awaited bytes may never come: then the older segment goes first.
    TcpStream& c = f->dir[0];
    TcpStream& s = f->dir[1];
    const bool c_waits = waits_for_peer(c);
    const bool s_waits = waits_for_peer(s);
    if (c_waits && s_waits) release_one(f, wait_ts(c) <= wait_ts(s) ? Side::Client : Side::Server);
    else if (force != Force::None && (c_waits || s_waits)) release_one(f, c_waits ? Side::Client : Side::Server);
    else return;
  }
}

void TcpReassembler::flush_for_memory(Flow* f, bool total_limit) {
  const Side side = f->dir[0].buffered >= f->dir[1].buffered ? Side::Client : Side::Server;
  const uint64_t held = f->buffered();
  if (total_limit) ++stats_.total_limit_flushes;
  else ++stats_.flow_limit_flushes;
  const std::string text = std::string(total_limit ? "total" : "per-flow") + " reassembly buffer limit of " +
                           std::to_string(total_limit ? cfg_.total_buffer_limit : cfg_.flow_buffer_limit) +
                           " bytes reached: " + std::to_string(held) +
                           " buffered bytes delivered, holes before them reported as gaps";
  sink_.on_flow_warning(f->info.id, side, text, clock_);
  advance(f, Force::Buffered);
  advance(f, Force::None);
  update_stalled(f);
}

void TcpReassembler::enforce_total_limit() {
  while (total_buffered_ > cfg_.total_buffer_limit && !stalled_.empty()) {
    Flow* biggest = nullptr;  // of two holding as much, the first opened
    for (Flow* f : stalled_)
      if (!biggest || f->buffered() > biggest->buffered()) biggest = f;
    if (!biggest || biggest->buffered() == 0) return;
    flush_for_memory(biggest, true);
  }
}

void TcpReassembler::update_stalled(Flow* f) {
  bool stalled = false;
  for (const TcpStream& d : f->dir)
    if (!d.chunks.empty() || d.known_end() > d.next || (d.fin_seen && !d.fin_done)) stalled = true;
  if (stalled == f->stalled) return;
  if (stalled) stalled_.insert(f);
  else stalled_.erase(f);
  f->stalled = stalled;
}

void TcpReassembler::close(Flow* f, CloseReason why, Side by, TimeNs ts, bool linger) {
  advance(f, Force::All);
  if (why != CloseReason::Reset && f->dir[0].fin_done && f->dir[1].fin_done) {
    // Both FINs were only waiting behind lost bytes: the connection did end normally.
    why = CloseReason::Fin;
    by = f->first_fin;
  }
  if (why == CloseReason::Fin) ts = std::max(f->dir[0].fin_ts, f->dir[1].fin_ts);
  for (int i = 0; i < 2; ++i) {
    f->conn.rst[i] = f->conn.rst[i] || f->dir[i].rst;
  }
  f->conn.zeek_state = zeek_state(f->conn);
  sink_.on_conn_state(f->info.id, f->conn);
  sink_.on_close(f->info.id, why, by, ts);
  total_buffered_ -= f->buffered();
  for (TcpStream& d : f->dir) {
    tail_bytes_ -= d.tail_cap;
    tail_views_.forget(d);
  }
  stalled_.erase(f);
  open_lru_.erase(f);
  const Key key = key_of(*f);
  const size_t hash = FlowHash{}(key);  // hashed once for both tables
  const TimeNs last_ts = f->last_ts;
  if (auto it = find_hashed(flows_, key, hash); it != flows_.end()) flows_.erase(it);  // destroys f
  if (!linger) return;
  const uint32_t i = closed_pool_.make();
  if (i == ClosedPool::kNone) return;  // four billion lingering: this one is not remembered
  ClosedFlow& c = closed_pool_.at(i);
  c.key = key;
  c.last_ts = last_ts;
  closed_lru_.push_back(&c);
  closed_.insert(closed_ref(hash_bits(hash), i));
}

void TcpReassembler::tick(TimeNs now) {
  clock_ = std::max(clock_, now);
  while (!open_lru_.empty() && clock_ - open_lru_.front()->last_ts > cfg_.idle_timeout) {
    Flow* f = open_lru_.front();
    ++stats_.idle_closed;
    close(f, CloseReason::Idle, f->last_sender, f->last_ts);
  }
  while (!closed_lru_.empty() && clock_ - closed_lru_.front()->last_ts > cfg_.closed_linger)
    forget_closed(closed_lru_.front());
  if (clock_ < next_stall_check_) return;
  next_stall_check_ = clock_ + kStallCheckInterval;
  std::vector<Flow*> waiting(stalled_.begin(), stalled_.end());
  for (Flow* f : waiting) {
    advance(f, Force::None);
    if (f->dir[0].fin_done && f->dir[1].fin_done) close(f, CloseReason::Fin, f->first_fin, clock_);
    else update_stalled(f);
  }
}

void TcpReassembler::finish() {
  while (!open_lru_.empty()) {
    Flow* f = open_lru_.front();
    close(f, CloseReason::EndOfCapture, f->last_sender, f->last_ts, false);  // nothing more can come
  }
  // Nor for the closed flows lingering for trailing packets: that table is emptied
  // at once (no hash look-up per flow, as forget_closed makes).
  closed_lru_.clear();
  closed_.clear();
  closed_pool_.clear();
  stalled_.clear();
  total_buffered_ = 0;
  tail_bytes_ = 0;
  tail_views_.clear();
  flows_.clear();
}

}  // namespace quartet::analyzer::net
