// Hand-built TLS handshake records for the peeker and analyzer tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tlsgen {

inline void u8(std::string& s, unsigned v) { s += static_cast<char>(v & 0xff); }
inline void u16(std::string& s, unsigned v) { u8(s, v >> 8), u8(s, v); }
inline void u24(std::string& s, unsigned v) { u8(s, v >> 16), u16(s, v); }
inline std::string vec8(const std::string& b) {
  std::string s;
  u8(s, static_cast<unsigned>(b.size()));
  return s + b;
}
inline std::string vec16(const std::string& b) {
  std::string s;
  u16(s, static_cast<unsigned>(b.size()));
  return s + b;
}
inline std::string vec24(const std::string& b) {
  std::string s;
  u24(s, static_cast<unsigned>(b.size()));
  return s + b;
}

inline std::string record(unsigned type, const std::string& body, unsigned version = 0x0303) {
  std::string s;
  u8(s, type);
  u16(s, version);
  return s + vec16(body);
}
inline std::string handshake(unsigned type, const std::string& body) {
  std::string s;
  u8(s, type);
  return s + vec24(body);
}
inline std::string ext(unsigned type, const std::string& body) {
  std::string s;
  u16(s, type);
  return s + vec16(body);
}

inline std::string client_hello(const std::string& sni, std::vector<unsigned> versions = {0x0304, 0x0303}) {
  std::string b;
  u16(b, 0x0303);
  b += std::string(32, 'r');
  b += vec8("");
  std::string suites;
  u16(suites, 0x1301), u16(suites, 0xc02f), u16(suites, 0x0a0a);
  b += vec16(suites);
  b += vec8(std::string(1, '\0'));
  std::string exts;
  std::string name;
  u8(name, 0);
  name += vec16(sni);
  exts += ext(0, vec16(name));
  std::string vs;
  u16(vs, 0x3a3a);  // GREASE, not shown
  for (unsigned v : versions) u16(vs, v);
  exts += ext(43, vec8(vs));
  exts += ext(16, vec16(vec8("rrp")));
  b += vec16(exts);
  return record(22, handshake(1, b), 0x0301);
}

inline std::string server_hello(unsigned suite, unsigned selected_version = 0) {
  std::string b;
  u16(b, 0x0303);
  b += std::string(32, 's');
  b += vec8("");
  u16(b, suite);
  u8(b, 0);
  std::string exts;
  if (selected_version) {
    std::string v;
    u16(v, selected_version);
    exts += ext(43, v);
  }
  b += vec16(exts);
  return record(22, handshake(2, b));
}

inline std::string certificate(const std::string& der) { return record(22, handshake(11, vec24(vec24(der)))); }
inline std::string alert(unsigned level, unsigned desc) {
  std::string b;
  u8(b, level), u8(b, desc);
  return record(21, b);
}

}  // namespace tlsgen
