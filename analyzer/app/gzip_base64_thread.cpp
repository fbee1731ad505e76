#include "gzip_base64_thread.hpp"

#include <pthread.h>

#include <utility>

namespace quartet::analyzer {

GzipBase64Thread::GzipBase64Thread(GzipBase64Line& line) : line_(line) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "quartet-gzip");  // named for top -H, perf and gdb
    run();
  });
}

GzipBase64Thread::~GzipBase64Thread() {
  {
    std::lock_guard lock(m_);
    stop_ = true;
  }
  work_.notify_one();
  thread_.join();
}

void GzipBase64Thread::add(std::string& text) {
  std::string spare;
  {
    std::lock_guard lock(m_);
    if (!spare_.empty()) {
      spare = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  spare.clear();
  Piece p;
  p.text = std::exchange(text, std::move(spare));
  push(std::move(p));
}

void GzipBase64Thread::finish() {
  Piece p;
  p.finish = true;
  push(std::move(p));
}

void GzipBase64Thread::push(Piece p) {
  std::unique_lock lock(m_);
  room_.wait(lock, [this] { return queue_.size() < kMaxQueued || error_; });
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(p));
  lock.unlock();
  work_.notify_one();
}

void GzipBase64Thread::drain() {
  std::unique_lock lock(m_);
  room_.wait(lock, [this] { return (queue_.empty() && !busy_) || error_; });
  if (error_) std::rethrow_exception(error_);
}

void GzipBase64Thread::run() {
  std::unique_lock lock(m_);
  for (;;) {
    work_.wait(lock, [this] { return !queue_.empty() || stop_; });
    if (stop_) return;
    Piece p = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr failed;
    try {
      if (p.finish) line_.finish();
      else line_.add(p.text);
    } catch (...) {
      failed = std::current_exception();
    }
    lock.lock();
    busy_ = false;
    if (failed) {
      error_ = failed;
      queue_.clear();
    }
    if (!p.finish && spare_.size() < kMaxQueued) spare_.push_back(std::move(p.text));
    room_.notify_all();
    if (failed) return;
  }
}

}  // namespace quartet::analyzer
