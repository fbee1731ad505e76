// PacketCable S-objects and messages for the unit tests, written from the
// layouts of PKT-SP-MM-I05 6.4.2 (PCMM) and the DQoS sheet, byte by byte.
#pragma once

#include <string>

#include "cops/packetcable/fields.hpp"
#include "cops_test_util.hpp"

namespace pktc_test {

using namespace cops_test;

constexpr uint16_t kPcmm = 0x800a, kDqos = 0x8008;

// Length | S-Num | S-Type | body (the body already padded by the caller when needed).
inline Buf sobj(uint8_t snum, uint8_t stype, const Buf& body) {
  return cat({u16(uint16_t(4 + body.size())), {snum, stype}, body});
}
inline Buf tid(uint16_t trans, uint16_t cmd) { return sobj(1, 1, cat({u16(trans), u16(cmd)})); }
inline Buf amid(uint16_t type, uint16_t tag) { return sobj(2, 1, cat({u16(type), u16(tag)})); }
inline Buf sub4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return sobj(3, 1, {a, b, c, d}); }
inline Buf gate_id(uint32_t g) { return sobj(4, 1, u32(g)); }
inline Buf error(uint16_t code, uint16_t sub) { return sobj(14, 1, cat({u16(code), u16(sub)})); }
// GateSpec: upstream, DSCP overwrite, DSCP 0xb8/0xfc, priority 5 + preemption, T1..T4.
inline Buf gate_spec() { return sobj(5, 1, cat({{0x03, 0xb8, 0xfc, 0x0d}, u16(200), u16(0), u16(300), u16(60)})); }
inline Buf scn(uint8_t envelope, const std::string& name) {
  Buf body = cat({{envelope, 0, 0, 0}, text(name), {0}});
  while (body.size() % 4) body.push_back(0);
  return sobj(7, 2, body);
}
// Legacy classifier: UDP 10.0.0.1:5060 -> 192.0.2.10:5060, priority 64.
inline Buf classifier() {
  return sobj(6, 1, cat({u16(17), {0, 0}, {10, 0, 0, 1}, {192, 0, 2, 10}, u16(5060), u16(5060), {64, 0, 0, 0}}));
}

// A DEC carrying client-specific decision data (what a Policy Server sends).
inline Buf dec(uint16_t ct, const Buf& data, uint8_t flags = 0) {
  return Msg(2, ct, flags).handle(0x1001).context(8).decision(1, 1).obj(6, 4, data).done();
}
// An RPT carrying Signaled ClientSI (what a CMTS answers).
inline Buf rpt(uint16_t ct, const Buf& data, uint16_t report = 1, uint8_t flags = 1) {
  return Msg(3, ct, flags).handle(0x1001).report(report).obj(9, 1, data).done();
}

inline std::string field_names(const Decoded& d) {
  std::string s;
  for (const auto& f : d.fields) s += std::string(quartet::cops::fields()[f.id].abbrev) + " ";
  return s;
}

}  // namespace pktc_test
