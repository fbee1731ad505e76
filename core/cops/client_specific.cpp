#include "client_specific.hpp"

#include "names.hpp"
#include "packetcable/decoder.hpp"
#include "pr.hpp"

namespace quartet::cops {
namespace {

struct Registration {
  uint16_t client_type;
  const ClientDecoder* decoder;
};

// THE registry. Client-types whose PIB-based data is COPS-PR (IANA lists the
// PIB module): DiffServ (dsPolicyPib), HP PXPIB, 3GPP Go (go3gppPib).
// PacketCable DQoS and Multimedia: their own S-objects (core/cops/packetcable/).
const Registration* registrations(size_t& n) {
  static const Registration table[] = {
      {kClientTypeDiffServ, &pr::decoder()},
      {kClientTypePxPib, &pr::decoder()},
      {kClientType3gppGo, &pr::decoder()},
      {kClientTypePacketCable, &packetcable::dqos_decoder()},
      {kClientTypePcmm, &packetcable::pcmm_decoder()},
  };
  n = std::size(table);
  return table;
}

}  // namespace

const ClientDecoder* registered_client_decoder(uint16_t client_type) {
  size_t n = 0;
  const Registration* table = registrations(n);
  for (size_t i = 0; i < n; ++i)
    if (table[i].client_type == client_type) return table[i].decoder;
  return nullptr;
}

const ClientDecoder* client_decoder_for(const ClientDataContext& ctx, Bytes pdu, size_t off, size_t len) {
  if (const ClientDecoder* d = registered_client_decoder(ctx.client_type)) return d->claims(ctx) ? d : nullptr;
  const ClientDecoder& copspr = pr::decoder();
  if (ctx.client_type != kClientTypeNone && copspr.claims(ctx) && pr::looks_like(pdu, off, len)) return &copspr;
  return nullptr;
}

}  // namespace quartet::cops
