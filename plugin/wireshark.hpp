// The Wireshark API the plugin uses (4.0 to 4.6), in one place; what differs between
// versions lives in wireshark_compat.hpp. Most epan headers carry their own extern "C"
// guards; packet-tls.h does not, and packet-tls-utils.h drags in GnuTLS, so the two TLS
// entry points are declared here with C linkage instead.
#pragma once

#include <epan/conversation.h>
#include <epan/dissectors/packet-tcp.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/proto_data.h>

#include "wireshark_compat.hpp"

extern "C" {
// epan/dissectors/packet-tls.h
WS_DLL_PUBLIC void ssl_dissector_add(guint port, dissector_handle_t handle);
// epan/dissectors/packet-tls-utils.h: marks this packet as the last one before TLS
// starts on the connection; decrypted records then go to app_handle.
WS_DLL_PUBLIC guint32 ssl_starttls_ack(dissector_handle_t tls_handle, packet_info* pinfo,
                                       dissector_handle_t app_handle);
}
