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
// PDU's whole dissection. Instead it is kept here, one set per packet pool, and
// zeroed by a callback whenever Wireshark empties that pool: that happens between
// any two dissections that use it (epan_dissect_reset and epan_dissect_cleanup both
// free everything in it), so every dissection starts with zeroed scratch, exactly as
// with proto data. A pool's set goes when the pool is destroyed. (A one-shot
// callback, registered by each dissection that calls us, spares other traffic's
// dissections the callback, but registering costs several times more: on a
// COPS-only capture the whole run took 0.3 % more instructions.)
struct PoolScratch {
  wmem_allocator_t* pool = nullptr;
  std::array<int, kProtocolCount> protos{};  // 0: unused (protocol ids are positive)
  std::array<FrameScratch, kProtocolCount> scratch{};
  bool used = false;  // since the pool was last emptied (most dissections never call us)
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
  if (event == WMEM_CB_FREE_EVENT) {
    if (p->used) {
      p->protos = {};
      p->scratch = {};
      p->used = false;
    }
    return static_cast<CallbackResult>(true);  // keep the callback
  }
  if (g_last == p) g_last = nullptr;
  auto& v = pools();
  v.erase(std::remove_if(v.begin(), v.end(), [p](const auto& q) { return q.get() == p; }), v.end());
  return static_cast<CallbackResult>(false);
}

PoolScratch& pool_scratch(wmem_allocator_t* pool) {
  if (g_last && g_last->pool == pool) return *g_last;
  auto& v = pools();
  auto it = std::find_if(v.begin(), v.end(), [pool](const auto& p) { return p->pool == pool; });
  if (it == v.end()) {
    v.push_back(std::make_unique<PoolScratch>());
    v.back()->pool = pool;
    wmem_register_callback(pool, on_pool_event, v.back().get());
    it = v.end() - 1;
  }
  g_last = it->get();
  return *g_last;
}

}  // namespace

FrameScratch& frame_scratch(packet_info* pinfo, int proto) {
  PoolScratch& p = pool_scratch(pinfo->pool);
  p.used = true;
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
