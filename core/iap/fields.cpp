#include "fields.hpp"

namespace quartet::iap {

using enum Field;

namespace {

// Draft section 2: "Response codes are borrowed from the hypertext transfer
// protocol" (RFC 2616), so every RFC 2616 code is named; the codes the draft
// itself gives a meaning (3.1, 3.2) carry that meaning.
constexpr ValueName kStatus[] = {
    {100, "Continue"},
    {101, "Switching to TLS"},  // 3.2: the only switch IAP knows is Upgrade: TLS/1.0
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {203, "Non-Authoritative Information"},
    {204, "No Content"},
    {205, "Reset Content"},
    {206, "Partial Content"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {305, "Use Proxy"},
    {307, "Temporary Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},  // 3.1: the responder refuses the connection
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},  // 3.4: content type the peer cannot decode
    {416, "Requested Range Not Satisfiable"},
    {417, "Expectation Failed"},
    {500, "Internal Server Error"},  // 3.2: e.g. no certificate configured yet
    {501, "Not Implemented"},
    {502, "Bad Gateway"},  // 3.1: a proxy found its own identity in the Via chain
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "Version Not Supported"},
};

constexpr ValueName kRoles[] = {
    {static_cast<uint64_t>(Role::Sender), "Sender"},
    {static_cast<uint64_t>(Role::Receiver), "Receiver"},
};

constexpr ValueName kTypes[] = {
    {static_cast<uint64_t>(MsgType::Unknown), "Unknown"},
    {static_cast<uint64_t>(MsgType::ConnectRequest), "Connect request"},
    {static_cast<uint64_t>(MsgType::UpgradeRequest), "Upgrade request"},
    {static_cast<uint64_t>(MsgType::ChannelSetup), "Channel setup request"},
    {static_cast<uint64_t>(MsgType::Content), "Content"},
    {static_cast<uint64_t>(MsgType::Response), "Response"},
};

// Order must match enum class Field.
constexpr FieldDef kFields[] = {
    {"type", "Message type", FieldType::UInt8, Base::Dec, kTypes, 0, "Which iap-message of draft 4.2 this is"},
    {"version", "Version", FieldType::String, Base::None, {}, 0, "iap-t-version, e.g. IAP/0.3"},
    {"method", "Method", FieldType::String, Base::None, {}, 0, "CONNECT (4.3.2)"},
    {"host", "Host", FieldType::String, Base::None, {}, 0, "The host named by CONNECT"},
    {"status.code", "Status code", FieldType::UInt16, Base::Dec, kStatus, 0, "iap-response status (HTTP/1.1 codes)"},
    {"status.text",
     "Status text",
     FieldType::String,
     Base::None,
     {},
     0,
     "Reason phrase after the status code (optional)"},
    {"via", "Via", FieldType::String, Base::None, {}, 0, "A proxy the message passed (iap-t-via)"},
    {"via.count", "Via count", FieldType::UInt8, Base::Dec, {}, 0, "Number of Via lines: proxies on the path"},
    {"upgrade", "Upgrade", FieldType::String, Base::None, {}, 0, "Protocol requested by iap-upgrade-request (TLS/1.0)"},
    {"iap_version", "IAP-Version", FieldType::String, Base::None, {}, 0, "Version verified in channel setup (4.3.4)"},
    {"role", "IAP-Role", FieldType::UInt8, Base::Dec, kRoles, 0,
     "Whether the connection initiator sends or receives requests"},
    {"content_type",
     "Content-Type",
     FieldType::String,
     Base::None,
     {},
     0,
     "Media type of the content (application/x-idef-alert)"},
    {"content_length", "Content-Length", FieldType::UInt64, Base::Dec, {}, 0, "Declared body length in octets"},
    {"body", "Body", FieldType::Octets, Base::None, {}, 0, "The content (an IDEF alert)"},
    {"transfer_encoding",
     "Transfer-Encoding",
     FieldType::String,
     Base::None,
     {},
     0,
     "HTTP transfer-coding of the body (chunked, draft 4.2)"},
    {"chunk", "Chunk", FieldType::Group, Base::None, {}, 0, "One chunk of a Chunked-Body"},
    {"chunk.size", "Chunk size", FieldType::UInt64, Base::Dec, {}, 0, "Declared chunk-size"},
    {"chunk.data", "Chunk data", FieldType::Octets},
    {"header", "Header", FieldType::Group, Base::None, {}, 0, "A header the draft does not define"},
    {"header.name", "Header name", FieldType::String},
    {"header.value", "Header value", FieldType::String},
    {"line", "Unparsed line", FieldType::String, Base::None, {}, 0, "A line that is no IAP construct"},
};
static_assert(sizeof(kFields) / sizeof(kFields[0]) == kFieldCount, "one FieldDef per Field");

}  // namespace

std::span<const FieldDef> fields() { return kFields; }
std::span<const ValueName> status_names() { return kStatus; }
std::span<const ValueName> type_names() { return kTypes; }

}  // namespace quartet::iap
