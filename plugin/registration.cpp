#include "registration.hpp"

#include <string>

#include "field_types.hpp"
#include "ports.hpp"
#include "statistics.hpp"

namespace quartet::plugin {
namespace {

// Wireshark keeps pointers to every string and table handed over at registration
// for the life of the process, so they are allocated once and never freed.
const char* keep(const std::string& s) { return g_strdup(s.c_str()); }

std::string dotted(std::string_view filter, std::string_view rel) {
  std::string s(filter);
  s += '.';
  s += rel;
  return s;
}

const void* value_strings(const FieldDef& d) {
  if (d.names.empty() || !is_unsigned(d.type)) return nullptr;
  if (d.type == FieldType::UInt64) {
    auto* vs = g_new0(val64_string, d.names.size() + 1);
    for (size_t i = 0; i < d.names.size(); ++i) vs[i] = {d.names[i].value, d.names[i].name};
    return vs;
  }
  auto* vs = g_new0(value_string, d.names.size() + 1);
  for (size_t i = 0; i < d.names.size(); ++i) vs[i] = {static_cast<guint32>(d.names[i].value), d.names[i].name};
  return vs;
}

hf_register_info hf_entry(int* id, const char* name, const char* abbrev, ftenum type, int display, const void* strings,
                          uint64_t bitmask, const char* blurb) {
  hf_register_info hf{};
  hf.p_id = id;
  hf.hfinfo = {name, abbrev, type, display, strings, bitmask, blurb, HFILL};
  return hf;
}

void register_fields(ProtoContext& c) {
  const std::string_view filter = c.desc->filter_name;
  const auto defs = c.desc->fields;
  c.hf.assign(defs.size(), -1);
  c.ett_of_field.assign(defs.size(), -1);

  constexpr size_t kExtra = 7;
  const auto groups = c.desc->link_groups;
  auto* hf = g_new0(hf_register_info, defs.size() + kExtra + 3 * groups.size());
  size_t n = 0;
  for (size_t i = 0; i < defs.size(); ++i) {
    const FieldDef& d = defs[i];
    int display = field_display(d);
    const void* strings = value_strings(d);
    if (strings && d.type == FieldType::UInt64) display |= BASE_VAL64_STRING;
    const uint64_t mask = (d.type == FieldType::Bool || is_unsigned(d.type)) ? d.bitmask : 0;
    hf[n++] =
        hf_entry(&c.hf[i], d.name, keep(dotted(filter, d.abbrev)), field_type(d), display, strings, mask, d.blurb);
    if (d.sensitive) c.has_sensitive_fields = true;
  }
  auto extra = [&](int* id, const char* name, const char* rel, ftenum type, const void* strings, const char* blurb,
                   int display = BASE_NONE) {
    hf[n++] = hf_entry(id, name, keep(dotted(filter, rel)), type, display, strings, 0, blurb);
  };
  extra(&c.hf_response_in, "Response In", "response_in", FT_FRAMENUM, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE),
        "The frame carrying the response to this request");
  extra(&c.hf_response_to, "Response To", "response_to", FT_FRAMENUM, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST),
        "The frame carrying the request this message answers");
  extra(&c.hf_time, "Response Time", "time", FT_RELATIVE_TIME, nullptr, "Time between the request and this response");
  extra(&c.hf_event, "Session Event", "event", FT_STRING, nullptr,
        "What the session machine concluded from this message");
  extra(&c.hf_state, "Session State", "state", FT_STRING, nullptr, "The session's phase/state after this message");
  extra(&c.hf_index, "Message Number", "msg_index", FT_UINT32, nullptr,
        "Position of this message in its connection (both directions, from 0)", BASE_DEC);
  extra(&c.hf_undecoded, "Undecoded Data", "undecoded", FT_BYTES, nullptr,
        "Bytes that could not be framed as a message");
  c.links.resize(groups.size());  // before taking addresses: no reallocation after
  for (size_t g = 0; g < groups.size(); ++g) {
    auto& l = c.links[g];
    l.group = groups[g];
    const std::string grp(groups[g]);
    extra(&l.hf_response_in, keep(grp + " answer in"), (grp + ".response_in").c_str(), FT_FRAMENUM,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), "The frame carrying the answer to this command");
    extra(&l.hf_response_to, keep(grp + " command in"), (grp + ".response_to").c_str(), FT_FRAMENUM,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), "The frame carrying the command this message answers");
    extra(&l.hf_time, keep(grp + " answer time"), (grp + ".time").c_str(), FT_RELATIVE_TIME, nullptr,
          "Time between the command and this answer");
  }
  proto_register_field_array(c.proto, hf, static_cast<int>(n));
  // Wireshark keeps pointers into `hf`, so these stay valid for the whole process.
  c.hfinfo.resize(defs.size());
  bool in_place = true;
  for (size_t i = 0; i < defs.size(); ++i) {
    c.hfinfo[i] = proto_registrar_get_nth(static_cast<guint>(c.hf[i]));
    in_place = in_place && c.hfinfo[i] == &hf[i].hfinfo;
  }
  // The fields' "referenced" flags as a strided table (FieldNeeds::some reads them as int).
  static_assert(sizeof(hf_ref_type) == sizeof(int));
  if (in_place && !defs.empty()) {
    c.ref_flags = reinterpret_cast<const std::byte*>(&hf[0].hfinfo.ref_type);
    c.ref_stride = sizeof(hf_register_info);
  }

  // One subtree per protocol plus one per Group field.
  auto* etts = g_new0(gint*, defs.size() + 1);
  int m = 0;
  etts[m++] = &c.ett_proto;
  for (size_t i = 0; i < defs.size(); ++i)
    if (defs[i].type == FieldType::Group) etts[m++] = &c.ett_of_field[i];
  proto_register_subtree_array(etts, m);
}

// The core's kind and severity in Wireshark's terms (the severity itself is the
// core's: severity_of in common/problem.hpp).
int expert_group(ProblemKind k) {
  switch (k) {
    case ProblemKind::Malformed: return PI_MALFORMED;
    case ProblemKind::Unknown: return PI_UNDECODED;
    case ProblemKind::Sequence: return PI_SEQUENCE;
    case ProblemKind::ErrorReply: return PI_RESPONSE_CODE;
    case ProblemKind::Violation:
    case ProblemKind::Deviation: return PI_PROTOCOL;
  }
  return PI_PROTOCOL;
}
int expert_severity(Severity s) {
  switch (s) {
    case Severity::Error: return PI_ERROR;
    case Severity::Warning: return PI_WARN;
    case Severity::Note: return PI_NOTE;
  }
  return PI_WARN;
}

void register_expert(ProtoContext& c) {
  const std::string_view filter = c.desc->filter_name;
  const std::string shortname(c.desc->short_name);
  struct Kind {
    ProblemKind kind;
    const char* what;
  };
  static constexpr Kind kKinds[] = {
      {ProblemKind::Malformed, "malformed message"},
      {ProblemKind::Violation, "protocol violation"},
      {ProblemKind::Unknown, "value not defined by the specification"},
      {ProblemKind::Sequence, "message out of sequence"},
      {ProblemKind::Deviation, "tolerated deviation from the specification"},
      {ProblemKind::ErrorReply, "answer reporting an error"},
  };
  const auto defs = c.desc->problems;
  c.ei_of_problem.assign(defs.size(), expert_field{});
  auto* ei = g_new0(ei_register_info, std::size(kKinds) + defs.size() + 3);
  size_t n = 0;
  // One per kind: framing failures and problems raised without an id.
  for (const Kind& k : kKinds) {
    ei[n].ids = c.ei_for(k.kind);
    ei[n].eiinfo.name = keep(dotted(filter, kind_name(k.kind)));
    ei[n].eiinfo.group = expert_group(k.kind);
    ei[n].eiinfo.severity = expert_severity(severity_of(k.kind));
    ei[n].eiinfo.summary = keep(shortname + " " + k.what);
    ++n;
  }
  // One per ProblemDef, named by its id: "copsx.object.length_past_end" filters them.
  for (size_t i = 0; i < defs.size(); ++i) {
    c.problem_index.emplace(defs[i].id, i);
    ei[n].ids = &c.ei_of_problem[i];
    ei[n].eiinfo.name = keep(std::string(defs[i].id));
    ei[n].eiinfo.group = expert_group(defs[i].kind);
    ei[n].eiinfo.severity = expert_severity(severity_of(defs[i].kind));
    ei[n].eiinfo.summary = keep(std::string(defs[i].summary));
    ++n;
  }
  ei[n].ids = &c.ei_tls_handoff;
  ei[n].eiinfo.name = keep(dotted(filter, "tls_handoff"));
  ei[n].eiinfo.group = PI_SEQUENCE;
  ei[n].eiinfo.severity = PI_CHAT;
  ei[n].eiinfo.summary = keep("TLS starts on this connection after this " + shortname + " message");
  ++n;
  ei[n].ids = &c.ei_snaplen_cut;
  ei[n].eiinfo.name = keep(dotted(filter, "snaplen_cut"));
  ei[n].eiinfo.group = PI_UNDECODED;
  ei[n].eiinfo.severity = PI_WARN;
  ei[n].eiinfo.summary = keep(shortname + " message cut by the capture's snapshot length: not decoded");
  ++n;
  ei[n].ids = &c.ei_unfinished;
  ei[n].eiinfo.name = keep(dotted(filter, "unfinished"));
  ei[n].eiinfo.group = PI_SEQUENCE;
  ei[n].eiinfo.severity = PI_WARN;
  ei[n].eiinfo.summary = keep(shortname +
                              " message begun and never completed: the capture or the connection ends inside it, "
                              "or TCP could not reassemble it");
  ++n;
  for (size_t i = 0; i < n; ++i) {
    ei[i].eiinfo.id = 0;
    ei[i].eiinfo.hf_info = {nullptr, {nullptr, nullptr, FT_NONE, BASE_NONE, nullptr, 0, nullptr, HFILL}};
  }
  expert_register_field_array(expert_register_protocol(c.proto), ei, static_cast<int>(n));
}

void register_preferences(ProtoContext& c) {
  module_t* module = prefs_register_protocol(c.proto, apply_preferences);
  if (c.has_sensitive_fields)
    prefs_register_bool_preference(module, "show_passwords", "Show passwords",
                                   "Show the values of sensitive fields (passwords). Off by default: they are masked.",
                                   &c.show_sensitive);
  if (!c.desc->default_tcp_ports.empty())
    prefs_register_bool_preference(
        module, "yield_ports", "Give the default ports back to the built-in dissector",
        "If another dissector (e.g. Wireshark's built-in one) also registered this protocol's "
        "default TCP ports, let it have them again instead of this plugin.",
        &c.yield_ports);
}

}  // namespace

void register_protocol(ProtoContext& c) {
  // Wireshark requires unique short names and already has "COPS" (built-in) and
  // "IAP" (IrDA plugin, which may load before or after us), so the registered
  // short name is the upper-cased filter name (COPSX, RRP, IAPX, SP), unique by
  // construction. The Protocol column still shows the core's short name.
  std::string registered_short(c.desc->filter_name);
  for (char& ch : registered_short) ch = g_ascii_toupper(ch);
  c.proto = proto_register_protocol(keep(std::string(c.desc->long_name)), keep(registered_short),
                                    keep(std::string(c.desc->filter_name)));
  c.column_name = keep(std::string(c.desc->short_name));
  register_fields(c);
  register_expert(c);
  register_preferences(c);
  register_statistics(c);
}

}  // namespace quartet::plugin
