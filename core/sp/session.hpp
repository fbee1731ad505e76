// The SP session machine: header exchange and compatibility, then
// request/reply and survey/response matching by backtrace, message counts.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "../common/field.hpp"
#include "../common/pending.hpp"
#include "../common/session.hpp"

namespace quartet::sp {

class SpSession final : public Session {
 public:
  std::vector<Problem> on_close() override;
  // "awaiting headers", "header exchange", "data", "incompatible", "rejected".
  std::string_view state() const override;

  // For the analyzer's cross-connection views (pub/sub fan-out, survey
  // aggregation): what each side announced and how many messages it sent.
  std::optional<uint16_t> endpoint_type(Direction dir) const { return side(dir).type; }
  uint64_t messages(Direction dir) const { return side(dir).messages; }

  // The type whose message headers apply to what `dir` sends: its own header,
  // else the only type its peer accepts (capture started after the headers).
  std::optional<uint16_t> sender_type(Direction dir) const;

 protected:
  void process(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, MessageRecord& out) override;
  void decode_into(Direction dir, Bytes pdu, Decoded& out) const override;

 private:
  enum class Phase : uint8_t { AwaitingHeaders, HeaderExchange, Data, Incompatible, Rejected };
  struct Side {
    std::optional<uint16_t> type;  // from its header
    bool header_seen = false;
    bool header_acceptable = false;
    bool reported_headerless = false;
    uint64_t messages = 0;
  };
  // A request or survey waiting for answers, keyed by its whole backtrace
  // (device hops + id), which every answer echoes byte for byte.
  struct Outstanding {
    TimeNs ts;
    uint32_t id;
    uint64_t answers = 0;
  };
  // Bounded by kMaxPending; a REQ that never gets replies cannot grow memory.
  using OpenTable = PendingMap<std::string, Outstanding>;

  Side& side(Direction d) { return sides_[d == Direction::ToServer ? 0 : 1]; }
  const Side& side(Direction d) const { return sides_[d == Direction::ToServer ? 0 : 1]; }
  void on_header(Direction dir, Bytes pdu, Transition& t);
  void on_message(Direction dir, Bytes pdu, const Decoded& d, TimeNs ts, uint64_t index, Transition& t);
  void match(Direction dir, Bytes pdu, TimeNs ts, uint64_t index, Transition& t);

  std::array<Side, 2> sides_;
  Phase phase_ = Phase::AwaitingHeaders;
  bool reported_after_close_ = false;
  OpenTable requests_;  // REQ: removed when answered
  OpenTable surveys_;   // SURVEYOR: kept (several responses)
};

std::unique_ptr<Session> new_session();

}  // namespace quartet::sp
