#include "problems.hpp"

namespace quartet::iap {
namespace {

using K = ProblemKind;

constexpr ProblemDef kProblems[] = {
    {"iapx.message.framing", K::Malformed,
     "Message cannot be framed (header block too long, bad chunk size, lying length)", "draft-ietf-idwg-iap-01 4"},
    {"iapx.message.leading_blank_lines", K::Deviation, "Blank lines before the message", "draft-ietf-idwg-iap-01 4"},
    {"iapx.message.bare_lf", K::Deviation, "Lines end in LF alone instead of CRLF", "draft-ietf-idwg-iap-01 4"},
    {"iapx.message.version_mixed", K::Violation, "Line with another IAP version than the message's first line",
     "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.line_invalid", K::Malformed, "Line that is no IAP construct", "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.prefix_missing", K::Deviation, "Header line without the IAP/x.y prefix",
     "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.type_unknown", K::Unknown, "Neither CONNECT, a response, Upgrade, channel setup nor content",
     "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.version_invalid", K::Malformed, "Bad version (want IAP/major.minor)", "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.version_unknown", K::Unknown, "Version other than the draft's IAP/0.3",
     "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.message.setup_prefix_missing", K::Violation, "Setup message without the IAP/0.3 prefix",
     "draft-ietf-idwg-iap-01 4"},
    {"iapx.message.trailing_bytes", K::Malformed, "Bytes after the end of the message", "draft-ietf-idwg-iap-01 4"},
    {"iapx.message.header_unterminated", K::Malformed, "Header block without its end (blank line)",
     "draft-ietf-idwg-iap-01 4"},
    {"iapx.connect.no_host", K::Malformed, "CONNECT without a host", "draft-ietf-idwg-iap-01 4.3.2"},
    {"iapx.response.status_unknown", K::Unknown, "Status code that is no HTTP/1.1 code",
     "draft-ietf-idwg-iap-01 4.3.1"},
    {"iapx.header.repeated", K::Violation, "Header repeated", "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.header.not_allowed", K::Violation, "Header that does not belong in this message",
     "draft-ietf-idwg-iap-01 4.3"},
    {"iapx.via.no_host", K::Malformed, "Via without a host", "draft-ietf-idwg-iap-01 4.3.2"},
    {"iapx.via.loop", K::Violation, "Proxy loop: a host appears twice on the Via path", "draft-ietf-idwg-iap-01 3.1"},
    {"iapx.role.unknown", K::Unknown, "IAP-Role neither Sender nor Receiver", "draft-ietf-idwg-iap-01 4.3.4"},
    {"iapx.transfer_encoding.unknown", K::Unknown, "Transfer-Encoding other than chunked",
     "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.upgrade.unknown", K::Unknown, "Upgrade to something other than TLS/1.0", "draft-ietf-idwg-iap-01 4.3.3"},
    {"iapx.content.length_and_chunked", K::Violation, "Both Content-Length and Transfer-Encoding: chunked",
     "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.content.truncated", K::Malformed,
     "Body shorter than its length says, or chunked body without its last chunk", "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.content.no_crlf", K::Violation, "No CRLF after the body", "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.content.single_line_end", K::Deviation, "Body followed by one line end instead of CRLF CRLF",
     "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.content.no_type", K::Violation, "Content without Content-Type", "draft-ietf-idwg-iap-01 4.3.5"},
    {"iapx.content.no_length", K::Violation, "Content without Content-Length", "draft-ietf-idwg-iap-01 4.1"},
    {"iapx.channel.no_version", K::Violation, "Channel setup without IAP-Version", "draft-ietf-idwg-iap-01 4.3.4"},
    {"iapx.channel.no_role", K::Violation, "Channel setup without IAP-Role", "draft-ietf-idwg-iap-01 4.3.4"},
    {"iapx.version.mismatch", K::Violation,
     "IAP version differs between setup steps, request and response, or the peer refuses it",
     "draft-ietf-idwg-iap-01 3.3"},
    {"iapx.session.from_responder", K::Sequence, "Setup request sent by the TCP responder", "draft-ietf-idwg-iap-01 3"},
    {"iapx.session.after_refusal", K::Sequence, "Message after the connection was refused",
     "draft-ietf-idwg-iap-01 3.1"},
    {"iapx.session.out_of_phase", K::Sequence,
     "Setup message in the wrong phase (CONNECT, Upgrade, channel setup, content)", "draft-ietf-idwg-iap-01 3"},
    {"iapx.session.content_wrong_side", K::Sequence, "Content from the side the IAP-Role does not let send",
     "draft-ietf-idwg-iap-01 4.2"},
    {"iapx.session.response_unsolicited", K::Sequence, "Response without an outstanding request",
     "draft-ietf-idwg-iap-01 3"},
    {"iapx.session.upgrade_not_101", K::Violation, "Upgrade answered with a 2xx other than 101: no TLS hand-off",
     "draft-ietf-idwg-iap-01 3.2"},
    {"iapx.session.request_unanswered", K::Sequence, "Request never answered", "draft-ietf-idwg-iap-01 3"},
};
static_assert(sizeof(kProblems) / sizeof(kProblems[0]) == static_cast<size_t>(ProblemId::kCount),
              "one ProblemDef per ProblemId");

}  // namespace

std::span<const ProblemDef> problem_defs() { return kProblems; }
const ProblemDef& problem_def(ProblemId id) { return kProblems[static_cast<size_t>(id)]; }

}  // namespace quartet::iap
