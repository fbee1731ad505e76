// The typed view of one decoded COPS message: what the summary, the validator
// and the session machine need, next to the flat field list of Decoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../common/bytes.hpp"
#include "../common/decoded.hpp"
#include "packetcable/gate_message.hpp"

namespace quartet::cops {

struct ObjectRef {
  uint8_t cnum = 0;
  uint8_t ctype = 0;
  uint32_t offset = 0;  // of the object header within the PDU
  uint32_t length = 0;  // the declared object length
};

struct Message {
  bool has_header = false;  // the 8-byte common header was complete
  uint8_t version = 0;
  uint8_t flags = 0;
  uint8_t opcode = 0;
  uint16_t client_type = 0;
  uint32_t length = 0;  // declared message length
  bool solicited() const { return flags & 0x1; }

  std::vector<ObjectRef> objects;  // in wire order, including unknown ones

  // Values of the objects the summary and the session machine look at (first occurrence).
  std::optional<std::string_view> handle;  // raw handle bytes (view into the PDU)
  std::optional<uint16_t> rtype;
  std::optional<uint16_t> mtype;
  std::vector<uint16_t> commands;  // Decision: Flags command codes, in order
  std::optional<uint16_t> reason;
  std::optional<uint16_t> error_code;
  std::optional<uint16_t> error_subcode;
  std::optional<uint16_t> report_type;
  std::optional<uint16_t> ka_timer;
  std::optional<uint16_t> acct_timer;
  std::optional<std::string_view> pep_id;
  bool integrity_tls = false;  // an Integrity-TLS object (RFC 4261) is present
  uint16_t integrity_tls_flags = 0;
  bool integrity_hmac = false;
  // PacketCable (DQoS 0x8008, PCMM 0x800A): what the S-objects said about gates.
  std::optional<packetcable::GateMessage> gate;
};

// Back to a default Message, its lists emptied but their capacity kept.
inline void reset(Message& m) {
  std::vector<ObjectRef> objects = std::move(m.objects);
  std::vector<uint16_t> commands = std::move(m.commands);
  m = Message{};
  objects.clear();
  commands.clear();
  m.objects = std::move(objects);
  m.commands = std::move(commands);
}

// "0x00001001" for the handle bytes.
std::string handle_hex(std::string_view handle);

}  // namespace quartet::cops
