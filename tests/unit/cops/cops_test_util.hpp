// Builds COPS messages byte by byte from the RFC 2748 / RFC 3084 layouts, and
// looks things up in the decoded result.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "../support/decoded_queries.hpp"
#include "common/protocol.hpp"
#include "cops/decoder.hpp"
#include "cops/fields.hpp"

namespace cops_test {

using namespace quartet::test;  // field(), uint_of(), count(), problem(), dump() ...

using quartet::Bytes;
using quartet::Decoded;
using quartet::Field;
using quartet::FieldId;
using quartet::ProblemKind;
using Buf = std::vector<uint8_t>;

inline Buf u16(uint16_t v) { return {uint8_t(v >> 8), uint8_t(v)}; }
inline Buf u32(uint32_t v) { return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }
inline Buf cat(std::initializer_list<Buf> parts) {
  Buf out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
inline Buf text(const std::string& s) { return Buf(s.begin(), s.end()); }

// A COPS-PR object (RFC 3084 5): S-Length, S-Num, S-Type, contents, padding.
inline Buf pr_obj(uint8_t snum, uint8_t stype, const Buf& contents, bool pad = true) {
  Buf o = cat({u16(uint16_t(4 + contents.size())), {snum, stype}, contents});
  while (pad && o.size() % 4) o.push_back(0);
  return o;
}
// BER OBJECT IDENTIFIER TLV from already-encoded sub-identifier bytes.
inline Buf ber_oid(const Buf& value) { return cat({{0x06, uint8_t(value.size())}, value}); }

// A COPS message (RFC 2748 2.1/2.2).
class Msg {
 public:
  Msg(uint8_t opcode, uint16_t client_type, uint8_t flags = 0, uint8_t version = 1) {
    b_ = cat({{uint8_t(version << 4 | flags), opcode}, u16(client_type), u32(0)});
  }
  // Object with the RFC length (contents only) and zero padding to 32 bits.
  Msg& obj(uint8_t cnum, uint8_t ctype, const Buf& contents) {
    auto o = cat({u16(uint16_t(4 + contents.size())), {cnum, ctype}, contents});
    while (o.size() % 4) o.push_back(0);
    b_.insert(b_.end(), o.begin(), o.end());
    return *this;
  }
  // Object whose Length counts its padding (what some real stacks send).
  Msg& obj_len_counts_padding(uint8_t cnum, uint8_t ctype, const Buf& contents) {
    Buf c = contents;
    while ((c.size() + 4) % 4) c.push_back(0);
    auto o = cat({u16(uint16_t(4 + c.size())), {cnum, ctype}, c});
    b_.insert(b_.end(), o.begin(), o.end());
    return *this;
  }
  Msg& raw(const Buf& bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Msg& handle(uint32_t h) { return obj(1, 1, u32(h)); }
  Msg& context(uint16_t rtype, uint16_t mtype = 0) { return obj(2, 1, cat({u16(rtype), u16(mtype)})); }
  Msg& decision(uint16_t cmd, uint16_t flags = 0) { return obj(6, 1, cat({u16(cmd), u16(flags)})); }
  Msg& error(uint16_t code, uint16_t sub = 0) { return obj(8, 1, cat({u16(code), u16(sub)})); }
  Msg& pep_id(const std::string& id) { return obj(11, 1, cat({text(id), {0}})); }
  Msg& ka_timer(uint16_t s) { return obj(10, 1, cat({u16(0), u16(s)})); }
  Msg& report(uint16_t type) { return obj(12, 1, cat({u16(type), u16(0)})); }
  Msg& reason(uint16_t code, uint16_t sub = 0) { return obj(5, 1, cat({u16(code), u16(sub)})); }
  Msg& integrity_tls(uint16_t flags = 1) { return obj(16, 2, cat({u16(flags), u16(0)})); }

  // The finished message with its Length set to the byte count (or `length`).
  Buf done(int64_t length = -1) const {
    Buf out = b_;
    uint32_t l = length < 0 ? uint32_t(out.size()) : uint32_t(length);
    out[4] = uint8_t(l >> 24);
    out[5] = uint8_t(l >> 16);
    out[6] = uint8_t(l >> 8);
    out[7] = uint8_t(l);
    return out;
  }

 private:
  Buf b_;
};

inline Bytes view(const Buf& b) { return quartet::test::bytes(b); }

// Keeps its own copy of the bytes: text fields are views into the PDU.
struct Result {
  std::shared_ptr<const Buf> bytes;
  Decoded decoded;
  quartet::cops::Message message;
};
inline Result decode(const Buf& b, quartet::Direction dir = quartet::Direction::ToServer) {
  auto keep = std::make_shared<const Buf>(b);
  auto r = quartet::cops::parse(view(*keep), dir);
  return {keep, std::move(r.decoded), std::move(r.message)};
}

inline int problems(const Decoded& d, ProblemKind k) { return static_cast<int>(count(d, k)); }
inline std::string all_problems(const Decoded& d) { return dump(d.problems); }

}  // namespace cops_test
