// The HTML report's messages compressor on a thread of its own, for `--threads`:
// the output stage formats the next pieces of the messages data while the last
// ones are compressed (zlib took a third of a report's time, all of it on the
// output stage, which then held back the decoding workers). The bytes written are
// those GzipBase64Line writes when called directly, in the same order: its stream
// does not depend on how its input is cut, nor on which thread feeds it.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gzip_base64.hpp"

namespace quartet::analyzer {

class GzipBase64Thread {
 public:
  // Pieces queued at most; the output stage waits beyond (a piece is about 64 KiB).
  static constexpr size_t kMaxQueued = 4;
  // `line` is used by the thread alone until drain() returns.
  explicit GzipBase64Thread(GzipBase64Line& line);
  ~GzipBase64Thread();  // stops the thread; what is still queued is not written
  GzipBase64Thread(const GzipBase64Thread&) = delete;
  GzipBase64Thread& operator=(const GzipBase64Thread&) = delete;

  // Queues `text` for GzipBase64Line::add and gives back an empty string, with the
  // capacity of a piece already written, in its place (no copy, no allocation).
  void add(std::string& text);
  // Queues GzipBase64Line::finish.
  void finish();
  // Returns once everything queued is written; rethrows what the thread failed with.
  void drain();

 private:
  struct Piece {
    std::string text;
    bool finish = false;
  };
  void push(Piece p);
  void run();

  GzipBase64Line& line_;
  std::mutex m_;
  std::condition_variable work_, room_;
  std::deque<Piece> queue_;
  std::vector<std::string> spare_;  // written pieces' buffers, for add() to give back
  bool busy_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace quartet::analyzer
