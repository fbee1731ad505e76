#include "tap_message.hpp"

#include <string_view>
#include <vector>

#include "packet_text.hpp"
#include "time_conversion.hpp"

namespace quartet::plugin {
namespace {

// A field value as the Statistics tree labels it: its value name when the core's
// table has one (after the number for decimal codes: "200 OK"), else the number
// or the text.
std::string value_label(const FieldDef& def, const Field& f) {
  if (const uint64_t* u = f.uint()) {
    const char* name = name_of(def.names, *u);
    if (!name) return std::to_string(*u);
    return def.base == Base::Dec ? std::to_string(*u) + " " + name : std::string(name);
  }
  return std::string(f.text());
}

struct Counts {
  packet_info* pinfo;
  std::vector<StatCount> out;
  void add(std::string_view branch, const char* parent, std::string_view label) {
    out.push_back({packet_text(pinfo, branch), parent, packet_text(pinfo, label)});
  }
};

}  // namespace

void tap_message(const ProtoContext& c, packet_info* pinfo, const Decoded& decoded, const Transition* tr,
                 const std::optional<Pairing>& pairing, const char* info) {
  if (c.tap < 0 || !have_tap_listener(c.tap)) return;
  auto* m = wmem_new0(pinfo->pool, TapMessage);
  m->protocol = c.column_name;
  m->info = info;  // packet-scoped already
  if (conversation_t* conv = find_conversation_pinfo(pinfo, 0))
    m->conversation = static_cast<guint16>(conv->conv_index);

  Counts counts{pinfo, {}};
  if (pairing) {
    m->answers_request = true;
    m->first_answer = pairing->first_answer;
    m->request_kind = packet_text(pinfo, pairing->request_kind);
    m->request_time = to_nstime(timestamp(pinfo) - pairing->latency);
    counts.add(kRequestResponseBranch, m->request_kind, decoded.name);
  }
  for (const StatisticDef& s : c.desc->statistics) {
    if (!s.event_prefix.empty()) {
      if (!tr) continue;
      for (const Event& e : tr->events)
        if (std::string_view(e.text).substr(0, s.event_prefix.size()) == s.event_prefix)
          counts.add(s.branch, nullptr, std::string_view(e.text).substr(s.event_prefix.size()));
      continue;
    }
    if (s.field.id >= c.desc->fields.size()) continue;
    for (const Field& f : decoded.fields)
      if (f.is(s.field)) counts.add(s.branch, nullptr, value_label(c.desc->fields[f.id], f));
  }
  auto problems = [&](const std::vector<Problem>& list) {
    for (const Problem& p : list) counts.add(kProblemBranch, nullptr, kind_name(p.kind));
  };
  problems(decoded.problems);
  if (tr) problems(tr->problems);

  auto* array = wmem_alloc_array(pinfo->pool, StatCount, counts.out.size());
  std::copy(counts.out.begin(), counts.out.end(), array);
  m->counts = array;
  m->n_counts = counts.out.size();
  tap_queue_packet(c.tap, pinfo, m);
}

}  // namespace quartet::plugin
