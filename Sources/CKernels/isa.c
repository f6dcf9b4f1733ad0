/* CPU feature detection and the LYRA_ISA override (see ckernels.h). */
#include "ckernels.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

static int detected_level = -1;   /* cached; -1 until first read */
static int active_level = -1;
static const char *rejected_env = NULL;

#if defined(__x86_64__) || defined(__i386__)
/* XCR0: which register states the OS saves on a context switch. AVX needs XMM|YMM (bits 1-2);
 * AVX-512 also needs opmask, ZMM_Hi256 and Hi16_ZMM (bits 5-7). A CPU with AVX-512 under an OS
 * that does not save ZMM state would corrupt registers silently, so both are checked. */
static unsigned long long read_xcr0(void) {
  unsigned int eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((unsigned long long)edx << 32) | eax;
}

static int detect(void) {
  unsigned int eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return LYRA_ISA_PORTABLE;
  int has_fma = (ecx >> 12) & 1, has_osxsave = (ecx >> 27) & 1, has_avx = (ecx >> 28) & 1;
  if (!(has_fma && has_osxsave && has_avx)) return LYRA_ISA_PORTABLE;
  unsigned long long xcr0 = read_xcr0();
  if ((xcr0 & 0x6) != 0x6) return LYRA_ISA_PORTABLE;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return LYRA_ISA_PORTABLE;
  int has_avx2 = (ebx >> 5) & 1;
  if (!has_avx2) return LYRA_ISA_PORTABLE;
  /* AVX-512 F (foundation), DQ, BW and VL: the subset every AVX-512 CPU since Skylake-SP has. */
  int has_512 = ((ebx >> 16) & 1) && ((ebx >> 17) & 1) && ((ebx >> 30) & 1) && ((ebx >> 31) & 1);
  if (has_512 && (xcr0 & 0xE6) == 0xE6) return LYRA_ISA_AVX512;
  return LYRA_ISA_AVX2;
}
#else
static int detect(void) { return LYRA_ISA_PORTABLE; }
#endif

int lyra_isa_detected(void) {
  int d = __atomic_load_n(&detected_level, __ATOMIC_ACQUIRE);
  if (d < 0) {
    d = detect();
    __atomic_store_n(&detected_level, d, __ATOMIC_RELEASE);
  }
  return d;
}

int lyra_isa_parse(const char *name) {
  if (name == NULL) return -1;
  if (strcmp(name, "portable") == 0) return LYRA_ISA_PORTABLE;
  if (strcmp(name, "avx2") == 0) return LYRA_ISA_AVX2;
  if (strcmp(name, "avx512") == 0) return LYRA_ISA_AVX512;
  return -1;
}

int lyra_isa_active(void) {
  int a = __atomic_load_n(&active_level, __ATOMIC_ACQUIRE);
  if (a >= 0) return a;
  a = lyra_isa_detected();
  const char *env = getenv("LYRA_ISA");
  if (env != NULL && env[0] != '\0') {
    int wanted = lyra_isa_parse(env);
    if (wanted < 0) rejected_env = env;
    else if (wanted < a) a = wanted;   /* lower only: a higher level than the CPU has would fault */
  }
  __atomic_store_n(&active_level, a, __ATOMIC_RELEASE);
  return a;
}

int lyra_isa_clamp(int level) {
  int d = lyra_isa_detected();
  return level > d ? d : level;
}

int lyra_isa_set(int level) {
  if (level < LYRA_ISA_PORTABLE) level = LYRA_ISA_PORTABLE;
  level = lyra_isa_clamp(level);
  (void)lyra_isa_active();   /* read LYRA_ISA once, so a rejected value is still reported */
  __atomic_store_n(&active_level, level, __ATOMIC_RELEASE);
  return level;
}

const char *lyra_isa_name(int level) {
  switch (level) {
    case LYRA_ISA_PORTABLE: return "portable";
    case LYRA_ISA_AVX2: return "avx2";
    case LYRA_ISA_AVX512: return "avx512";
    default: return "?";
  }
}

const char *lyra_isa_env_rejected(void) {
  (void)lyra_isa_active();
  return rejected_env;
}

int lyra_cpu_has_vnni(void) {
#if defined(__x86_64__) || defined(__i386__)
  static int cached = -1;
  int v = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
  if (v >= 0) return v;
  unsigned int eax, ebx, ecx, edx;
  /* AVX512_VNNI is CPUID.(EAX=7,ECX=0):ECX bit 11; usable only where the AVX-512 level is. */
  v = lyra_isa_detected() >= LYRA_ISA_AVX512 && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) && ((ecx >> 11) & 1);
  __atomic_store_n(&cached, v, __ATOMIC_RELEASE);
  return v;
#else
  return 0;
#endif
}
