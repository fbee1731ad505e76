// SP PDU decoding: the connection header and messages (length, protocol header
// that depends on the sender's socket type, body).
#pragma once

#include <cstdint>
#include <optional>

#include "../common/decoded.hpp"
#include "../common/bytes.hpp"

namespace quartet::sp {

struct ConnectionHeader {
  uint8_t version = 0;
  uint16_t type = 0;
  uint16_t reserved = 0;
  // What nanomsg/nng accept; anything else makes the peer close the connection.
  bool acceptable() const { return version == 0 && reserved == 0; }
};
// The header fields of a complete 8-byte header PDU; nullopt otherwise.
std::optional<ConnectionHeader> parse_header(Bytes pdu);

// The message payload (after the 64-bit length), clipped to the bytes present.
Bytes message_payload(Bytes pdu);

// A REQ/REP or SURVEYOR/RESPONDENT stack at the start of a payload.
struct Backtrace {
  size_t words = 0;         // including the final one
  bool terminated = false;  // a word with the top bit set was found
  uint32_t id = 0;          // that final word, as on the wire (top bit set)
  Bytes stack;              // all its words: replies echo it byte for byte
};
Backtrace scan_backtrace(Bytes payload);

// The descriptor's stateless decode: a message's protocol header depends on the
// sender's socket type, which only a Session knows, so a message is shown as
// length + payload (guessing would mislead: a REQ request id word, top bit set,
// and a PUB body starting with a byte >= 0x80 look the same).
Decoded decode(Bytes pdu, Direction dir);
// Decodes one PDU as sent by a socket of `sender_type`, the endpoint type the
// sending side announced in its header (nullopt: unknown, as decode()).
Decoded decode_as(Bytes pdu, std::optional<uint16_t> sender_type);
// The same into a caller-owned Decoded, emptied here but keeping its capacity.
void decode_as(Bytes pdu, std::optional<uint16_t> sender_type, Decoded& d);

}  // namespace quartet::sp
