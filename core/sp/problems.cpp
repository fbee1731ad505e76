#include "problems.hpp"

namespace quartet::sp {
namespace {

using K = ProblemKind;

constexpr ProblemDef kProblems[] = {
    {"sp.header.truncated", K::Malformed, "SP connection header shorter than 8 bytes", "sp-tcp-mapping-01 3"},
    {"sp.header.trailing_bytes", K::Malformed, "Bytes after the 8-byte SP header in one PDU", "sp-tcp-mapping-01 3"},
    {"sp.header.version_unknown", K::Unknown, "SP header version other than 0", "sp-tcp-mapping-01 3"},
    {"sp.header.type_unknown", K::Unknown, "Endpoint type no SP socket type of nanomsg or nng", "sp-protocol-ids-01"},
    {"sp.header.reserved_nonzero", K::Violation, "Reserved header bytes not zero", "sp-tcp-mapping-01 3"},
    {"sp.header.repeated", K::Violation, "Second SP header from the same side", "sp-tcp-mapping-01 3"},
    {"sp.message.truncated", K::Malformed, "Message shorter than its length field says", "sp-tcp-mapping-01 4"},
    {"sp.message.length_short", K::Malformed, "Message shorter than its 8-byte length field", "sp-tcp-mapping-01 4"},
    {"sp.message.trailing_bytes", K::Malformed, "Bytes after the message length in one PDU", "sp-tcp-mapping-01 4"},
    {"sp.message.before_header", K::Violation, "Message before this side's connection header", "sp-tcp-mapping-01 3"},
    {"sp.message.after_refusal", K::Sequence, "Messages after a refused header", "sp-tcp-mapping-01 3"},
    {"sp.message.from_silent_socket", K::Violation, "Message from a socket type that never sends",
     "sp-protocol-ids-01"},
    {"sp.backtrace.unterminated", K::Malformed, "Backtrace without a final word (top bit set)",
     "sp-request-reply-01 3"},
    {"sp.backtrace.ttl_exceeded", K::Violation, "Backtrace longer than the maximum TTL", "sp-request-reply-01 3"},
    {"sp.survey.id_missing", K::Malformed, "Message too short for the 32-bit survey id", "sp-surveyor-01"},
    {"sp.pair.hops_missing", K::Malformed, "PAIR v1 message too short for its hop count", "nng pair1"},
    {"sp.pair.reserved_nonzero", K::Malformed, "PAIR v1 header upper 24 bits not zero", "nng pair1"},
    {"sp.pair.hops_zero", K::Violation, "PAIR v1 hop count 0", "nng pair1"},
    {"sp.pair.ttl_exceeded", K::Violation, "PAIR v1 hop count beyond the maximum TTL", "nng pair1"},
    {"sp.session.peers_incompatible", K::Violation, "Incompatible SP peers", "sp-protocol-ids-01"},
    {"sp.session.id_repeated", K::Sequence, "Request or survey id sent again before an answer",
     "sp-request-reply-01 3"},
    {"sp.session.answer_unsolicited", K::Sequence, "Reply or response to an id that is not outstanding",
     "sp-request-reply-01 3"},
    {"sp.session.request_unanswered", K::Sequence, "Request that got no reply", "sp-request-reply-01 3"},
};
static_assert(sizeof(kProblems) / sizeof(kProblems[0]) == static_cast<size_t>(ProblemId::kCount),
              "one ProblemDef per ProblemId");

}  // namespace

std::span<const ProblemDef> problem_defs() { return kProblems; }
const ProblemDef& problem_def(ProblemId id) { return kProblems[static_cast<size_t>(id)]; }

}  // namespace quartet::sp
