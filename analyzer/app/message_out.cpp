#include "message_out.hpp"

#include <iterator>
#include <utility>

namespace quartet::analyzer {

MessageOut make_message(const Protocol& p, MessageRecord& rec, Bytes pdu, Side from, TimeNs ts,
                        uint64_t index, FieldsJson* fields) {
  MessageOut m;
  m.index = index;
  m.ts = ts;
  m.from = from;
  m.length = pdu.size();
  // The kind may be the name itself (request_kind()), so it is taken before the name moves.
  if (rec.decoded.is_request && !rec.decoded.kind.empty()) m.kind = std::move(rec.decoded.kind);
  m.name = std::move(rec.decoded.name);
  m.summary = std::move(rec.decoded.summary);
  m.is_request = rec.decoded.is_request;
  m.is_response = rec.decoded.is_response;
  if (fields) m.fields_json = fields->render(p, rec.decoded.fields, pdu);
  for (const Event& e : rec.transition.events)
    if (e.kind == EventKind::Publisher) m.announces_publisher = true;
  m.response_to = rec.transition.response_to;
  m.latency = rec.transition.latency;
  m.problems = std::move(rec.decoded.problems);
  m.problems.insert(m.problems.end(), std::make_move_iterator(rec.transition.problems.begin()),
                    std::make_move_iterator(rec.transition.problems.end()));
  return m;
}

}  // namespace quartet::analyzer
