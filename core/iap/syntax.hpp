// IAP message syntax shared by the framer and the decoder: line classes, the
// split of "IAP/0.3 item" and "Name: value" lines, and the layout of one message
// (where its header block ends, where the body starts, how long it is).
//
// Where the header block ends (the draft is inconsistent, 4.3.5 vs 4.4):
//  - a blank line ends it; the body (if any) starts after that line (BNF form);
//  - once a Content-Length header has been seen, the first line that is neither a
//    header nor an "IAP/x.y ..." line (binary bytes, XML, anything without
//    "token:") is the first line of the body (transcript form, 64 x 0xFF);
//  - Content-Length governs the body; the draft puts CRLF CRLF after the body in
//    both forms. Up to two line ends after the body belong to the message. When
//    the BNF reading finds no line end after the body but the transcript reading
//    (a body starting with CRLF) does, the transcript reading wins.
// Draft 4.2 also imports HTTP's Chunked-Body: with "Transfer-Encoding: chunked"
// and no Content-Length the body is a chunk sequence ending in the 0-size chunk
// and its trailer lines; line ends after it that are already there belong to it,
// but the framer does not wait for them (the last chunk ends the body by itself). With both headers,
// Content-Length governs (and the decoder reports the pair).
// A body that itself starts with "Name: value" text in the transcript form is
// indistinguishable from a header and is read as one; no real peer is known to
// send that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "../common/frame.hpp"

namespace quartet::iap {

// A header block that has not ended after this many bytes is not IAP: setup
// messages are a handful of short lines (even a long Via chain stays far below).
inline constexpr size_t kMaxHeaderBytes = 16 * 1024;

// The only version the draft describes (1.6).
inline constexpr std::string_view kDraftVersion = "IAP/0.3";

enum class LineKind : uint8_t {
  Blank,      // empty: ends the header block
  Versioned,  // "IAP/x.y ..." (every setup line in 4.3 and 4.4)
  Header,     // "Name: value" with a token name
  Text,       // printable but neither of the above
  Binary,     // holds control bytes: no text line at all
};

LineKind classify(std::string_view line);

// Could `partial` (a line whose end has not arrived) still become a Blank,
// Versioned or Header line?
bool could_be_header_line(std::string_view partial);

struct VersionedLine {
  std::string_view version;  // "IAP/0.3"
  std::string_view item;     // what follows the space: "CONNECT x", "200", "Via: P"
};
// Precondition: classify(line) == Versioned.
VersionedLine split_version(std::string_view line);

// "IAP/<digits>.<digits>".
bool well_formed_version(std::string_view v);

struct HeaderLine {
  std::string_view name;
  std::string_view value;  // trimmed
};
std::optional<HeaderLine> split_header(std::string_view s);

// Decimal Content-Length value.
struct LengthValue {
  enum class Status : uint8_t { Ok, Empty, Negative, NotDecimal, Overflow } status;
  uint64_t value = 0;  // Overflow: UINT64_MAX
};
LengthValue parse_length(std::string_view v);

// True when the last transfer-coding of a Transfer-Encoding value is "chunked".
bool is_chunked(std::string_view transfer_encoding);

// One chunk of an HTTP/1.1 Chunked-Body (RFC 2616 3.6.1) starting at `pos`.
struct Chunk {
  FrameResult::Status status = FrameResult::Status::NeedMore;
  size_t start = 0;         // of the chunk-size line
  size_t data = 0;          // first data byte
  uint64_t size = 0;        // chunk-size (Invalid: the declared size when that is wrong)
  size_t end = 0;           // after the data's line end; last chunk: after its trailer
  bool last = false;        // the 0-size last-chunk
  uint64_t need_total = 0;  // NeedMore: a lower bound of the bytes the body needs, or 0
  std::string_view reason;  // Invalid: why
};
Chunk next_chunk(std::string_view buf, size_t pos);

struct Layout {
  FrameResult::Status status = FrameResult::Status::NeedMore;
  size_t start = 0;              // after stray blank lines before the message
  size_t header_end = 0;         // end of the last header line read (terminator included)
  size_t body_start = 0;         // where the body starts (== length without Content-Length)
  bool blank_separator = false;  // the BNF form: a blank line ends the headers
  std::optional<uint64_t> content_length;
  bool chunked = false;  // Transfer-Encoding: chunked governs the body
  size_t body_end = 0;   // Complete: end of the body
  size_t trailer = 0;    // line-end bytes after the body
  unsigned trailer_lines = 0;
  // Complete: the message length. NeedMore: the total needed when known, else 0.
  // Invalid: the declared Content-Length when that is what is wrong, else 0.
  uint64_t length = 0;
  std::string_view reason;  // Invalid: why
};

// `whole`: buf is one complete PDU as the framer cut it (the decoder's case), so
// its end also ends the line ends after the body.
Layout scan(std::string_view buf, bool whole = false);

}  // namespace quartet::iap
