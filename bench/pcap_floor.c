/* The floor of the benchmark: a libpcap read loop that touches every captured
 * byte and does nothing else. No analyzer can read a capture faster than this
 * on the same machine, so bench.py states every tool's time as a multiple of it.
 *
 *     pcap_floor FILE...      prints "packets bytes checksum" */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  uint64_t packets = 0, bytes = 0, sum = 0;
  for (int i = 1; i < argc; ++i) {
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(argv[i], err);
    if (!p) {
      fprintf(stderr, "pcap_floor: %s\n", err);
      return 2;
    }
    struct pcap_pkthdr* h;
    const u_char* data;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
      ++packets;
      bytes += h->caplen;
      uint64_t words = 0; /* every byte read, 8 at a time (what a parser must at least do) */
      uint32_t k = 0;
      for (; k + 8 <= h->caplen; k += 8) {
        uint64_t w;
        memcpy(&w, data + k, 8);
        words += w;
      }
      for (; k < h->caplen; ++k) words += data[k];
      sum ^= words;
    }
    pcap_close(p);
  }
  printf("%llu %llu %llu\n", (unsigned long long)packets, (unsigned long long)bytes, (unsigned long long)sum);
  return 0;
}
