#include "net/capture_stream.hpp"

#include <poll.h>
#include <stdio_ext.h>  // __fsetlocking
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace quartet::analyzer::net {
namespace {

constexpr size_t kInputChunk = 64 * 1024;
constexpr size_t kStreamBuffer = 256 * 1024;
constexpr size_t kReplayLimit = 4u << 20;  // bytes of a stream read once kept for a replay

// State behind one cookie stream: the raw file, an input buffer and the
// decompressor. The first bytes are read into the input buffer before the kind
// is chosen, so standard input can be sniffed without seeking.
struct Source {
  FILE* raw = nullptr;
  bool owns_raw = true;
  Compression kind = Compression::None;
  std::shared_ptr<StreamProgress> progress;
  std::vector<unsigned char> in = std::vector<unsigned char>(kInputChunk);
  size_t in_pos = 0, in_len = 0;
  bool raw_eof = false;
  z_stream zs{};
  bool zs_init = false;
  bool member_done = false;  // a gzip member or zstd frame just ended cleanly
  ZSTD_DStream* zds = nullptr;
  bool failed = false;
  bool record = false;       // keep what is served, for reopen_from_start
  bool replay_lost = false;  // more than kReplayLimit was served
  std::vector<char> replay;
  uint64_t served = 0;          // decompressed bytes handed out so far
  unsigned char head[24] = {};  // the first 24 of them as read (a pcap file header)
  std::unique_ptr<PcapngSecretsSniffer> secrets;
  std::unique_ptr<char[]> stream_buffer;  // the cookie stream's buffer (see open_capture_stream)
  // A regular file is read with fread, 256 KiB at a time. Anything else (standard
  // input, a pipe, a FIFO) is a stream: read_stream.
  size_t read_limit = kInputChunk;
  bool stream = false;

  ~Source() {
    if (zs_init) inflateEnd(&zs);
    if (zds) ZSTD_freeDStream(zds);
    if (raw && owns_raw) std::fclose(raw);
  }

  // Up to `n` bytes of the raw file into `to`, counted for the progress; 0 at its
  // end (a read error is reported then) or once the run is stopped (LiveInput::stop).
  size_t read_raw(char* to, size_t n) {
    if (progress->live.stopped()) {
      raw_eof = true;
      return 0;
    }
    const size_t got = stream ? read_stream(to, n) : std::fread(to, 1, n, raw);
    progress->raw_bytes += got;
    if (got == 0) {
      raw_eof = true;
      if (!stream && std::ferror(raw)) fail(std::string("read error: ") + std::strerror(errno));
    }
    return got;
  }
  // What a stream has, at least a byte: fread would wait for all `n`, and hold a
  // live capture's packets back until that many more came. While nothing comes the
  // reader says so once (LiveInput::on_idle) and looks for a stop ten times a second
  // (the signal may have gone to another thread). Never through the FILE's buffer:
  // every read of a stream goes through here.
  size_t read_stream(char* to, size_t n) {
    const int fd = fileno(raw);
    bool told = false;
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      const int ready = poll(&p, 1, told ? 100 : LiveInput::kIdleWaitMs);
      if (progress->live.stopped()) return 0;
      if (ready < 0 && errno != EINTR) {
        fail(std::string("read error: ") + std::strerror(errno));
        return 0;
      }
      if (ready > 0) {
        const ssize_t got = ::read(fd, to, n);
        if (got >= 0) return static_cast<size_t>(got);
        if (errno == EINTR || errno == EAGAIN) continue;
        fail(std::string("read error: ") + std::strerror(errno));
        return 0;
      }
      if (ready == 0 && !told) {
        told = true;
        if (progress->live.on_idle) progress->live.on_idle();
      }
    }
  }
  // Reads more raw bytes once the buffer is used up. False at end of file.
  bool refill() {
    if (in_pos < in_len) return true;
    if (raw_eof) return false;
    in_pos = 0;
    in_len = read_raw(reinterpret_cast<char*>(in.data()), in.size());
    return in_len != 0;
  }
  // Fills the buffer until it holds `n` bytes or the file ends (for sniffing).
  void fill_at_least(size_t n) {
    while (in_len < n && !raw_eof) in_len += read_raw(reinterpret_cast<char*>(in.data() + in_len), n - in_len);
  }
  void fail(std::string why) {
    failed = true;
    if (progress->error.empty()) progress->error = std::move(why);
  }
  // End of the compressed input: clean only after a complete member/frame.
  ssize_t end_of_input() {
    if (!member_done && !failed) fail(kind == Compression::Gzip ? "gzip data cut short" : "zstd data cut short");
    return 0;
  }

  // What sniffing buffered is served first; after that the file is read straight
  // into the caller's (the cookie stream's) buffer, without a copy in between.
  ssize_t read_plain(char* out, size_t size) {
    if (in_pos == in_len) return raw_eof ? 0 : static_cast<ssize_t>(read_raw(out, std::min(size, read_limit)));
    size_t n = std::min(size, in_len - in_pos);
    std::memcpy(out, in.data() + in_pos, n);
    in_pos += n;
    return static_cast<ssize_t>(n);
  }

  // Each read decompresses until it has produced some output. The decoder is
  // called even without new input, since it may still hold pending output.
  ssize_t read_gzip(char* out, size_t size) {
    auto* const start = reinterpret_cast<Bytef*>(out);
    zs.next_out = start;
    zs.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
    for (;;) {
      if (failed) return -1;
      const bool have_input = refill();
      if (!have_input && member_done) return 0;
      if (have_input && member_done) {  // another gzip member follows (concatenated files)
        inflateReset(&zs);
        member_done = false;
      }
      zs.next_in = in.data() + in_pos;
      zs.avail_in = static_cast<uInt>(in_len - in_pos);
      const int rc = inflate(&zs, Z_NO_FLUSH);
      in_pos = in_len - zs.avail_in;
      if (rc == Z_STREAM_END) {
        member_done = true;
      } else if (rc == Z_BUF_ERROR) {
        if (!have_input && zs.next_out == start) return end_of_input();
      } else if (rc != Z_OK) {
        fail(std::string("corrupt gzip data: ") + (zs.msg ? zs.msg : "inflate error"));
        errno = EIO;
        return -1;
      }
      if (zs.next_out != start) return zs.next_out - start;
      if (!have_input) return end_of_input();
    }
  }

  ssize_t read_zstd(char* out, size_t size) {
    ZSTD_outBuffer ob{out, size, 0};
    for (;;) {
      if (failed) return -1;
      const bool have_input = refill();
      if (!have_input && member_done) return 0;
      ZSTD_inBuffer ib{in.data(), in_len, in_pos};
      const size_t rc = ZSTD_decompressStream(zds, &ob, &ib);
      in_pos = ib.pos;
      if (ZSTD_isError(rc)) {
        fail(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
        errno = EIO;
        return -1;
      }
      member_done = (rc == 0);  // 0: a frame is complete and fully flushed
      if (ob.pos > 0) return static_cast<ssize_t>(ob.pos);
      if (!have_input && !member_done) return end_of_input();
    }
  }
};

// The timestamp resolution a classic pcap magic says: 6 (microseconds) or 9
// (nanoseconds), in either byte order; 0 for anything else.
int classic_pcap_resolution(const unsigned char* m) {
  static constexpr unsigned char kMagics[4][4] = {{0xd4, 0xc3, 0xb2, 0xa1},
                                                  {0xa1, 0xb2, 0xc3, 0xd4},  // microseconds, LE / BE
                                                  {0x4d, 0x3c, 0xb2, 0xa1},
                                                  {0xa1, 0xb2, 0x3c, 0x4d}};  // nanoseconds
  for (size_t i = 0; i < 4; ++i)
    if (std::memcmp(m, kMagics[i], 4) == 0) return i < 2 ? 6 : 9;
  return 0;
}

// Classic pcap: the header's snaplen field (bytes 16-19) is served as 0, which
// libpcap reads as "the link type's maximum", so records longer than the declared
// snaplen (scapy writes such files) are read whole, as Wireshark reads them. The
// declared value is kept in StreamProgress for the warning.
void lift_pcap_snaplen(Source* s, char* buf, size_t n) {
  for (size_t i = 0; i < n && s->served + i < sizeof s->head; ++i) {
    const size_t off = static_cast<size_t>(s->served + i);
    s->head[off] = static_cast<unsigned char>(buf[i]);
    if (off >= 16 && off < 20 && classic_pcap_resolution(s->head)) buf[i] = 0;
    if (off == 19 && classic_pcap_resolution(s->head)) {
      const unsigned char* v = s->head + 16;
      const bool big_endian = s->head[0] == 0xa1;
      s->progress->classic_pcap = true;
      s->progress->microsecond_pcap = classic_pcap_resolution(s->head) == 6;
      s->progress->pcap_header_snaplen =
          big_endian ? (uint32_t{v[0]} << 24 | uint32_t{v[1]} << 16 | uint32_t{v[2]} << 8 | v[3])
                     : (uint32_t{v[3]} << 24 | uint32_t{v[2]} << 16 | uint32_t{v[1]} << 8 | v[0]);
    }
  }
}

ssize_t source_read(Source* s, char* buf, size_t size) {
  ssize_t n = 0;
  switch (s->kind) {
    case Compression::Gzip: n = s->read_gzip(buf, size); break;
    case Compression::Zstd: n = s->read_zstd(buf, size); break;
    case Compression::None: n = s->read_plain(buf, size); break;
  }
  if (n > 0 && s->served < sizeof s->head) lift_pcap_snaplen(s, buf, static_cast<size_t>(n));
  if (n > 0) {
    s->served += static_cast<uint64_t>(n);
    s->progress->served_bytes.store(s->served, std::memory_order_relaxed);
  }
  if (n > 0 && s->secrets) s->secrets->feed(buf, static_cast<size_t>(n));
  if (n > 0 && s->record) {
    if (s->replay.size() + static_cast<size_t>(n) <= kReplayLimit) {
      s->replay.insert(s->replay.end(), buf, buf + n);
    } else {  // too much to keep: replay becomes impossible
      s->record = false;
      s->replay_lost = true;
      std::vector<char>().swap(s->replay);
    }
  }
  return n;
}

// The cookie of a stream is a heap-allocated shared_ptr, so a StreamReplay
// can keep the source alive after libpcap closed its FILE*.
using SourceRef = std::shared_ptr<Source>;

ssize_t cookie_read(void* cookie, char* buf, size_t size) {
  return source_read(static_cast<SourceRef*>(cookie)->get(), buf, size);
}

int cookie_close(void* cookie) {
  delete static_cast<SourceRef*>(cookie);
  return 0;
}

// Serves the recorded bytes, then the rest of the source.
struct ReplaySource {
  SourceRef src;
  std::vector<char> head;
  size_t pos = 0;
};

ssize_t replay_read(void* cookie, char* buf, size_t size) {
  auto* r = static_cast<ReplaySource*>(cookie);
  if (r->pos < r->head.size()) {
    const size_t n = std::min(size, r->head.size() - r->pos);
    std::memcpy(buf, r->head.data() + r->pos, n);
    r->pos += n;
    return static_cast<ssize_t>(n);
  }
  return source_read(r->src.get(), buf, size);
}

int replay_close(void* cookie) {
  delete static_cast<ReplaySource*>(cookie);
  return 0;
}

}  // namespace

struct StreamReplay {
  SourceRef src;
};

FILE* reopen_from_start(const std::shared_ptr<StreamReplay>& replay) {
  if (!replay || !replay->src || replay->src->replay_lost) return nullptr;
  auto r = std::make_unique<ReplaySource>();
  r->src = replay->src;
  r->head.swap(r->src->replay);
  r->src->record = false;
  cookie_io_functions_t io{replay_read, nullptr, nullptr, replay_close};
  FILE* f = fopencookie(r.get(), "rb", io);
  if (f) {
    r.release();
    __fsetlocking(f, FSETLOCKING_BYCALLER);  // as open_capture_stream's
  }
  return f;
}

OpenedStream open_capture_stream(const std::string& path, std::shared_ptr<StreamProgress> progress) {
  auto src = std::make_shared<Source>();
  src->progress = std::move(progress);
  OpenedStream result;
  if (path == "-") {
    src->raw = stdin;
    src->owns_raw = false;
  } else {
    src->raw = std::fopen(path.c_str(), "rb");
    if (!src->raw) throw CaptureError(path + ": " + std::strerror(errno));
    struct stat st {};
    if (fstat(fileno(src->raw), &st) == 0) {
      if (S_ISDIR(st.st_mode)) throw CaptureError(path + ": is a directory");
      if (S_ISREG(st.st_mode)) {
        result.size = static_cast<uint64_t>(st.st_size);
        result.reopenable = true;
        src->read_limit = kStreamBuffer;
        // Every read of it is large (256 KiB; 64 KiB of compressed input), but for the
        // 4 bytes sniffed below: through stdio's 4 KiB buffer each became two reads
        // (the whole blocks straight, the rest into that buffer) and a copy. Unbuffered, one.
        std::setvbuf(src->raw, nullptr, _IONBF, 0);
      }
    }
  }
  // Standard input, a pipe or FIFO by name (/dev/stdin, a shell's <(...), mkfifo), a
  // device: read once, as a stream. Its start is kept for a replay (reopen_from_start).
  if (!result.reopenable) {
    src->stream = true;
    src->record = true;
    result.replay = std::make_shared<StreamReplay>(StreamReplay{src});
  }
  src->fill_at_least(4);
  const unsigned char* m = src->in.data();
  if (src->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
    src->kind = Compression::Gzip;
    // 15 + 16: gzip wrapper only (zlib's automatic header detection would also accept raw zlib).
    if (inflateInit2(&src->zs, 15 + 16) != Z_OK) throw CaptureError(path + ": zlib initialisation failed");
    src->zs_init = true;
  } else if (src->in_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
    src->kind = Compression::Zstd;
    src->zds = ZSTD_createDStream();
    if (!src->zds) throw CaptureError(path + ": zstd initialisation failed");
  }
  result.compression = src->kind;
  if (src->progress->on_secrets) src->secrets = std::make_unique<PcapngSecretsSniffer>(src->progress->on_secrets);
  cookie_io_functions_t io{cookie_read, nullptr, nullptr, cookie_close};
  auto ref = std::make_unique<SourceRef>(src);
  FILE* f = fopencookie(ref.get(), "rb", io);
  if (!f) throw CaptureError(path + ": " + std::strerror(errno));
  ref.release();  // now owned by the FILE*; cookie_close frees it
  result.read_direct = [src](char* buf, size_t n) { return source_read(src.get(), buf, n); };
  // libpcap reads a record at a time (a 16-byte header, then the data): a large
  // stream buffer makes that a memcpy, and the file is read 256 KiB per call.
  // (glibc ignores the size unless it is given the buffer, which the source owns:
  // it lives until cookie_close, the stream's last use of it.)
  src->stream_buffer = std::make_unique_for_overwrite<char[]>(kStreamBuffer);
  std::setvbuf(f, src->stream_buffer.get(), _IOFBF, kStreamBuffer);
  // Only the reader's thread reads it: glibc need not take the stream's lock on
  // each of libpcap's freads (two per packet).
  __fsetlocking(f, FSETLOCKING_BYCALLER);
  result.file = f;
  return result;
}

}  // namespace quartet::analyzer::net
