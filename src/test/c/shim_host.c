/*
 * A test program that plays ws2_32 for the shim's tests, in a process with no JVM of its own: it
 * loads the shim, calls its WSPStartup with recognisable arguments as ws2_32 would, and prints what
 * came back as key=value lines for the JUnit test to check (pointers in hex). Whether a JVM library
 * is mapped (libjvm.so, or jvm.dll: under Wine the fake one) is read before and after.
 *
 *   shim_host SHIM [LOWER] [options]
 *     --again-on-new-thread   a second WSPStartup on a fresh thread that the JVM has never seen
 *     --cleanup               then call the returned table's WSPCleanup once
 *   Windows (Wine) only:
 *     --chain ENTRY:ID,ID...  lpProtocolInfo's catalog entry id and protocol chain
 *                             (default 1003:1001,1002: two entries of Wine's stock catalog)
 *     --preload-jvm DLL       load this jvm.dll first: a process that already has a JVM
 *     --exit-cleanup STAND_IN REPORT   load STAND_IN (exit_cleanup_stand_in.dll) before the shim and
 *                             leave it the table's WSPCleanup to call at process exit, as ws2_32
 *                             does after the shim's DLL_PROCESS_DETACH; it writes REPORT
 *     --ws2 DLL               load DLL (fake_ws2_32.c, built as ws2_32.dll) instead of Wine's
 *                             ws2_32: the catalog the shim walks is the fake's
 *     --cycle N               first load the shim, call WSPStartup and unload it N times, as ws2_32
 *                             does for a process that starts and stops Winsock over and over; the
 *                             TLS index a TlsAlloc gets before and after is printed (tls.before/after)
 *
 * On Windows the strings the process sends to the debugger (OutputDebugString) are caught by a
 * vectored exception handler and printed as debug.N lines, UTF-8; the fake jvm.dll, if loaded,
 * prints its own record (fake.* lines).
 */
#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#endif
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsp4j_shim.h"

static shim_wsp_startup_fn startup;
static shim_protocol_info protocol_info;
static shim_upcall_table upcall_table;
static shim_wsp_data wsp_data[2];
static shim_proc_table proc_table[2];
static int status[2];

#if defined(_WIN32)
typedef HMODULE host_lib;

static host_lib host_open(const char *path) { return LoadLibraryA(path); }
static void *host_symbol(host_lib lib, const char *name) { return (void *) GetProcAddress(lib, name); }
static host_lib host_loaded(const char *path) { return GetModuleHandleA(path); }
static int jvm_mapped(void) { return GetModuleHandleW(L"jvm.dll") != NULL; }

/* What the process sent to the debugger: OutputDebugStringW raises DBG_PRINTEXCEPTION_WIDE_C on
 * Windows 10+, OutputDebugStringA (and Wine's W, after converting) DBG_PRINTEXCEPTION_C in the ANSI
 * code page. Kept as UTF-8. */
#define HOST_DBG_PRINTEXCEPTION_C 0x40010006u
#define HOST_DBG_PRINTEXCEPTION_WIDE_C 0x4001000Au
#define HOST_MAX_DEBUG 16
static char debug_strings[HOST_MAX_DEBUG][4096];
static LONG debug_count;

static LONG CALLBACK catch_debug_string(EXCEPTION_POINTERS *pointers) {
  const EXCEPTION_RECORD *record = pointers->ExceptionRecord;
  wchar_t wide[4096];
  LONG index;
  if (record->ExceptionCode != HOST_DBG_PRINTEXCEPTION_C && record->ExceptionCode != HOST_DBG_PRINTEXCEPTION_WIDE_C)
    return EXCEPTION_CONTINUE_SEARCH;
  if (record->NumberParameters < 2 || (index = InterlockedIncrement(&debug_count) - 1) >= HOST_MAX_DEBUG)
    return EXCEPTION_CONTINUE_SEARCH;
  if (record->ExceptionCode == HOST_DBG_PRINTEXCEPTION_WIDE_C)
    lstrcpynW(wide, (const wchar_t *) record->ExceptionInformation[1], 4096);
  else if (MultiByteToWideChar(CP_ACP, 0, (const char *) record->ExceptionInformation[1], -1, wide, 4096) == 0)
    wide[0] = L'\0';
  if (WideCharToMultiByte(CP_UTF8, 0, wide, -1, debug_strings[index], sizeof debug_strings[index], NULL, NULL) == 0)
    debug_strings[index][0] = '\0';
  /* Wine's W sends through A: the wide exception, if any, comes first; both are fine to keep. */
  return EXCEPTION_CONTINUE_SEARCH;
}

static void print_debug_strings(void) {
  LONG i;
  for (i = 0; i < debug_count && i < HOST_MAX_DEBUG; i++) {
    char *end = debug_strings[i] + strlen(debug_strings[i]);
    while (end > debug_strings[i] && (end[-1] == '\n' || end[-1] == '\r'))
      *--end = '\0';
    printf("debug.%ld=%s\n", (long) i, debug_strings[i]);
  }
  printf("debug.count=%ld\n", (long) debug_count);
}

static DWORD WINAPI call_thread(void *index);
static int call_on_new_thread(void) {
  HANDLE thread = CreateThread(NULL, 0, call_thread, (void *) (intptr_t) 1, 0, NULL);
  if (thread == NULL)
    return -1;
  WaitForSingleObject(thread, INFINITE);
  CloseHandle(thread);
  return 0;
}
#else
typedef void *host_lib;

static host_lib host_open(const char *path) { return dlopen(path, RTLD_NOW | RTLD_LOCAL); }
static void *host_symbol(host_lib lib, const char *name) { return dlsym(lib, name); }
static host_lib host_loaded(const char *path) { return dlopen(path, RTLD_NOW | RTLD_NOLOAD); }

static int jvm_mapped(void) {
  char line[4096];
  int found = 0;
  FILE *maps = fopen("/proc/self/maps", "r");
  if (maps == NULL)
    return -1;
  while (!found && fgets(line, sizeof line, maps) != NULL)
    found = strstr(line, "libjvm.so") != NULL;
  fclose(maps);
  return found;
}

static void *call_thread(void *index);
static int call_on_new_thread(void) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, call_thread, (void *) 1) != 0 || pthread_join(thread, NULL) != 0)
    return -1;
  return 0;
}
#endif

#if defined(_WIN32)
/* The lowest free TLS index (given back at once): a DLL that keeps one per load shows as growth. */
static DWORD free_tls_index(void) {
  DWORD index = TlsAlloc();
  if (index != TLS_OUT_OF_INDEXES)
    TlsFree(index);
  return index;
}

/* N loads, WSPStartups and unloads of the shim; the last status, or -1 if it could not be loaded. */
static int cycle(const char *shim_path, long n) {
  int last = 0;
  long i;
  for (i = 0; i < n; i++) {
    shim_wsp_data data;
    shim_proc_table table;
    shim_wsp_startup_fn fn;
    void *symbol;
    HMODULE shim = LoadLibraryA(shim_path);
    if (shim == NULL)
      return -1;
    symbol = (void *) GetProcAddress(shim, "WSPStartup");
    memcpy(&fn, &symbol, sizeof fn);
    if (fn == NULL)
      return -1;
    last = fn(0x0202, &data, &protocol_info, upcall_table, &table);
    FreeLibrary(shim);
  }
  return last;
}
#endif

static void call(int i) {
  status[i] = startup(0x0202, &wsp_data[i], &protocol_info, upcall_table, &proc_table[i]);
}

#if defined(_WIN32)
static DWORD WINAPI call_thread(void *index) {
#else
static void *call_thread(void *index) {
#endif
  call((int) (intptr_t) index);
  return 0;
}

static void print_pointer(const char *key, int index, const void *value) {
  if (index < 0)
    printf("%s=%" PRIxPTR "\n", key, (uintptr_t) value);
  else
    printf("%s.%d=%" PRIxPTR "\n", key, index, (uintptr_t) value);
}

static void print_entries(const char *key, const shim_proc *entries, int count) {
  int i;
  for (i = 0; i < count; i++) {
    void *address;
    memcpy(&address, &entries[i], sizeof address);
    print_pointer(key, i, address);
  }
}

static void print_upcalls(const char *key, const shim_upcall_table *table) {
  shim_proc entries[sizeof *table / sizeof(shim_proc)];
  memcpy(entries, table, sizeof entries);
  print_entries(key, entries, (int) (sizeof entries / sizeof entries[0]));
}

static void print_call(int index) {
  char key[32];
  printf("call%d.status=%d\n", index, status[index]);
  printf("call%d.wsp_version=%d\n", index, wsp_data[index].version);
  snprintf(key, sizeof key, "call%d.wsp_data", index);
  print_pointer(key, -1, &wsp_data[index]);
  snprintf(key, sizeof key, "call%d.proc_table", index);
  print_pointer(key, -1, &proc_table[index]);
  snprintf(key, sizeof key, "call%d.proc", index);
  print_entries(key, proc_table[index].entries, SHIM_PROC_TABLE_ENTRIES);
}

static void print_lower(const char *path) {
  host_lib lower = host_loaded(path);
  printf("lower.loaded=%d\n", lower != NULL);
  if (lower == NULL)
    return;
  printf("lower.calls=%d\n", *(int *) host_symbol(lower, "lower_calls"));
  printf("lower.version=%d\n", *(shim_word *) host_symbol(lower, "lower_version"));
  print_pointer("lower.protocol_info", -1, *(void **) host_symbol(lower, "lower_protocol_info"));
  printf("lower.catalog_entry_id=%lu\n", (unsigned long) *(shim_dword *) host_symbol(lower, "lower_catalog_entry_id"));
  printf("lower.chain_len=%d\n", *(int *) host_symbol(lower, "lower_chain_len"));
  printf("lower.distinct_infos=%d\n", *(int *) host_symbol(lower, "lower_distinct_infos"));
  print_pointer("lower.wsp_data", -1, *(void **) host_symbol(lower, "lower_wsp_data"));
  print_pointer("lower.proc_table", -1, *(void **) host_symbol(lower, "lower_proc_table"));
  print_upcalls("lower.upcall", (shim_upcall_table *) host_symbol(lower, "lower_upcall_table"));
}

/* "ENTRY:ID,ID,...": the catalog entry id and chain of lpProtocolInfo. */
static int parse_chain(const char *text) {
  char *end;
  int length = 0;
  protocol_info.catalog_entry_id = (shim_dword) strtoul(text, &end, 10);
  if (*end != ':')
    return -1;
  while (*end == ':' || *end == ',') {
    if (length == SHIM_MAX_PROTOCOL_CHAIN)
      return -1;
    protocol_info.protocol_chain.chain_entries[length++] = (shim_dword) strtoul(end + 1, &end, 10);
  }
  protocol_info.protocol_chain.chain_len = length;
  return *end == '\0' ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *lower_path = argc > 2 && strncmp(argv[2], "--", 2) != 0 ? argv[2] : NULL;
  const char *preload_jvm = NULL;
  const char *stand_in_path = NULL;
  const char *exit_report = NULL;
  int again = 0;
  int cleanup = 0;
  long cycles = 0;
  const char *ws2_path = NULL;
  shim_proc fake[sizeof upcall_table / sizeof(shim_proc)];
  host_lib shim;
  host_lib stand_in = NULL;
  void *symbol;
  size_t i;
  int a;

  if (argc < 2) {
    fprintf(stderr, "usage: shim_host SHIM [LOWER] [--again-on-new-thread] [--cleanup] [--chain ENTRY:ID,...] "
                    "[--preload-jvm DLL] [--exit-cleanup STAND_IN REPORT] [--ws2 DLL] [--cycle N]\n");
    return 2;
  }
  /* Recognisable, never called. */
  for (i = 0; i < sizeof fake / sizeof fake[0]; i++)
    fake[i] = (shim_proc) (uintptr_t) (0x7e570000u + 0x10u * i);
  memcpy(&upcall_table, fake, sizeof upcall_table);
  protocol_info.catalog_entry_id = 1003;
  protocol_info.protocol_chain.chain_len = 2;
  protocol_info.protocol_chain.chain_entries[0] = 1001;
  protocol_info.protocol_chain.chain_entries[1] = 1002;

  for (a = lower_path != NULL ? 3 : 2; a < argc; a++) {
    if (strcmp(argv[a], "--again-on-new-thread") == 0) {
      again = 1;
    } else if (strcmp(argv[a], "--cleanup") == 0) {
      cleanup = 1;
    } else if (strcmp(argv[a], "--chain") == 0 && a + 1 < argc) {
      if (parse_chain(argv[++a]) < 0) {
        fprintf(stderr, "shim_host: bad --chain %s\n", argv[a]);
        return 2;
      }
    } else if (strcmp(argv[a], "--preload-jvm") == 0 && a + 1 < argc) {
      preload_jvm = argv[++a];
    } else if (strcmp(argv[a], "--ws2") == 0 && a + 1 < argc) {
      ws2_path = argv[++a];
    } else if (strcmp(argv[a], "--cycle") == 0 && a + 1 < argc) {
      cycles = strtol(argv[++a], NULL, 10);
    } else if (strcmp(argv[a], "--exit-cleanup") == 0 && a + 2 < argc) {
      stand_in_path = argv[++a];
      exit_report = argv[++a];
    } else {
      fprintf(stderr, "shim_host: unknown argument %s\n", argv[a]);
      return 2;
    }
  }

#if defined(_WIN32)
  AddVectoredExceptionHandler(1, catch_debug_string);
  printf("acp=%u\n", GetACP());
  /* ws2_32 is in every process that calls WSPStartup: the shim finds its WSC* functions there. */
  if ((ws2_path != NULL ? LoadLibraryA(ws2_path) : LoadLibraryW(L"ws2_32.dll")) == NULL) {
    fprintf(stderr, "shim_host: cannot load %s\n", ws2_path != NULL ? ws2_path : "ws2_32.dll");
    return 1;
  }
  if (cycles > 0) {
    int last;
    printf("tls.before=%lu\n", (unsigned long) free_tls_index());
    last = cycle(argv[1], cycles);
    printf("cycle.status=%d\n", last);
    printf("tls.after=%lu\n", (unsigned long) free_tls_index());
    fflush(stdout);
  }
#else
  if (cycles > 0 || ws2_path != NULL) {
    fprintf(stderr, "shim_host: --cycle and --ws2 are for Windows\n");
    return 2;
  }
#endif
  /* Loaded before the shim, so that it is detached after it, as ws2_32 is. */
  if (stand_in_path != NULL && (stand_in = host_open(stand_in_path)) == NULL) {
    fprintf(stderr, "shim_host: cannot load %s\n", stand_in_path);
    return 1;
  }
  if (preload_jvm != NULL && host_open(preload_jvm) == NULL) {
    fprintf(stderr, "shim_host: cannot load %s\n", preload_jvm);
    return 1;
  }
  printf("jvm.before=%d\n", jvm_mapped());
  shim = host_open(argv[1]);
  if (shim == NULL) {
    fprintf(stderr, "shim_host: cannot load %s\n", argv[1]);
    return 1;
  }
  symbol = host_symbol(shim, "WSPStartup");
  memcpy(&startup, &symbol, sizeof startup);
  if (startup == NULL) {
    fprintf(stderr, "shim_host: no WSPStartup\n");
    return 1;
  }
  call(0);
  if (again && call_on_new_thread() < 0) {
    fprintf(stderr, "shim_host: cannot run the second call\n");
    return 1;
  }
  if (cleanup) {
    shim_wsp_cleanup_fn wsp_cleanup;
    int error = 0;
    memcpy(&wsp_cleanup, &proc_table[0].entries[SHIM_PROC_WSP_CLEANUP], sizeof wsp_cleanup);
    printf("cleanup.status=%d\n", wsp_cleanup(&error));
    printf("cleanup.errno=%d\n", error);
  }
  printf("jvm.after=%d\n", jvm_mapped());
  print_pointer("host.protocol_info", -1, &protocol_info);
  print_upcalls("host.upcall", &upcall_table);
  print_call(0);
  if (again)
    print_call(1);
  if (lower_path != NULL)
    print_lower(lower_path);
#if defined(_WIN32)
  {
    host_lib jvm = GetModuleHandleW(L"jvm.dll");
    void (*report)(void) = NULL;
    if (jvm != NULL && (symbol = host_symbol(jvm, "fake_jvm_report")) != NULL) {
      memcpy(&report, &symbol, sizeof report);
      fflush(stdout);
      report();
    }
  }
  print_debug_strings();
#endif
  if (stand_in != NULL) {
    /* exit_stand_in_arm(WSPCleanup, the fake jvm's count of Java cleanups or NULL, report path) */
    void (*arm)(shim_wsp_cleanup_fn, const volatile int *, const char *);
    shim_wsp_cleanup_fn wsp_cleanup;
    host_lib jvm = NULL;
#if defined(_WIN32)
    jvm = GetModuleHandleW(L"jvm.dll");
#endif
    symbol = host_symbol(stand_in, "exit_stand_in_arm");
    memcpy(&arm, &symbol, sizeof arm);
    memcpy(&wsp_cleanup, &proc_table[0].entries[SHIM_PROC_WSP_CLEANUP], sizeof wsp_cleanup);
    arm(wsp_cleanup, jvm != NULL ? (const volatile int *) host_symbol(jvm, "fake_jvm_cleanups") : NULL, exit_report);
  }
  printf("done=1\n");
  fflush(stdout);
  return 0;
}
