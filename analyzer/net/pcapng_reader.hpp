// A minimal pcapng reader for what libpcap 1.10 refuses: sections whose
// interfaces have different link types (dumpcap -i eth0 -i any ...), packets of
// undeclared interfaces (skipped and counted), a new section in the other byte
// order. libpcap stays the reader of every capture; CaptureFile falls back to
// this one when libpcap reports an error on a pcapng file, re-reading it from the
// start and skipping the packets libpcap delivered.
// Handles SHB (either byte order, several sections), IDB (if_tsresol,
// if_tsoffset), EPB, SPB and the obsolete PB; other blocks are skipped.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "net/capture_reader.hpp"

namespace quartet::analyzer::net {

class PcapngReader {
 public:
  // Takes ownership of `f`. `bpf_filter` is compiled per interface link type.
  PcapngReader(FILE* f, std::string path, std::string bpf_filter);
  ~PcapngReader();
  PcapngReader(const PcapngReader&) = delete;
  PcapngReader& operator=(const PcapngReader&) = delete;

  // False at the end, or on damage (then error() says what).
  bool next(Packet& out);
  const std::string& error() const { return error_; }
  // Packets skipped because their interface id has no Interface Description
  // Block in the section (the block itself is intact, so reading goes on).
  uint64_t undeclared_interface_packets() const { return undeclared_; }
  uint32_t first_undeclared_interface() const { return first_undeclared_; }

 private:
  struct Interface {
    int linktype = 0;
    uint32_t snaplen = 0;
    bool resol_pow2 = false;
    uint8_t resol = 6;     // 10^-6 s by default
    int64_t offset_s = 0;  // if_tsoffset
    bpf_program prog{};
    bool has_prog = false;
    bool filter_ok = true;
  };
  bool read_block(uint32_t& type);
  bool read_body(size_t size);
  uint16_t u16(size_t off) const;
  uint32_t u32(size_t off) const;
  void add_interface();
  TimeNs timestamp(const Interface& i, uint64_t ticks) const;
  void clear_interfaces();

  FILE* f_;
  std::string path_, filter_, error_;
  bool swap_ = false;
  bool section_ = false;
  std::vector<uint8_t> block_;  // current block body (without type/length words)
  std::vector<Interface> ifaces_;
  uint64_t undeclared_ = 0;
  uint32_t first_undeclared_ = 0;
};

}  // namespace quartet::analyzer::net
