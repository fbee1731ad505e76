// COPS-PR (RFC 3084 section 5): the S-Num/S-Type objects carried in Named
// ClientSI and Named Decision Data: PRID, Prefix PRID, EPD, GPERR, CPERR and
// ErrorPRID, with their BER contents decoded.
#pragma once

#include <cstddef>

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"
#include "client_specific.hpp"

namespace quartet::cops::pr {

// The ClientDecoder registered for PIB-based client-types.
const ClientDecoder& decoder();

// True when [off, off+len) is a clean chain of COPS-PR objects (known S-Nums,
// lengths that fit exactly); used to recognise COPS-PR under unregistered client-types.
bool looks_like(Bytes pdu, size_t off, size_t len);

// Decodes the COPS-PR objects in [off, off+len); returns the bytes understood.
size_t decode(Bytes pdu, size_t off, size_t len, Decoded& out);

}  // namespace quartet::cops::pr
