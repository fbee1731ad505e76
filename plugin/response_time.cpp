// Statistics → Service Response Time (tshark -z <p>,srt): one row per kind of
// request (Decoded::request_kind, the same rows as the analyzer's summary), one
// call per response the core's session machine paired with its request.
#include <cstring>
#include <string>

#include <epan/srt_table.h>

#include "statistics.hpp"
#include "tap_message.hpp"

namespace quartet::plugin {
namespace {

void init_table(register_srt_t* srt, GArray* srt_array) {
  const int proto = get_srt_proto_id(srt);
  for (const ProtoContext& c : contexts()) {
    if (c.proto != proto) continue;
    // Rows are added as kinds appear (init_srt_table_row grows the table), so
    // a table starts empty; Wireshark keeps the name strings, not copies.
    init_srt_table(c.srt_table_name, nullptr, srt_array, 0, "Request", nullptr, nullptr);
  }
}

// Kinds come from the capture (an RRP command is whatever word the client sent),
// so a hostile capture could make thousands: past this many kinds the rest share
// one row, which also keeps the linear look-up below cheap. The same bounds and
// names as the analyzer's table (analyzer/app/response_times.hpp: 64 kinds, then
// "(other)"; a kind cut to 40 bytes + "..."), so that both show the same rows.
constexpr int kMaxKinds = 64;
constexpr size_t kMaxKindBytes = 40;
constexpr const char* kOtherKinds = "(other)";

int row_of(srt_stat_table* table, std::string kind) {
  if (kind.size() > kMaxKindBytes) kind = kind.substr(0, kMaxKindBytes) + "...";
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < table->num_procs; ++i)
      if (table->procedures[i].procedure && kind == table->procedures[i].procedure) return i;
    if (table->num_procs < kMaxKinds || kind == kOtherKinds) break;
    kind = kOtherKinds;
  }
  const int row = table->num_procs;
  init_srt_table_row(table, row, kind.c_str());  // Wireshark copies the name
  return row;
}

tap_packet_status add_response(void* tapdata, packet_info* pinfo, epan_dissect_t*, const void* data, tap_flags_t) {
  const auto* m = static_cast<const TapMessage*>(data);
  if (!m->answers_request || !m->first_answer) return TAP_PACKET_DONT_REDRAW;
  auto* srt = static_cast<srt_data_t*>(tapdata);
  if (srt->srt_array->len == 0) return TAP_PACKET_DONT_REDRAW;
  srt_stat_table* table = g_array_index(srt->srt_array, srt_stat_table*, 0);
  add_srt_table_data(table, row_of(table, m->request_kind), &m->request_time, pinfo);
  return TAP_PACKET_REDRAW;
}

}  // namespace

void register_response_time(ProtoContext& c) {
  c.srt_table_name = g_strdup((std::string(c.desc->short_name) + " response times").c_str());
  register_srt_table(c.proto, nullptr, 1, add_response, init_table, nullptr);
}

}  // namespace quartet::plugin
