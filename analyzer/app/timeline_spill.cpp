#include "timeline_spill.hpp"

#include "leb128.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace quartet::analyzer {
namespace {

// A new member in one of these must be written and read below too.
static_assert(sizeof(MessageOut) == 136 && sizeof(EventOut) == 64 && sizeof(Problem) == 64,
              "timeline_spill.cpp: a timeline struct changed; update put()/get() for its members");

enum : uint8_t { kMessage = 1, kEvent = 2 };
// Each entry is framed by its length (4 bytes, little-endian), so that a segment is
// read back a chunk at a time, whole entries parsed from each.
constexpr size_t kLengthBytes = 4;
// Each segment starts with the offset of the session's previous segment (8 bytes)
// and the size of its body (4 bytes), little-endian.
constexpr size_t kHeaderBytes = 12;

void put_le(char* p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
uint64_t get_le(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

void put_u64(OutBuf& b, uint64_t v) { b.commit_to(leb128::put(b.room(leb128::kMaxBytes), v)); }
void put_str(OutBuf& b, std::string_view s) {
  put_u64(b, s.size());
  b += s;
}
void put_side(OutBuf& b, std::optional<Side> s) { b += static_cast<char>(s ? 1 + static_cast<int>(*s) : 0); }

void put(OutBuf& b, const MessageOut& m) {
  b += static_cast<char>(kMessage);
  put_u64(b, m.index);
  put_u64(b, static_cast<uint64_t>(m.ts));
  put_side(b, m.from);
  put_u64(b, m.length);
  put_str(b, m.name());
  put_str(b, m.summary());
  put_str(b, m.kind());
  b += static_cast<char>((m.is_request ? 1 : 0) | (m.is_response ? 2 : 0) | (m.announces_publisher ? 4 : 0) |
                         (m.response_to ? 8 : 0) | (m.latency ? 16 : 0));
  if (m.response_to) put_u64(b, *m.response_to);
  if (m.latency) put_u64(b, static_cast<uint64_t>(*m.latency));
  put_str(b, m.fields_json());
  put_u64(b, m.problems.size());
  for (const Problem& p : m.problems) {
    b += static_cast<char>(p.kind);
    put_u64(b, p.offset);
    put_u64(b, p.length);
    put_str(b, p.text);
    // The id views a ProblemDef table of this process, which outlives the spill file.
    put_u64(b, reinterpret_cast<uintptr_t>(p.id.data()));
    put_u64(b, p.id.size());
  }
}

void put(OutBuf& b, const EventOut& e) {
  b += static_cast<char>(kEvent);
  put_u64(b, static_cast<uint64_t>(e.ts));
  b += static_cast<char>(e.kind);
  put_side(b, e.from);
  put_str(b, e.text.view());
}

// An entry framed by its length.
template <typename Item>
void put_framed(OutBuf& b, const Item& item) {
  const size_t at = b.size();
  b.append(kLengthBytes, '\0');
  put(b, item);
  put_le(b.data() + at, b.size() - at - kLengthBytes, kLengthBytes);
}

class Reader {
 public:
  explicit Reader(std::string_view b) : p_(b.data()), end_(b.data() + b.size()) {}
  bool done() const { return p_ >= end_; }
  uint8_t u8() {
    need(1);
    return static_cast<uint8_t>(*p_++);
  }
  uint64_t u64() {
    uint64_t v = 0;
    const char* at = p_;
    if (leb128::get(p_, end_, v)) return v;
    throw std::runtime_error(p_ - at >= leb128::kMaxBytes ? "timeline spill file: bad number"
                                                          : "timeline spill file: cut short");
  }
  void str(std::string& to) { to.assign(view()); }
  // Valid as long as the buffer read from.
  std::string_view view() {
    const uint64_t n = u64();
    need(n);
    std::string_view s(p_, static_cast<size_t>(n));
    p_ += n;
    return s;
  }
  std::optional<Side> side() {
    const uint8_t s = u8();
    if (s == 0) return std::nullopt;
    return static_cast<Side>(s - 1);
  }

 private:
  void need(uint64_t n) {
    if (static_cast<uint64_t>(end_ - p_) < n) throw std::runtime_error("timeline spill file: cut short");
  }
  const char* p_;
  const char* end_;
};

// The entry is read into `m` (or `e`) in place: streaming a timeline reuses one
// entry's strings from entry to entry instead of allocating them anew.
void get_message(Reader& r, MessageOut& m) {
  m.index = r.u64();
  m.ts = static_cast<TimeNs>(r.u64());
  m.from = r.side().value_or(Side::Client);
  m.length = r.u64();
  const std::string_view name = r.view(), summary = r.view(), kind = r.view();
  const uint8_t flags = r.u8();
  m.is_request = flags & 1;
  m.is_response = flags & 2;
  m.announces_publisher = flags & 4;
  m.response_to.reset();
  m.latency.reset();
  if (flags & 8) m.response_to = r.u64();
  if (flags & 16) m.latency = static_cast<TimeNs>(r.u64());
  m.set_text(name, summary, kind, r.view());
  m.problems.resize(static_cast<size_t>(r.u64()));
  for (Problem& p : m.problems) {
    p.kind = static_cast<ProblemKind>(r.u8());
    p.offset = static_cast<uint32_t>(r.u64());
    p.length = static_cast<uint32_t>(r.u64());
    r.str(p.text);
    const auto* id = reinterpret_cast<const char*>(static_cast<uintptr_t>(r.u64()));
    p.id = std::string_view(id, static_cast<size_t>(r.u64()));
  }
}

void get_event(Reader& r, EventOut& e) {
  e.ts = static_cast<TimeNs>(r.u64());
  e.kind = static_cast<EntryKind>(r.u8());
  e.from = r.side();
  r.str(e.text.owned());
}

// One framed entry's body into `e`.
void get_entry(std::string_view body, Entry& e) {
  Reader r(body);
  const uint8_t tag = r.u8();
  if (tag == kMessage) {
    if (!std::holds_alternative<MessageOut>(e)) e.emplace<MessageOut>();
    get_message(r, std::get<MessageOut>(e));
  } else if (tag == kEvent) {
    if (!std::holds_alternative<EventOut>(e)) e.emplace<EventOut>();
    get_event(r, std::get<EventOut>(e));
  } else {
    throw std::runtime_error("timeline spill file: bad entry");
  }
  if (!r.done()) throw std::runtime_error("timeline spill file: bad entry length");
}

}  // namespace

bool pread_all(int fd, char* to, size_t n, uint64_t offset) {
  while (n) {
    const ssize_t got = ::pread(fd, to, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    to += got;
    n -= static_cast<size_t>(got);
    offset += static_cast<uint64_t>(got);
  }
  return true;
}

bool pwrite_all(int fd, const char* from, size_t n, uint64_t offset) {
  while (n) {
    const ssize_t put = ::pwrite(fd, from, n, static_cast<off_t>(offset));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    from += put;
    n -= static_cast<size_t>(put);
    offset += static_cast<uint64_t>(put);
  }
  return true;
}

ScratchFile& ScratchFile::operator=(ScratchFile&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

ScratchFile::~ScratchFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool ScratchFile::open() {
  if (fd_ >= 0) return true;
  std::vector<std::string> folders;
  if (const char* dir = std::getenv("TMPDIR"); dir && *dir) folders.emplace_back(dir);
  folders.emplace_back("/tmp");
  for (const std::string& dir : folders) {
    // Nameless from the start where the file system can (O_TMPFILE); else a name
    // taken and removed at once.
    fd_ = ::open(dir.c_str(), O_RDWR | O_EXCL | O_TMPFILE | O_CLOEXEC, 0600);
    if (fd_ >= 0) return true;
    std::string path = dir + "/quartet-XXXXXX";
    fd_ = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd_ >= 0) {
      ::unlink(path.c_str());
      return true;
    }
  }
  return false;
}

void ScratchFile::empty() {
  if (fd_ >= 0 && ::ftruncate(fd_, 0) != 0) {
    // The space then comes back when the file is closed.
  }
}

bool TimelineSpill::begin_segment(SpillChain& chain, size_t& start) {
  if (failed_) return false;
  if (!file_.open()) {
    failed_ = true;
    return false;
  }
  // (Not expected: the entries a session holds in memory at once are far from this.)
  if (chain.segments == UINT32_MAX) return false;
  start = pending_.size();
  pending_.append(kHeaderBytes, '\0');
  return true;
}

bool TimelineSpill::end_segment(size_t start, SpillChain& chain) {
  const uint64_t size = pending_.size() - start;
  if (size - kHeaderBytes > UINT32_MAX) {
    pending_.truncate(start);
    return false;
  }
  put_le(pending_.data() + start, chain.segments ? chain.last : 0, 8);
  put_le(pending_.data() + start + 8, size - kHeaderBytes, 4);
  chain.last = end_;
  ++chain.segments;
  end_ += size;
  return true;
}

void TimelineSpill::pack(OutBuf& body, const MessageOut& m) { put_framed(body, m); }
void TimelineSpill::pack(OutBuf& body, const EventOut& e) { put_framed(body, e); }

bool TimelineSpill::write(std::vector<Entry>& entries, SpillChain& chain) {
  size_t start = 0;
  if (!begin_segment(chain, start)) return false;
  for (const Entry& e : entries) std::visit([this](const auto& item) { pack(pending_, item); }, e);
  if (!end_segment(start, chain)) return false;
  recycle(entries);
  if (pending_.size() >= write_chunk_) flush();
  return true;
}

bool TimelineSpill::write_packed(OutBuf& body, SpillChain& chain) {
  size_t start = 0;
  if (!begin_segment(chain, start)) return false;
  pending_ += body.view();
  if (!end_segment(start, chain)) return false;
  body.clear();
  if (pending_.size() >= write_chunk_) flush();
  return true;
}

void TimelineSpill::unpack(std::string_view body, std::vector<Entry>& out) {
  while (!body.empty()) {
    if (body.size() < kLengthBytes) throw std::runtime_error("timeline spill file: cut short");
    const size_t n = static_cast<size_t>(get_le(body.data(), kLengthBytes));
    if (body.size() - kLengthBytes < n) throw std::runtime_error("timeline spill file: cut short");
    get_entry(body.substr(kLengthBytes, n), out.emplace_back());
    body.remove_prefix(kLengthBytes + n);
  }
}

void TimelineSpill::discard() {
  pending_.clear();
  // Offsets keep growing (a later chain starts past the hole), so no offset of the
  // discarded chains is ever given out again.
  written_.store(end_, std::memory_order_relaxed);
  file_.empty();
}

void TimelineSpill::flush() {
  const uint64_t at = written_.load(std::memory_order_relaxed);
  if (!pwrite_all(file_.fd(), pending_.data(), pending_.size(), at)) {
    failed_ = true;  // disk full: what pending_ holds stays there, the rest is held in memory
    return;
  }
  written_.store(at + pending_.size(), std::memory_order_relaxed);
  pending_.clear();
  if (pending_.capacity() > 2 * write_chunk_) pending_ = OutBuf();  // what one very large segment grew
}

void TimelineSpill::read_at(char* to, size_t n, uint64_t offset) const {
  const uint64_t written = written_.load(std::memory_order_relaxed);
  if (offset >= written) {
    if (offset - written > pending_.size() || n > pending_.size() - (offset - written))
      throw std::runtime_error("timeline spill file: read error");
    std::memcpy(to, pending_.data() + (offset - written), n);
  } else if (!pread_all(file_.fd(), to, n, offset)) {
    throw std::runtime_error("timeline spill file: read error");
  }
}

std::vector<Entry> TimelineSpill::take_entries() {
  std::vector<Entry> v;
  if (!timelines_.empty()) {
    v = std::move(timelines_.back());
    timelines_.pop_back();
  } else {
    v.reserve(kNewTimelineEntries);
  }
  return v;
}

void TimelineSpill::recycle(std::vector<Entry>& entries) {
  for (Entry& e : entries)
    if (auto* m = std::get_if<MessageOut>(&e)) recycle_text(m->release_text());
  entries.clear();
  // Only short timelines' vectors: a long one's would hold its memory for nothing.
  if (entries.capacity() && entries.capacity() <= kPooledTimelineEntries && timelines_.size() < pooled_timelines_)
    timelines_.push_back(std::move(entries));
  std::vector<Entry>().swap(entries);
}

void TimelineSpill::recycle_text(std::string&& s) {
  if (texts_.size() < pooled_texts_ && s.capacity() > 15 && s.capacity() <= kPooledTextBytes)  // 15: inline
    texts_.push_back(std::move(s));
}

void TimelineSpill::stream(const SpillChain& chain, absl::FunctionRef<void(const Entry&)> fn) const {
  if (chain.empty()) return;
  if (file_.fd() < 0) throw std::runtime_error("timeline spill file: read error");  // nothing was ever written
  // The list of segments and one read buffer for all of them, kept by the thread
  // from call to call: a written session's spilled part is streamed back a few
  // times (statistics, then the writer), and a new 64 KiB block each time was most
  // of a long-session run's allocations. A call made from `fn` (none is today)
  // gets its own.
  struct Scratch {
    std::vector<Segment> bodies;
    ReadBuffer buf;
  };
  thread_local Scratch kept;
  thread_local bool kept_in_use = false;
  Scratch own;
  const bool use_kept = !kept_in_use;
  Scratch& scratch = use_kept ? kept : own;
  struct Release {
    bool active;
    ~Release() {
      if (!active) return;
      kept_in_use = false;
      if (kept.buf.size > 4 * kReadChunk) kept.buf = {};  // what one exceptionally large entry grew
      if (kept.bodies.capacity() > 4096) std::vector<Segment>().swap(kept.bodies);
    }
  } release{use_kept};
  kept_in_use = true;
  // The segments' bodies, found from the last one back to the first.
  std::vector<Segment>& bodies = scratch.bodies;
  bodies.assign(chain.segments, Segment{});
  uint64_t at = chain.last;
  for (size_t i = bodies.size(); i-- > 0;) {
    char h[kHeaderBytes];
    read_at(h, sizeof h, at);
    bodies[i] = {at + kHeaderBytes, get_le(h + 8, 4)};
    at = get_le(h, 8);
  }
  for (const Segment& body : bodies) stream_body(body, scratch.buf, fn);
}

void TimelineSpill::stream_body(const Segment& body, ReadBuffer& buf, absl::FunctionRef<void(const Entry&)> fn) const {
  size_t pos = 0, end = 0;                        // [pos, end) of buf: read, not parsed yet
  uint64_t next = body.offset, left = body.size;  // what is not read yet
  // At least `need` unparsed bytes in `buf`.
  auto fill = [&](size_t need) {
    const size_t have = end - pos;
    if (have >= need) return;
    if (need - have > left) throw std::runtime_error("timeline spill file: cut short");
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, std::max(need - have, kReadChunk)));
    if (have + n > buf.size) {  // the first read, or an entry larger than a chunk
      const size_t size = std::max(have + n, kReadChunk);
      auto bigger = std::make_unique_for_overwrite<char[]>(size);
      if (have) std::memcpy(bigger.get(), buf.data.get() + pos, have);
      buf.data = std::move(bigger);
      buf.size = size;
    } else if (have) {
      std::memmove(buf.data.get(), buf.data.get() + pos, have);
    }
    pos = 0;
    end = have;
    read_at(buf.data.get() + end, n, next);
    end += n;
    next += n;
    left -= n;
  };
  Entry e;
  while (left || pos < end) {
    fill(kLengthBytes);
    const size_t n = static_cast<size_t>(get_le(buf.data.get() + pos, kLengthBytes));
    fill(kLengthBytes + n);
    get_entry(std::string_view(buf.data.get() + pos + kLengthBytes, n), e);
    pos += kLengthBytes + n;
    fn(e);
  }
}

void TimelineSpill::read(const SpillChain& chain, std::vector<Entry>& out) {
  stream(chain, [&out](const Entry& e) { out.push_back(e); });
}

void for_each_entry(const SessionOut& s, absl::FunctionRef<void(const Entry&)> fn) {
  if (!s.spilled.empty()) {
    if (!s.spill) throw std::logic_error("timeline: spilled entries without their file");
    s.spill->stream(s.spilled, fn);
  }
  for (const Entry& e : s.entries) fn(e);
}

}  // namespace quartet::analyzer
