// RRP decoder: one PDU (everything up to and including the "." line) into the
// flat field list plus the few typed facts the session machine needs.
#pragma once

#include <cstdint>
#include <string_view>

#include "../common/decoded.hpp"
#include "../common/bytes.hpp"
#include "codes.hpp"

namespace quartet::rrp {

enum class Kind : uint8_t { Request, Response, Greeting, Empty };
enum class Entity : uint8_t { None, Domain, NameServer, Other };

// Views point into the decoded PDU.
struct Message {
  Kind kind = Kind::Empty;
  Command command = Command::Unknown;  // Request
  Entity entity = Entity::None;        // Request
  uint16_t code = 0;                   // Response; 0 when the code line is malformed
  std::string_view text;               // Response: the description after the code
  std::string_view object;             // Request: first DomainName / NameServer value
  std::string_view registrar_id;       // SESSION -Id
  bool new_password = false;           // SESSION carries -NewPassword
  std::string_view greeting;           // Greeting: its first line
};

// Every module's two entry points: the typed parse the session machine uses and
// the stateless decode of the descriptor. ToServer blocks are requests; ToClient
// blocks are responses when they open with "NNN", otherwise the server's greeting.
Parsed<Message> parse(Bytes pdu, Direction dir);
Decoded decode(Bytes pdu, Direction dir);
// The same into caller-owned objects, emptied here but keeping their capacity, so
// that a caller reusing them decodes without allocating.
void parse(Bytes pdu, Direction dir, Decoded& d, Message& m);
void decode(Bytes pdu, Direction dir, Decoded& d);

}  // namespace quartet::rrp
