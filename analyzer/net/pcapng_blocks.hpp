// pcapng packets read in place: the pcapng sibling of PcapRecords. libpcap 1.10
// reads each block with two freads, a copy out of the stream's buffer each, and
// its per-block work: on pcapng captures (what dumpcap, Wireshark and tshark write)
// quartet took 1.06-1.11x the time it takes on the same packets in classic pcap.
//
// libpcap still opens the file, checks its section header and reads the first
// Interface Description Block; this reader takes over the stream where libpcap
// left it. It gives exactly what libpcap 1.10's pcap_next_ex gives (sf-pcapng.c:
// the same block checks, interfaces, time stamp scaling, lengths) for the blocks
// it reads: Enhanced, Simple and obsolete Packet Blocks, further Interface
// Description Blocks that libpcap accepts, and blocks it skips. For anything
// else it answers Fallback before handing out anything of it: a new section, a
// block of over kMaxBlock bytes, and every fault (a cut or lying block, an
// unknown interface, an option libpcap refuses, a failed read, a compressed file's
// damage). CaptureFile then reads the file again with libpcap from its start, past
// the packets already handed out, so faults are reported in libpcap's words.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "common/bytes.hpp"
#include "net/record_window.hpp"

namespace quartet::analyzer::net {

class PcapngBlocks {
 public:
  // Blocks of at most this many bytes are read in place: a packet of libpcap's
  // largest snapshot length (262,144) with 64 KiB of options.
  static constexpr uint32_t kMaxBlock = 262144 + 32 + (64u << 10);

  // An interface's time stamp resolution and offset, as libpcap keeps them.
  struct Interface {
    uint64_t tsresol = 1'000'000;  // ticks per second
    uint64_t tsoffset = 0;         // seconds added
    bool binary = false;           // tsresol is a power of 2
  };

  // The first Interface Description Block of a file's first section, and where it
  // ends: what libpcap has read when it has opened the file. nullopt when the file's
  // first kStartBytes (`head`) do not hold that, or its options are not ones libpcap accepts.
  static constexpr size_t kStartBytes = 64u << 10;
  struct Start {
    bool swapped = false;
    Interface first;
    uint64_t end = 0;  // offset of the byte after that block
  };
  static std::optional<Start> read_start(std::span<const std::byte> head);

  struct Record {
    int64_t seconds = 0;      // libpcap's tv_sec
    int64_t nanoseconds = 0;  // libpcap's tv_usec, of nanosecond precision
    uint32_t len = 0;
    Bytes data;  // valid until the next call to next()
  };
  enum class Result { Packet, End, Fallback };

  // `stream` is positioned after the first Interface Description Block (`start`);
  // `linktype` and `snapshot` are libpcap's (pcap_datalink, pcap_snapshot).
  PcapngBlocks(FILE* stream, std::function<ssize_t(char*, size_t)> read_direct, const Start& start, int linktype,
               int snapshot);

  Result next(Record& out);

 private:
  uint32_t u32(const std::byte* p) const;
  // libpcap's add_interface for a further Interface Description Block (body without
  // the block's header and trailer); false where libpcap would fail.
  bool add_interface(const std::byte* body, size_t size);
  void timestamp(const Interface& i, uint64_t ticks, Record& out) const;

  RecordWindow window_;
  bool swapped_;
  int linktype_;
  uint32_t snapshot_;
  std::vector<Interface> interfaces_;
};

}  // namespace quartet::analyzer::net
