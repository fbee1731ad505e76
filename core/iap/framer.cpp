// IAP framer and heuristic: both read the message layout from syntax.hpp.
#include "framer.hpp"

#include "../common/lines.hpp"
#include "syntax.hpp"

namespace quartet::iap {

FrameResult frame(Bytes prefix) {
  Layout l = scan(as_text(prefix));
  switch (l.status) {
    case FrameResult::Status::Complete: return FrameResult::complete(l.length);
    case FrameResult::Status::Invalid: return FrameResult::invalid(l.reason, l.length);
    case FrameResult::Status::NeedMore: break;
  }
  return FrameResult::need(l.length);
}

// Every setup message and response starts with the version (4.3); a content
// message starts with one of its two headers (4.3.5). Anything else is not IAP.
Probe probe(Bytes first_bytes) {
  std::string_view s = as_text(first_bytes);
  for (std::string_view start :
       {std::string_view("IAP/"), std::string_view("Content-Type:"), std::string_view("Content-Length:")}) {
    size_t n = std::min(s.size(), start.size());
    if (!iequals(s.substr(0, n), start.substr(0, n))) continue;
    if (n < start.size()) return Probe::NeedMore;
    if (start != "IAP/") return Probe::Yes;
    // "IAP/" then a digit: the version number (1.6).
    if (s.size() == n) return Probe::NeedMore;
    return s[n] >= '0' && s[n] <= '9' ? Probe::Yes : Probe::No;
  }
  return Probe::No;
}

}  // namespace quartet::iap
