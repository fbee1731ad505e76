/* Counts heap allocations without LD_PRELOAD: linked into the quartet_alloc
 * executable (bench/CMakeLists.txt), these definitions of malloc and friends
 * take precedence over libc's for the whole process (libstdc++'s operator new,
 * libpcap, zlib and OpenSSL included) and forward to glibc's __libc_* entry
 * points. At exit the count goes to standard error as
 *     quartet-alloc: N allocations, B bytes requested
 * which bench.py divides by the PDUs decoded. Not for production builds. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);
extern void* __libc_calloc(size_t, size_t);
extern void* __libc_realloc(void*, size_t);
extern void* __libc_memalign(size_t, size_t);
extern void __libc_free(void*);

static atomic_ullong allocations, requested;

static void count(size_t n) {
  atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&requested, n, memory_order_relaxed);
}

void* malloc(size_t n) {
  count(n);
  return __libc_malloc(n);
}
void* calloc(size_t k, size_t n) {
  count(k * n);
  return __libc_calloc(k, n);
}
void* realloc(void* p, size_t n) {
  count(n);
  return __libc_realloc(p, n);
}
void free(void* p) { __libc_free(p); }
void* aligned_alloc(size_t align, size_t n) {
  count(n);
  return __libc_memalign(align, n);
}
void* memalign(size_t align, size_t n) {
  count(n);
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, size_t align, size_t n) {
  count(n);
  void* p = __libc_memalign(align, n);
  if (!p) return 12; /* ENOMEM */
  *out = p;
  return 0;
}

__attribute__((destructor)) static void report(void) {
  char line[128];
  const int len = snprintf(line, sizeof line, "quartet-alloc: %llu allocations, %llu bytes requested\n",
                           (unsigned long long)atomic_load(&allocations), (unsigned long long)atomic_load(&requested));
  if (len > 0) (void)!write(2, line, (size_t)len);
}
