#include "pdu_stream.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace quartet::analyzer {

Bytes PduStream::feed(Bytes data, TimeNs ts, PduHandler& h) {
  // Each step consumes bytes or changes mode; `fresh_` marks buffered bytes that
  // the new mode has not looked at yet, so they are handled before returning.
  for (;;) {
    switch (mode_) {
      case Mode::Stopped: return {};
      case Mode::Handed: return data;
      case Mode::Skip: {
        const auto n = static_cast<size_t>(std::min<uint64_t>(data.size(), skip_));
        data = data.subspan(n);
        skip_ -= n;
        if (skip_ > 0) return {};
        mode_ = Mode::Frame;
        break;
      }
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
    clear_buffer();
    if (!append(data)) give_up(data.size(), ts, h);
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
  if (!append(data.first(take))) {
    const bool known = need_ > 0;
    give_up(buffered() + take, ts, h);
    return known ? data.subspan(take) : data;  // a known PDU's bytes here are passed over
  }
  data = data.subspan(take);

  while (buffered() > 0) {
    const Bytes b(buf_.data() + start_, buffered());
    const FrameResult r = p_->frame(b);
    if (r.status == FrameResult::Status::Invalid || (r.status == FrameResult::Status::Complete && r.length == 0)) {
      invalid(r.status == FrameResult::Status::Invalid ? r.reason : "framer reported an empty PDU", r.length, ts, h);
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
  if (!p_->resync) {  // only after a gap: invalid() stops such a protocol at once
    h.on_stream_warning("no PDU start found after the gap; decoding of this direction stopped", ts);
    mode_ = Mode::Stopped;
    clear_buffer();
    return {};
  }
  buf_.insert(buf_.end(), data.begin(), data.end());
  recount();
  for (;;) {
    const Bytes b(buf_.data() + start_, buffered());
    const std::optional<size_t> at = p_->resync(b, from_);
    if (!at) {
      // None yet: drop all but the last byte (the hook looks at it to tell whether
      // the next byte starts a line) and wait for more.
      if (b.size() > 1) {
        skipped_ += b.size() - 1;
        start_ += b.size() - 1;
      }
      from_ = b.empty() ? 0 : 1;
      compact();
      return {};
    }
    skipped_ += *at;
    start_ += *at;
    from_ = 0;
    const Probe pr = p_->probe(Bytes(buf_.data() + start_, buffered()));
    if (pr == Probe::NeedMore && buffered() < kMaxProbeBytes) {
      compact();
      return {};  // a candidate too short to judge: wait for more
    }
    if (pr == Probe::No || pr == Probe::NeedMore) {
      from_ = 1;  // judged and refused: look further
      continue;
    }
    if (skipped_ > 0) h.on_stream_warning("resynchronised after skipping " + std::to_string(skipped_) + " bytes", ts);
    skipped_ = 0;
    mode_ = Mode::Frame;
    need_ = 0;
    fresh_ = true;
    compact();
    return {};
  }
}

// The PDU cannot be held within the budget: said, and its buffer given back. When its
// length is known the rest of it is passed over and the next PDU framed as usual;
// otherwise (a length only its end tells) the stream resynchronises, as after invalid bytes.
void PduStream::give_up(uint64_t arrived, TimeNs ts, PduHandler& h) {
  std::string what =
      std::string(p_->short_name) + " message of " +
      (need_ ? std::to_string(need_) + " bytes" : "unknown length (" + std::to_string(arrived) + " bytes so far)") +
      " not decoded: the partial messages held in memory reach their budget of " +
      (budget_->limit >= (size_t{1} << 20) ? std::to_string(budget_->limit >> 20) + " MiB"
                                           : std::to_string(budget_->limit >> 10) + " KiB");
  clear_buffer();
  if (need_ == 0) {
    resync_or_stop(std::move(what), ts, h);
    return;
  }
  skip_ = need_ > arrived ? need_ - arrived : 0;
  need_ = 0;
  if (skip_ > 0) {
    mode_ = Mode::Skip;
    what += "; skipping its other " + std::to_string(skip_) + " bytes";
  }
  h.on_stream_warning(std::move(what), ts);
}

void PduStream::invalid(std::string_view reason, uint64_t declared, TimeNs ts, PduHandler& h) {
  std::string text = "invalid PDU: ";
  text += reason.empty() ? std::string_view("framer rejected the bytes") : reason;
  if (declared) text += " (declared length " + std::to_string(declared) + ")";
  resync_or_stop(std::move(text), ts, h);
}

// After bytes that are no PDU: look for the next PDU start where the protocol can say
// where one is, else stop decoding the direction. `text` says why; what follows is added.
void PduStream::resync_or_stop(std::string text, TimeNs ts, PduHandler& h) {
  need_ = 0;
  if (p_->resync) {
    text += p_->line_oriented ? "; skipping to the next line" : "; looking for the next message";
    mode_ = Mode::Resync;
    from_ = 1;  // the bytes that failed here are no PDU start
    skipped_ = 0;
    fresh_ = buffered() > 0;
  } else {
    text += "; decoding of this direction stopped";
    mode_ = Mode::Stopped;
    clear_buffer();
  }
  h.on_stream_warning(std::move(text), ts);
}

void PduStream::gap(TimeNs ts, PduHandler& h) {
  if (mode_ == Mode::Stopped || mode_ == Mode::Handed) return;
  if (mode_ == Mode::Frame && buffered() > 0)
    h.on_stream_warning("partial PDU of " + std::to_string(buffered()) + " bytes dropped at the gap", ts);
  clear_buffer();
  need_ = 0;
  mode_ = Mode::Resync;
  // A gap often ends on a segment, and so PDU, boundary: try there before skipping.
  from_ = 0;
  skipped_ = 0;
  fresh_ = false;
}

std::string PduStream::unfinished_pdu(std::string_view ended_by) const {
  if (mode_ != Mode::Frame || buffered() == 0) return {};
  std::string text = std::string(p_->short_name) + " message cut short by " + std::string(ended_by) + ": " +
                     std::to_string(buffered());
  if (need_ > buffered()) return text + " of " + std::to_string(need_) + " bytes";
  return text + (buffered() == 1 ? " byte" : " bytes") + ", its end not seen";
}

std::vector<std::byte> PduStream::take_buffered() {
  std::vector<std::byte> rest(buf_.begin() + static_cast<ptrdiff_t>(start_), buf_.end());
  clear_buffer();
  return rest;
}

// Room for a partial PDU: its declared length once kTrustedLengthBytes of it are
// here (one allocation for the rest of a large message), before that only what
// arrives, doubling. Not beyond the budget: false then, nothing appended.
bool PduStream::append(Bytes data) {
  const size_t total = buf_.size() + data.size();
  if (total > buf_.capacity()) {
    const uint64_t pdu_end = start_ + need_;
    const bool whole = need_ > 0 && buffered() + data.size() >= kTrustedLengthBytes && pdu_end >= total;
    size_t room = whole ? static_cast<size_t>(pdu_end) : std::max(total, 2 * buf_.capacity());
    if (budget_) {
      // Near the limit: all that is left, once (not a reallocation per segment).
      room = budget_->grant(counted_.bytes, total, room);
      if (room == 0) return false;
      counted_.bytes = room;
    }
    buf_.reserve(room);
    recount();  // the buffer's real size
  }
  buf_.insert(buf_.end(), data.begin(), data.end());
  return true;
}

void PduStream::clear_buffer() {
  buf_.clear();
  start_ = 0;
  if (buf_.capacity() > kKeptBufferBytes) {
    std::vector<std::byte>().swap(buf_);  // a large PDU's room
    recount();
  }
}

void PduStream::recount() {
  if (!budget_ || buf_.capacity() == counted_.bytes) return;
  budget_->adjust(counted_.bytes, buf_.capacity());
  counted_.bytes = buf_.capacity();
}

void PduStream::release_budget() {
  if (budget_) budget_->adjust(counted_.bytes, 0);
  counted_.bytes = 0;
}

void PduStream::compact() {
  if (start_ == buf_.size()) {
    clear_buffer();
  } else if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(start_));
    start_ = 0;
  }
}

}  // namespace quartet::analyzer
