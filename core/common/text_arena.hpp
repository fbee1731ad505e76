// Storage for the text a decoder computes (OIDs, labels, numbers as text) while it
// builds a Decoded: bump-allocated from blocks that never move, so the views handed
// out stay valid until clear(), and kept across clear(), so a Decoded reused from
// PDU to PDU stops allocating once its blocks have grown.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace quartet {

class TextArena {
 public:
  static constexpr size_t kBlockBytes = 512;

  TextArena() = default;
  TextArena(TextArena&&) noexcept = default;
  TextArena& operator=(TextArena&&) noexcept = default;
  // Copies hand out nothing: the copy's views must be rebased by the owner (Decoded does).
  TextArena(const TextArena&) {}
  TextArena& operator=(const TextArena&) {
    clear();
    return *this;
  }

  // A copy of `s` that lives until clear().
  std::string_view keep(std::string_view s) {
    if (s.empty()) return {};
    char* p = alloc(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  // `n` bytes that live until clear().
  char* alloc(size_t n) {
    while (cur_ < blocks_.size() && blocks_[cur_].size - used_ < n) {
      ++cur_;
      used_ = 0;
    }
    if (cur_ == blocks_.size()) {
      const size_t size = std::max(n, blocks_.empty() ? kBlockBytes : 2 * blocks_.back().size);
      blocks_.push_back({std::unique_ptr<char[]>(new char[size]), size});
      used_ = 0;
    }
    char* p = blocks_[cur_].data.get() + used_;
    used_ += n;
    return p;
  }
  // Forgets every text; the blocks stay for the next user.
  void clear() {
    cur_ = 0;
    used_ = 0;
  }
  // Whether `p` points into one of the blocks (a view this arena handed out).
  bool owns(const char* p) const {
    for (const Block& b : blocks_)
      if (std::less_equal<const char*>()(b.data.get(), p) && std::less<const char*>()(p, b.data.get() + b.size))
        return true;
    return false;
  }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  std::vector<Block> blocks_;
  size_t cur_ = 0;   // block being filled
  size_t used_ = 0;  // bytes of it handed out
};

}  // namespace quartet
