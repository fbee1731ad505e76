// COPS decoder: one complete message (as the framer delimits it) into the
// neutral Decoded plus the typed Message. Never throws; anything wrong is a
// Problem in decoded.problems, with the fields decoded so far.
#pragma once

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"
#include "message.hpp"

namespace quartet::cops {

// Every module's two entry points: the typed parse the session machine uses and
// the stateless decode of the descriptor.
Parsed<Message> parse(Bytes pdu, Direction dir);
Decoded decode(Bytes pdu, Direction dir);
// The same into caller-owned objects, emptied here but keeping their capacity, so
// that a caller reusing them decodes without allocating.
void parse(Bytes pdu, Direction dir, Decoded& d, Message& m);
void decode(Bytes pdu, Direction dir, Decoded& d);

}  // namespace quartet::cops
