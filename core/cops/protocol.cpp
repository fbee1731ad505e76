// STUB: replaced by the real COPS implementation.
#include "../common/protocol.hpp"

namespace quartet::cops {
namespace {
[[maybe_unused]] constexpr FieldDef kFields[] = {{"message", "Message", FieldType::Bytes}};
constexpr uint16_t kPorts[] = {3288, 2126, 3918};
FrameResult frame(Bytes) { return FrameResult::invalid("not implemented"); }
Decoded decode(Bytes pdu, Direction) {
  Decoded d;
  d.name = d.summary = "COPS";
  d.add(0, 0, pdu.size());
  return d;
}
Probe probe(Bytes) { return Probe::No; }
class StubSession final : public Session {
 public:
  MessageRecord on_pdu(Direction dir, Bytes pdu, TimeNs, uint64_t) override { return {decode(dir, pdu), {}}; }
  Decoded decode(Direction dir, Bytes pdu) const override { return quartet::cops::decode(pdu, dir); }
  std::string_view state() const override { return "stub"; }
};
std::unique_ptr<Session> new_session() { return std::make_unique<StubSession>(); }
}  // namespace

const Protocol& protocol() {
  static const Protocol p{"copsx", "COPS", "Common Open Policy Service (quartet)", kFields, kPorts, {}, frame, decode, probe, new_session};
  return p;
}
}  // namespace quartet::cops
