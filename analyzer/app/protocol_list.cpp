#include "protocol_list.hpp"

#include <span>

#include "common/protocol.hpp"
#include "json.hpp"

namespace quartet::analyzer {
namespace {

std::string_view type_name(FieldType t) {
  switch (t) {
    case FieldType::Group: return "group";
    case FieldType::Bool: return "bool";
    case FieldType::UInt8: return "uint8";
    case FieldType::UInt16: return "uint16";
    case FieldType::UInt24: return "uint24";
    case FieldType::UInt32: return "uint32";
    case FieldType::UInt64: return "uint64";
    case FieldType::Int32: return "int32";
    case FieldType::String: return "string";
    case FieldType::Octets: return "bytes";
    case FieldType::IPv4: return "ipv4";
    case FieldType::IPv6: return "ipv6";
  }
  return "?";
}

void key(std::string& out, std::string_view k, std::string_view v, bool first = false) {
  if (!first) out += ',';
  append_json_string(out, k);
  out += ':';
  append_json_string(out, v);
}

void ports(std::string& out, std::string_view k, std::span<const uint16_t> list) {
  out += ',';
  append_json_string(out, k);
  out += ":[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(list[i]);
  }
  out += ']';
}

}  // namespace

std::string protocol_list_json() {
  std::string out = "{\"protocols\":[";
  bool first_protocol = true;
  for (const Protocol* p : all_protocols()) {
    if (!first_protocol) out += ',';
    first_protocol = false;
    out += '{';
    key(out, "filter_name", p->filter_name, true);
    key(out, "short_name", p->short_name);
    key(out, "long_name", p->long_name);
    ports(out, "default_tcp_ports", p->default_tcp_ports);
    ports(out, "default_tls_ports", p->default_tls_ports);
    out += p->line_oriented ? ",\"line_oriented\":true" : ",\"line_oriented\":false";
    out += p->resync ? ",\"resync\":true" : ",\"resync\":false";
    out += ",\"fields\":[";
    for (size_t i = 0; i < p->fields.size(); ++i) {
      const FieldDef& f = p->fields[i];
      out += i ? ",{" : "{";
      key(out, "abbrev", f.abbrev, true);
      key(out, "name", f.name);
      key(out, "type", type_name(f.type));
      key(out, "blurb", f.blurb ? f.blurb : "");
      out += '}';
    }
    out += "],\"problems\":[";
    for (size_t i = 0; i < p->problems.size(); ++i) {
      const ProblemDef& d = p->problems[i];
      out += i ? ",{" : "{";
      key(out, "id", d.id, true);
      key(out, "kind", kind_name(d.kind));
      key(out, "severity", severity_name(severity_of(d.kind)));
      key(out, "summary", d.summary);
      key(out, "spec", d.spec);
      out += '}';
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

std::string protocol_list_text() {
  std::string out;
  for (const Protocol* p : all_protocols()) {
    std::string line = std::string(p->filter_name);
    line.resize(8, ' ');
    line += std::string(p->short_name);
    line.resize(14, ' ');
    line += p->long_name;
    for (uint16_t port : p->default_tcp_ports) line += "  tcp/" + std::to_string(port);
    for (uint16_t port : p->default_tls_ports) line += "  tls/" + std::to_string(port);
    out += line + '\n';
  }
  return out;
}

}  // namespace quartet::analyzer
