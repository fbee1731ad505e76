#include "pdu_stream.hpp"

#include <algorithm>
#include <cstring>

namespace quartet::analyzer {

Bytes PduStream::feed(Bytes data, TimeNs ts, PduHandler& h) {
  // Each step consumes bytes or changes mode; `fresh_` marks buffered bytes that
  // the new mode has not looked at yet, so they are handled before returning.
  for (;;) {
    switch (mode_) {
      case Mode::Stopped: return {};
      case Mode::Handed: return data;
      case Mode::Resync:
        if (data.empty() && !fresh_) return {};
        data = resync(data, ts, h);
        break;
      case Mode::Frame:
        if (buffered() > 0) {
          if (data.empty() && !fresh_) return {};
          data = frame_buffered(data, ts, h);
        } else {
          if (data.empty()) return {};
          data = frame_chunk(data, ts, h);
        }
        break;
    }
  }
}

Bytes PduStream::frame_chunk(Bytes data, TimeNs ts, PduHandler& h) {
  while (!data.empty()) {
    const FrameResult r = p_->frame(data);
    if (r.status == FrameResult::Status::Invalid) {
      invalid(r.reason, r.length, ts, h);
      return data;
    }
    if (r.status == FrameResult::Status::Complete && r.length == 0) {
      invalid("framer reported an empty PDU", 0, ts, h);
      return data;
    }
    if (r.status == FrameResult::Status::Complete && r.length <= data.size()) {
      const Bytes pdu = data.first(r.length);
      data = data.subspan(r.length);
      if (!h.on_pdu(pdu, ts)) {
        mode_ = Mode::Handed;
        return data;
      }
      continue;
    }
    // Need more: keep the partial PDU (the only copy on the in-order path).
    if (r.length > kMaxPduBytes) {
      invalid("declared PDU length is implausible", r.length, ts, h);
      return data;
    }
    need_ = r.length;
    buf_.clear();
    start_ = 0;
    buf_.reserve(std::max<size_t>(need_, data.size()));
    buf_.insert(buf_.end(), data.begin(), data.end());
    return {};
  }
  return data;
}

Bytes PduStream::frame_buffered(Bytes data, TimeNs ts, PduHandler& h) {
  fresh_ = false;
  // Append only what the current PDU needs when its length is known, so that the
  // bytes after it can again be framed in place.
  size_t take = data.size();
  if (need_ > buffered()) take = std::min<uint64_t>(take, need_ - buffered());
  buf_.insert(buf_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
  data = data.subspan(take);

  while (buffered() > 0) {
    const Bytes b(buf_.data() + start_, buffered());
    const FrameResult r = p_->frame(b);
    if (r.status == FrameResult::Status::Invalid ||
        (r.status == FrameResult::Status::Complete && r.length == 0)) {
      invalid(r.status == FrameResult::Status::Invalid ? r.reason : "framer reported an empty PDU", r.length, ts,
              h);
      return data;
    }
    if (r.status == FrameResult::Status::Complete && r.length <= b.size()) {
      start_ += r.length;
      need_ = 0;
      if (!h.on_pdu(b.first(r.length), ts)) {
        mode_ = Mode::Handed;
        return data;
      }
      continue;
    }
    if (r.length > kMaxPduBytes) {
      invalid("declared PDU length is implausible", r.length, ts, h);
      return data;
    }
    if (r.length == 0 && buffered() > kMaxUnknownLength) {
      invalid("no PDU boundary within the buffer limit", 0, ts, h);
      return data;
    }
    need_ = r.length;
    break;
  }
  compact();
  return data;
}

Bytes PduStream::resync(Bytes data, TimeNs ts, PduHandler& h) {
  fresh_ = false;
  buf_.insert(buf_.end(), data.begin(), data.end());
  for (;;) {
    if (skip_line_) {
      const void* nl = std::memchr(buf_.data() + start_, '\n', buffered());
      if (!nl) {
        skipped_ += buffered();
        buf_.clear();
        start_ = 0;
        return {};
      }
      const size_t next = static_cast<size_t>(static_cast<const std::byte*>(nl) - buf_.data()) + 1;
      skipped_ += next - start_;
      start_ = next;
      skip_line_ = false;
    }
    if (buffered() == 0) {
      compact();
      return {};
    }
    Probe pr = p_->probe(Bytes(buf_.data() + start_, buffered()));
    if (pr == Probe::NeedMore && buffered() < kMaxProbeBytes) {
      compact();
      return {};
    }
    if (pr == Probe::Yes) {
      if (skipped_ > 0)
        h.on_stream_warning("resynchronised after skipping " + std::to_string(skipped_) + " bytes", ts);
      skipped_ = 0;
      mode_ = Mode::Frame;
      need_ = 0;
      fresh_ = true;
      compact();
      return {};
    }
    if (!text_) {
      h.on_stream_warning("no PDU start found after the gap; decoding of this direction stopped", ts);
      mode_ = Mode::Stopped;
      buf_.clear();
      start_ = 0;
      return {};
    }
    skip_line_ = true;
  }
}

void PduStream::invalid(std::string_view reason, uint64_t declared, TimeNs ts, PduHandler& h) {
  std::string text = "invalid PDU: ";
  text += reason.empty() ? std::string_view("framer rejected the bytes") : reason;
  if (declared) text += " (declared length " + std::to_string(declared) + ")";
  need_ = 0;
  if (text_) {
    text += "; skipping to the next line";
    mode_ = Mode::Resync;
    skip_line_ = true;
    skipped_ = 0;
    fresh_ = buffered() > 0;
  } else {
    text += "; decoding of this direction stopped";
    mode_ = Mode::Stopped;
    buf_.clear();
    start_ = 0;
  }
  h.on_stream_warning(std::move(text), ts);
}

void PduStream::gap(TimeNs ts, PduHandler& h) {
  if (mode_ == Mode::Stopped || mode_ == Mode::Handed) return;
  if (mode_ == Mode::Frame && buffered() > 0)
    h.on_stream_warning("partial PDU of " + std::to_string(buffered()) + " bytes dropped at the gap", ts);
  buf_.clear();
  start_ = 0;
  need_ = 0;
  mode_ = Mode::Resync;
  // A gap often ends on a segment, and so PDU, boundary: try there before skipping.
  skip_line_ = false;
  skipped_ = 0;
  fresh_ = false;
}

std::vector<std::byte> PduStream::take_buffered() {
  std::vector<std::byte> rest(buf_.begin() + static_cast<ptrdiff_t>(start_), buf_.end());
  buf_.clear();
  start_ = 0;
  return rest;
}

void PduStream::compact() {
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(start_));
    start_ = 0;
  }
}

}  // namespace quartet::analyzer
