// The writers' output buffer: a growable byte buffer whose appends are inline (a
// capacity test and a memcpy of, for literals, a constant length), where
// std::string::append is an out-of-line call per piece. Writers append whole lines
// to it and hand it to fwrite; it keeps its capacity from line to line, so after
// the first lines no append allocates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace quartet::analyzer {

class OutBuf {
 public:
  OutBuf() = default;
  explicit OutBuf(size_t capacity) { grow(capacity); }
  // A moved-from buffer is empty, with no capacity (not a null buffer that claims some).
  OutBuf(OutBuf&& o) noexcept
      : buf_(std::move(o.buf_)), size_(std::exchange(o.size_, 0)), cap_(std::exchange(o.cap_, 0)) {}
  OutBuf& operator=(OutBuf&& o) noexcept {
    if (this != &o) {
      buf_ = std::move(o.buf_);
      size_ = std::exchange(o.size_, 0);
      cap_ = std::exchange(o.cap_, 0);
    }
    return *this;
  }

  // Room for `n` more bytes: write them at the pointer returned, then commit() them.
  char* room(size_t n) {
    if (cap_ - size_ < n) grow(n);
    return buf_.get() + size_;
  }
  void commit(size_t n) { size_ += n; }
  // The end of what was written at room()'s pointer.
  void commit_to(const char* end) { size_ = static_cast<size_t>(end - buf_.get()); }

  void append(const char* s, size_t n) {
    std::memcpy(room(n), s, n);
    size_ += n;
  }
  void append(size_t n, char c) {
    std::memset(room(n), c, n);
    size_ += n;
  }
  OutBuf& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  OutBuf& operator+=(char c) {
    *room(1) = c;
    ++size_;
    return *this;
  }

  void clear() { size_ = 0; }
  void truncate(size_t n) { size_ = std::min(size_, n); }  // drops what was written after the first n bytes
  size_t capacity() const { return cap_; }
  void pop_back() { --size_; }
  char back() const { return buf_[size_ - 1]; }
  const char* data() const { return buf_.get(); }
  char* data() { return buf_.get(); }  // to fill in a length once what follows it is written
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {buf_.get(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: implicit by design

 private:
  void grow(size_t n) {
    const size_t cap = std::max({size_ + n, 2 * cap_, size_t{256}});
    auto bigger = std::unique_ptr<char[]>(new char[cap]);
    if (size_) std::memcpy(bigger.get(), buf_.get(), size_);
    buf_ = std::move(bigger);
    cap_ = cap;
  }

  std::unique_ptr<char[]> buf_;
  size_t size_ = 0, cap_ = 0;
};

}  // namespace quartet::analyzer
