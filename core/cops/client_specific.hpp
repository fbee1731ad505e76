// Pluggable decoders for client-specific data: the contents of ClientSI,
// Decision/LPDP Decision data objects whose meaning depends on the Client-Type
// (RFC 2748 2.2.6, 2.2.9). COPS-PR is registered now; a PacketCable DQoS
// (0x8008) or PacketCable Multimedia (0x800a) decoder is added by writing one
// ClientDecoder and listing it in the table of client_specific.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"

namespace quartet::cops {

struct Message;

struct ClientDataContext {
  uint16_t client_type = 0;
  uint8_t opcode = 0;
  uint8_t cnum = 0;  // the enclosing COPS object
  uint8_t ctype = 0;
  Direction dir = Direction::ToServer;
  Message* message = nullptr;  // where a decoder leaves what the summary/session need
};

struct ClientDecoder {
  const char* name;  // "COPS-PR"
  // Whether this decoder interprets the contents of that object.
  bool (*claims)(const ClientDataContext&);
  // Decodes [off, off+len) of `pdu` into fields at the current depth and
  // returns how many bytes it understood (the caller reports the rest).
  size_t (*decode)(const ClientDataContext&, Bytes pdu, size_t off, size_t len, Decoded& out);
};

// The registered decoder for a client-type, or nullptr.
const ClientDecoder* registered_client_decoder(uint16_t client_type);

// The decoder to use for one object: the registered one when it claims the
// object; for client-types nobody registered, COPS-PR when the bytes are a
// well-formed chain of COPS-PR objects (PIB-based clients use many private
// and FCFS client-types). nullptr: show the bytes raw.
const ClientDecoder* client_decoder_for(const ClientDataContext& ctx, Bytes pdu, size_t off, size_t len);

}  // namespace quartet::cops
