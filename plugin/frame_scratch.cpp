#include "frame_scratch.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <type_traits>
#include <vector>

#include "common/protocol.hpp"

namespace quartet::plugin {
namespace {

// The scratch could live in pinfo->pool as per-packet proto data, but adding that
// (a sorted list insert) and finding it cost about as much as a tenth of a small
// PDU's whole dissection. Instead it is kept here, one set per packet pool, and the
// first call of a dissection registers a one-shot callback that zeroes it when
// Wireshark empties that pool: that happens between any two dissections that use it
// (epan_dissect_reset and epan_dissect_cleanup free everything in it), so every
// dissection starts with zeroed scratch, exactly as with proto data. Dissections
// that never call us (other traffic) cost nothing.
struct PoolScratch {
  wmem_allocator_t* pool = nullptr;
  std::array<int, kProtocolCount> protos{};  // 0: unused (protocol ids are positive)
  std::array<FrameScratch, kProtocolCount> scratch{};
  bool armed = false;  // the callback is registered: a dissection under way called us
};

std::vector<std::unique_ptr<PoolScratch>>& pools() {
  static auto* v = new std::vector<std::unique_ptr<PoolScratch>>();
  return *v;
}
PoolScratch* g_last = nullptr;  // the pool of the dissection under way, most likely

// gboolean in Wireshark 4.0, bool later.
using CallbackResult = std::invoke_result_t<wmem_user_cb_t, wmem_allocator_t*, wmem_cb_event_t, void*>;

CallbackResult on_pool_event(wmem_allocator_t*, wmem_cb_event_t event, void* user_data) {
  auto* p = static_cast<PoolScratch*>(user_data);
  p->protos = {};
  p->scratch = {};
  p->armed = false;
  if (event == WMEM_CB_DESTROY_EVENT) {
    if (g_last == p) g_last = nullptr;
    auto& v = pools();
    v.erase(std::remove_if(v.begin(), v.end(), [p](const auto& q) { return q.get() == p; }), v.end());
  }
  return static_cast<CallbackResult>(false);  // one dissection: the next one that calls us registers again
}

PoolScratch& pool_scratch(wmem_allocator_t* pool) {
  if (g_last && g_last->pool == pool) return *g_last;
  auto& v = pools();
  auto it = std::find_if(v.begin(), v.end(), [pool](const auto& p) { return p->pool == pool; });
  if (it == v.end()) {
    // A pool destroyed while no callback was registered leaves an entry holding
    // nothing; such entries go before the list grows.
    if (v.size() >= 8) {
      if (g_last && !g_last->armed) g_last = nullptr;
      v.erase(std::remove_if(v.begin(), v.end(), [](const auto& q) { return !q->armed; }), v.end());
    }
    v.push_back(std::make_unique<PoolScratch>());
    v.back()->pool = pool;
    it = v.end() - 1;
  }
  g_last = it->get();
  return *g_last;
}

}  // namespace

FrameScratch& frame_scratch(packet_info* pinfo, int proto) {
  PoolScratch& p = pool_scratch(pinfo->pool);
  if (!p.armed) {
    wmem_register_callback(pinfo->pool, on_pool_event, &p);
    p.armed = true;
  }
  for (size_t i = 0; i < kProtocolCount; ++i) {
    if (p.protos[i] == proto) return p.scratch[i];
    if (p.protos[i] == 0) {
      p.protos[i] = proto;
      return p.scratch[i];
    }
  }
  // Cannot happen: only our kProtocolCount protocols ask. Share the last one.
  return p.scratch[kProtocolCount - 1];
}

}  // namespace quartet::plugin
