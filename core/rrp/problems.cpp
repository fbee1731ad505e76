#include "problems.hpp"

namespace quartet::rrp {
namespace {

using K = ProblemKind;

constexpr ProblemDef kProblems[] = {
    {"rrp.text.not_ascii", K::Violation, "Byte that is not 7-bit ASCII text", "RFC 2832 1"},
    {"rrp.block.empty", K::Malformed, "Empty PDU", "RFC 2832 4.1"},
    {"rrp.block.no_first_line", K::Malformed, "\".\" terminator without a command or response line", "RFC 2832 4.1"},
    {"rrp.block.bare_lf", K::Deviation, "Lines end in LF alone instead of CRLF", "RFC 2832 4.1"},
    {"rrp.block.unterminated_line", K::Malformed, "Last line has no line ending", "RFC 2832 4.1"},
    {"rrp.block.no_terminator", K::Malformed, "Block ends without its \".\" terminator line", "RFC 2832 4.1"},
    {"rrp.block.after_terminator", K::Malformed, "Bytes after the \".\" terminator line", "RFC 2832 4.1"},
    {"rrp.request.command_extra_text", K::Violation, "Text after the command word", "RFC 2832 4.1"},
    {"rrp.request.command_empty", K::Malformed, "Empty command line", "RFC 2832 4.1"},
    {"rrp.request.command_unknown", K::Unknown, "Command not defined", "RFC 2832 4.3"},
    {"rrp.request.empty_line", K::Violation, "Empty line inside a request", "RFC 2832 4.1"},
    {"rrp.request.attribute_no_colon", K::Malformed, "Attribute line without ':'", "RFC 2832 4.1"},
    {"rrp.request.entity_repeated", K::Violation, "Second EntityName line", "RFC 2832 4.3"},
    {"rrp.request.entity_unknown", K::Violation, "EntityName neither Domain nor NameServer", "RFC 2832 4.3"},
    {"rrp.request.removal_outside_mod", K::Violation, "Value ending in '=' (removal) outside a MOD request",
     "RFC 2832 4.3.5"},
    {"rrp.request.attribute_unknown", K::Unknown, "Attribute not defined", "RFC 2832 4.3"},
    {"rrp.request.address_invalid", K::Violation, "Host name or IP address not valid", "RFC 2832 4.3"},
    {"rrp.request.option_no_colon", K::Malformed, "Option line without ':'", "RFC 2832 4.1"},
    {"rrp.request.option_unknown", K::Unknown, "Option not defined", "RFC 2832 4.3"},
    {"rrp.request.option_repeated", K::Violation, "Option given twice", "RFC 2832 4.3"},
    {"rrp.request.option_not_number", K::Violation, "Numeric option value is not a number", "RFC 2832 4.3"},
    {"rrp.request.approve_invalid", K::Violation, "-Approve is neither Yes nor No", "RFC 2832 4.3.9"},
    {"rrp.request.target_unknown", K::Unknown, "DESCRIBE target not defined", "RFC 2832 4.3.4"},
    {"rrp.request.shape_invalid", K::Violation,
     "Request lacks or repeats what its command requires (entity, attributes, options)", "RFC 2832 4.3"},
    {"rrp.response.code_unknown", K::Unknown, "Response code not defined", "RFC 2832 4.2"},
    {"rrp.response.no_description", K::Violation, "Response line without a description", "RFC 2832 4.2"},
    {"rrp.response.empty_line", K::Violation, "Empty line inside a response", "RFC 2832 4.2"},
    {"rrp.response.attribute_no_colon", K::Malformed, "Response attribute line without ':'", "RFC 2832 4.2"},
    {"rrp.greeting.unrecognised", K::Violation,
     "Server block neither a response nor an \"RRP Server version\" greeting", "RFC 2832 4.2"},
    {"rrp.session.after_close", K::Sequence, "Data after the session was closed (DIS)", "RFC 2832 3"},
    {"rrp.session.pipelined", K::Sequence, "Request sent before the response to the previous one", "RFC 2832 3"},
    {"rrp.session.unauthenticated", K::Sequence, "Command before a successful SESSION", "RFC 2832 3"},
    {"rrp.session.repeated_session", K::Sequence, "SESSION on an already authenticated connection", "RFC 2832 3"},
    {"rrp.session.check_missing", K::Sequence, "Response that answers a CHECK while another request awaits its answer",
     "RFC 2832 4.3.2"},
    {"rrp.session.response_unsolicited", K::Sequence, "Response without an outstanding request", "RFC 2832 3"},
    {"rrp.session.greeting_late", K::Sequence, "Server greeting after the session started, or a second one",
     "RFC 2832 3"},
    {"rrp.session.request_unanswered", K::Sequence, "Request never answered", "RFC 2832 3"},
};
static_assert(sizeof(kProblems) / sizeof(kProblems[0]) == static_cast<size_t>(ProblemId::kCount),
              "one ProblemDef per ProblemId");

}  // namespace

std::span<const ProblemDef> problem_defs() { return kProblems; }
const ProblemDef& problem_def(ProblemId id) { return kProblems[static_cast<size_t>(id)]; }

}  // namespace quartet::rrp
