#include "conversation_state.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "common/text_arena.hpp"

namespace quartet::plugin {
namespace {

std::vector<std::unique_ptr<ConversationState>>& all_states() {
  static auto* v = new std::vector<std::unique_ptr<ConversationState>>();
  return *v;
}

// The records' texts (summaries, kinds, states) for the whole capture file: a bump
// allocator, several times cheaper per text than wmem_file_scope(), freed with the states.
TextArena& record_texts() {
  static auto* a = new TextArena();
  return *a;
}

// addresses_equal, with the IPv4 and IPv6 lengths compared inline instead of by a memcmp call.
bool same(const address& a, const address& b) {
  if (a.type != b.type || a.len != b.len) return false;
  if (a.len == 4) return std::memcmp(a.data, b.data, 4) == 0;
  if (a.len == 16) return std::memcmp(a.data, b.data, 16) == 0;
  return addresses_equal(&a, &b);
}

// Wireshark's conversation search (a map of key arrays, with wildcard fallbacks)
// costs about as much as decoding a small PDU, and TCP has just done it for this
// very segment. So the states of the connections seen last are kept in a small
// direct-mapped cache keyed by their addresses and ports. An entry is trusted only
// while its conversation is the one the search would return now:
//  - the search, which marks each conversation it finds with the frame number,
//    found it in this frame (TCP searches for every segment before calling us), and
//  - no newer conversation with the same key follows it on its chain (`next`: TCP
//    makes one when a port pair is reused, possibly in this very frame).
// Otherwise (a later pass over an earlier frame, a reused port pair, a slot taken by
// another connection) the search runs as before.
class StateCache {
 public:
  ConversationState* find(const ProtoContext& c, const packet_info* pinfo) const {
    const Entry& e = entries_[slot(c, pinfo)];
    if (e.c != &c || !e.conv || e.conv->last_frame != pinfo->num || e.conv->next) return nullptr;
    const bool forward =
        e.port_a == pinfo->srcport && e.port_b == pinfo->destport && same(e.a, pinfo->src) && same(e.b, pinfo->dst);
    if (!forward &&
        !(e.port_a == pinfo->destport && e.port_b == pinfo->srcport && same(e.a, pinfo->dst) && same(e.b, pinfo->src)))
      return nullptr;
    return e.state;
  }
  void put(const ProtoContext& c, const packet_info* pinfo, conversation_t* conv, ConversationState* state) {
    Entry& e = entries_[slot(c, pinfo)];
    e.c = nullptr;
    if (pinfo->ptype != PT_TCP || !keep_address(e.a, e.a_bytes, pinfo->src) ||
        !keep_address(e.b, e.b_bytes, pinfo->dst))
      return;
    e.port_a = pinfo->srcport;
    e.port_b = pinfo->destport;
    e.conv = conv;
    e.state = state;
    e.c = &c;
  }
  void clear() { entries_ = {}; }

 private:
  static constexpr size_t kSlots = 256;
  static constexpr size_t kAddressBytes = 16;
  struct Entry {
    const ProtoContext* c = nullptr;  // null: empty
    conversation_t* conv = nullptr;
    ConversationState* state = nullptr;
    uint32_t port_a = 0, port_b = 0;
    address a{}, b{};  // their data point into the bytes below
    std::byte a_bytes[kAddressBytes]{}, b_bytes[kAddressBytes]{};
  };
  static bool keep_address(address& to, std::byte* bytes, const address& from) {
    if (from.len < 0 || static_cast<size_t>(from.len) > kAddressBytes || (from.len > 0 && !from.data)) return false;
    if (from.len > 0) std::memcpy(bytes, from.data, static_cast<size_t>(from.len));
    set_address(&to, from.type, from.len, bytes);
    return true;
  }
  // The same slot for both directions of a connection.
  static size_t slot(const ProtoContext& c, const packet_info* pinfo) {
    return (pinfo->srcport ^ pinfo->destport ^ static_cast<uint32_t>(c.proto) * 0x9e3779b1u) % kSlots;
  }
  std::array<Entry, kSlots> entries_{};
};

StateCache& state_cache() {
  static auto* cache = new StateCache();
  return *cache;
}

// Every connection's PDU records for the whole capture file, in blocks that never
// move; each connection keeps pointers to its own.
class RecordStore {
 public:
  PduRecord& make() {
    if (blocks_.empty() || used_ == kBlockRecords) {
      blocks_.push_back(std::make_unique<PduRecord[]>(kBlockRecords));
      used_ = 0;
    }
    return blocks_.back()[used_++];
  }

 private:
  static constexpr size_t kBlockRecords = 256;
  std::vector<std::unique_ptr<PduRecord[]>> blocks_;
  size_t used_ = 0;
};

RecordStore& records() {
  static auto* s = new RecordStore();
  return *s;
}

void free_states() {
  state_cache().clear();  // its conversations go with the file too
  all_states().clear();
  records() = RecordStore();
  record_texts() = TextArena();
}

bool is_default_port(const Protocol& p, uint32_t port) {
  auto has = [port](std::span<const uint16_t> ports) {
    return std::find(ports.begin(), ports.end(), port) != ports.end();
  };
  return has(p.default_tcp_ports) || has(p.default_tls_ports);
}

constexpr size_t kRecordsReserved = 4;

uint64_t position_key(uint32_t frame, uint32_t ordinal) { return (uint64_t{frame} << 32) | ordinal; }

}  // namespace

ConversationState::ConversationState(const ProtoContext& c, packet_info* pinfo, conversation_t* conv)
    : session_(c.desc->new_session()) {
  // Which side is the server: the port that received the SYN when TCP saw one,
  // else a default port of the protocol, else the lower port (a listener's port is
  // usually the lower one, ephemeral ports are high).
  uint32_t server_port = 0;
  static const int tcp_proto = proto_get_id_by_filter_name("tcp");
  if (auto* tcpd = static_cast<tcp_analysis*>(conversation_get_proto_data(conv, tcp_proto)))
    server_port = tcpd->server_port;
  bool dst_is_server;
  if (server_port != 0 && pinfo->srcport != pinfo->destport) dst_is_server = pinfo->destport == server_port;
  else if (is_default_port(*c.desc, pinfo->destport) != is_default_port(*c.desc, pinfo->srcport))
    dst_is_server = is_default_port(*c.desc, pinfo->destport);
  else dst_is_server = pinfo->destport <= pinfo->srcport;
  copy_address_wmem(wmem_file_scope(), &server_addr_, dst_is_server ? &pinfo->dst : &pinfo->src);
  server_port_ = dst_is_server ? pinfo->destport : pinfo->srcport;
  // Fewer reallocations while a connection is young, little memory for a short one.
  records_.reserve(kRecordsReserved);
}

Direction ConversationState::direction_of(const packet_info* pinfo) const {
  bool to_server = pinfo->destport == server_port_ && same(pinfo->dst, server_addr_);
  if (pinfo->srcport == pinfo->destport && same(pinfo->src, pinfo->dst)) to_server = true;
  return to_server ? Direction::ToServer : Direction::ToClient;
}

std::optional<uint64_t> ConversationState::find(uint32_t frame, uint32_t ordinal) const {
  const uint64_t key = position_key(frame, ordinal);
  if (!by_position_.empty()) {
    auto it = std::lower_bound(by_position_.begin(), by_position_.end(), key,
                               [](const auto& e, uint64_t k) { return e.first < k; });
    if (it == by_position_.end() || it->first != key) return std::nullopt;
    return it->second;
  }
  auto it = std::lower_bound(records_.begin(), records_.end(), key,
                             [](const PduRecord* r, uint64_t k) { return position_key(r->frame, r->ordinal) < k; });
  if (it == records_.end() || position_key((*it)->frame, (*it)->ordinal) != key) return std::nullopt;
  return static_cast<uint64_t>(it - records_.begin());
}

std::string_view ConversationState::keep(std::string_view s) { return record_texts().keep(s); }

uint64_t ConversationState::add(uint32_t frame, uint32_t ordinal, TimeNs ts, MessageRecord& out, Direction dir,
                                Bytes pdu) {
  const uint64_t index = records_.size();
  const uint64_t key = position_key(frame, ordinal);
  if (by_position_.empty() && index > 0 && position_key(records_.back()->frame, records_.back()->ordinal) >= key) {
    by_position_.reserve(index + 1);  // out of order: positions are kept apart from now on
    for (uint64_t i = 0; i < index; ++i)
      by_position_.emplace_back(position_key(records_[i]->frame, records_[i]->ordinal), i);
  }
  session_->on_pdu(dir, pdu, ts, index, out);
  PduRecord& r = records().make();
  records_.push_back(&r);
  r.frame = frame;
  r.ordinal = ordinal;
  r.ts = ts;
  r.transition = std::move(out.transition);
  r.summary = keep(out.decoded.summary);
  const std::string_view kind = out.decoded.request_kind();
  r.kind = kind == out.decoded.summary ? r.summary : keep(kind);
  // The state changes a few times per connection: share the previous record's copy.
  const std::string_view state = session_->state();
  r.state = index > 0 && records_[index - 1]->state == state ? records_[index - 1]->state : keep(state);
  if (!by_position_.empty()) {  // not in order before (cannot happen on a first pass in frame order)
    auto it = std::lower_bound(by_position_.begin(), by_position_.end(), key,
                               [](const auto& e, uint64_t k) { return e.first < k; });
    if (it != by_position_.end() && it->first == key) it->second = index;
    else by_position_.insert(it, {key, index});
  }
  // Link the request to this response (the request's "Response In").
  if (auto req = r.transition.response_to; req && *req < index && !records_[*req]->response_in) {
    records_[*req]->response_in = frame;
    records_[*req]->first_answer = index;
    records_[*req]->response_in_group = r.transition.link_group;
  }
  return index;
}

ConversationState* find_conversation_state(const ProtoContext& c, packet_info* pinfo) {
  if (ConversationState* s = state_cache().find(c, pinfo)) return s;
  conversation_t* conv = find_conversation_pinfo(pinfo, 0);
  if (!conv) return nullptr;
  auto* s = static_cast<ConversationState*>(conversation_get_proto_data(conv, c.proto));
  if (s) state_cache().put(c, pinfo, conv, s);
  return s;
}

ConversationState& conversation_state(const ProtoContext& c, packet_info* pinfo) {
  if (ConversationState* s = state_cache().find(c, pinfo)) return *s;
  conversation_t* conv = find_or_create_conversation(pinfo);
  auto* s = static_cast<ConversationState*>(conversation_get_proto_data(conv, c.proto));
  if (!s) {
    all_states().push_back(std::make_unique<ConversationState>(c, pinfo, conv));
    s = all_states().back().get();
    conversation_add_proto_data(conv, c.proto, s);
  }
  state_cache().put(c, pinfo, conv, s);
  return *s;
}

void register_conversation_cleanup() { register_cleanup_routine(free_states); }

}  // namespace quartet::plugin
