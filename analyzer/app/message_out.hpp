// Turns a core MessageRecord into the analyzer's owned MessageOut. The PDU bytes
// are gone when the session is written, so what points into them is rendered now:
// the fields straight into their JSON object (FieldsJson), nothing else copied.
#pragma once

#include "common/protocol.hpp"
#include "fields_json.hpp"
#include "timeline.hpp"

namespace quartet::analyzer {

// `fields`: renders the fields (only the JSONL writer and the HTML report show
// them); nullptr leaves MessageOut::fields_json empty.
// The name, summary, kind and rendered fields are copied into the message's one
// string, built in `storage` (a recycled string keeps its capacity: no allocation);
// the record's problems are moved out, the rest is left as it was.
MessageOut make_message(const Protocol& p, MessageRecord& rec, Bytes pdu, Side from, TimeNs ts, uint64_t index,
                        FieldsJson* fields, std::string storage = {});

}  // namespace quartet::analyzer
