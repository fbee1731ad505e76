// STUB: replaced by the real RRP implementation.
#include "../common/protocol.hpp"

namespace quartet::rrp {
namespace {
[[maybe_unused]] constexpr FieldDef kFields[] = {{"message", "Message", FieldType::Bytes}};
constexpr uint16_t kPorts[] = {648};
FrameResult frame(Bytes) { return FrameResult::invalid("not implemented"); }
Decoded decode(Bytes pdu, Direction) {
  Decoded d;
  d.name = d.summary = "RRP";
  d.add(0, 0, pdu.size());
  return d;
}
Probe probe(Bytes) { return Probe::No; }
class StubSession final : public Session {
 public:
  MessageRecord on_pdu(Direction dir, Bytes pdu, TimeNs, uint64_t) override { return {decode(dir, pdu), {}}; }
  Decoded decode(Direction dir, Bytes pdu) const override { return quartet::rrp::decode(pdu, dir); }
  std::string_view state() const override { return "stub"; }
};
std::unique_ptr<Session> new_session() { return std::make_unique<StubSession>(); }
}  // namespace

const Protocol& protocol() {
  static const Protocol p{"rrp", "RRP", "Registry Registrar Protocol", kFields, kPorts, {}, frame, decode, probe, new_session};
  return p;
}
}  // namespace quartet::rrp
