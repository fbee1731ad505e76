// Message-level checks of PacketCable data: the mandatory objects of each gate
// command (PKT-SP-MM-I05 6.4.3.2) and which COPS message may carry it.
#pragma once

#include "../../common/decoded.hpp"

namespace quartet::cops {
struct Message;
}

namespace quartet::cops::packetcable {

void validate(const Message& m, Decoded& out);

}  // namespace quartet::cops::packetcable
