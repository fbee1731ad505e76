#include "message_out.hpp"

#include <iterator>
#include <utility>

namespace quartet::analyzer {

MessageOut make_message(const Protocol& p, MessageRecord& rec, Bytes pdu, Side from, TimeNs ts, uint64_t index,
                        FieldsJson* fields, std::string storage) {
  MessageOut m;
  m.index = index;
  m.ts = ts;
  m.from = from;
  m.length = pdu.size();
  const Decoded& d = rec.decoded;
  m.is_request = d.is_request;
  m.is_response = d.is_response;
  m.set_text_in(std::move(storage), d.name, d.summary, d.is_request ? d.kind : std::string_view(),
                fields ? fields->render(p, d.fields, pdu) : std::string_view());
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
