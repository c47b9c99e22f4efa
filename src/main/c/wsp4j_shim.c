/*
 * wsp4j native shim: the DLL (Windows) or shared object (Linux host) that the Winsock catalog names as
 * the layered provider. It exports WSPStartup only. For a process that the configuration does not
 * target it loads the next provider of the chain and returns that provider's WSPStartup result and
 * table untouched, so untargeted processes never see a JVM. For a targeted process it attaches to the
 * JVM already in the process or creates one, and hands the raw SPI pointers to the Java provider:
 *
 *   static int io.wsp4j.provider.ShimEntry.wspStartup(short version, long lpWSPData,
 *       long lpProtocolInfo, long lpUpcallTable, long lpProcTable)        JNI signature (SJJJJ)I
 *
 * The shim keeps one entry of the Java provider's table for itself: lpWSPCleanup becomes
 * shim_wsp_cleanup, which calls Java's unless the DLL has been detached (process exit; see DllMain).
 *
 * Internal functions return 0 on success, or -1 after recording the error with shim_error(); the
 * entry point turns that into a status code and one log line. Nothing here may crash the host
 * process: every pointer the shim follows is checked, every JNI call is checked for an exception.
 *
 * Built three ways by build.sh: Linux (gcc), Windows x64 (mingw, loads jvm.dll at run time, no import
 * library), Windows x86 (mingw, SHIM_NO_JVM: pass-through only, there is no 32-bit JDK 22+).
 */
#if defined(_WIN32)
#define _WIN32_WINNT 0x0601 /* SRWLOCK, RegGetValueW, AddDllDirectory */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wsp4j_shim.h"

#ifndef SHIM_NO_JVM
#include <jni.h>
#endif

#define SHIM_CONFIG_ENV "WSP4J_SHIM_CONFIG"
#define SHIM_DEFAULT_ENTRY_CLASS "io/wsp4j/provider/ShimEntry"
#define SHIM_MAX_VALUES 64            /* per repeatable key */
#define SHIM_MAX_CONFIG_BYTES (1 << 20)
#define SHIM_PATH_MAX 4096
#define SHIM_MESSAGE_MAX 768

/* ---------------------------------------------------------------------------------------------- */
/* Errors: -1 plus a per-thread last error (a message), kept by the WSPStartup running on the thread */
/* ---------------------------------------------------------------------------------------------- */

/*
 * What one WSPStartup keeps for its thread: the last error, and whether it is starting Java (a Winsock
 * call the JVM makes on the same thread while it starts re-enters WSPStartup, and must pass through
 * instead of waiting on itself). It lives in WSPStartup's frame; the thread's slot points to the
 * innermost one.
 *
 * On Windows the slot is a TLS index taken in DllMain and given back when the DLL is unloaded. Not C11
 * _Thread_local: mingw-w64 implements that with libgcc's emulated TLS, which takes a TLS index at the
 * first use in every load of the DLL and never gives it back. ws2_32 unloads the provider at the last
 * WSACleanup and loads it again at the next socket, so a process that starts and stops Winsock
 * ~1,080 times used up its TLS indexes and was ended by abort() inside the shim.
 */
typedef struct shim_thread_state {
  char message[SHIM_MESSAGE_MAX];
  int in_java_startup;
} shim_thread_state;

/* Where errors go on a thread with no WSPStartup of ours (or no TLS index): shared, last writer wins. */
static shim_thread_state shim_unshared_state;

#if defined(_WIN32)
static DWORD shim_tls_index = TLS_OUT_OF_INDEXES; /* DllMain */

static int shim_thread_tracked(void) { return shim_tls_index != TLS_OUT_OF_INDEXES; }

static shim_thread_state *shim_thread_current(void) {
  DWORD saved = GetLastError(); /* TlsGetValue clears it, and callers report it */
  shim_thread_state *state = shim_tls_index == TLS_OUT_OF_INDEXES ? NULL : (shim_thread_state *) TlsGetValue(shim_tls_index);
  SetLastError(saved);
  return state;
}

static void shim_thread_set(shim_thread_state *state) {
  if (shim_tls_index != TLS_OUT_OF_INDEXES)
    TlsSetValue(shim_tls_index, state);
}
#else
/* glibc gives a dlopen()ed library's TLS back at dlclose(). */
static _Thread_local shim_thread_state *shim_thread_slot;

static int shim_thread_tracked(void) { return 1; }
static shim_thread_state *shim_thread_current(void) { return shim_thread_slot; }
static void shim_thread_set(shim_thread_state *state) { shim_thread_slot = state; }
#endif

static shim_thread_state *shim_thread_errors(void) {
  shim_thread_state *state = shim_thread_current();
  return state != NULL ? state : &shim_unshared_state;
}

static int shim_error(const char *format, ...) {
  shim_thread_state *state = shim_thread_errors();
  va_list args;
  va_start(args, format);
  vsnprintf(state->message, sizeof state->message, format, args);
  va_end(args);
  return -1;
}

static const char *shim_error_message(void) {
  return shim_thread_errors()->message;
}

/* ---------------------------------------------------------------------------------------------- */
/* Platform: text conversion, files, libraries, the process lock                                  */
/* ---------------------------------------------------------------------------------------------- */

#if defined(_WIN32)
typedef HMODULE shim_lib;

static int shim_utf8_to_wide(const char *text, wchar_t *out, int capacity) {
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, out, capacity) == 0)
    return shim_error("'%s' is not valid UTF-8 or is too long (error %lu)", text, GetLastError());
  return 0;
}

static int shim_wide_to_utf8(const wchar_t *text, char *out, int capacity) {
  if (WideCharToMultiByte(CP_UTF8, 0, text, -1, out, capacity, NULL, NULL) == 0)
    return shim_error("a path does not fit in %d bytes of UTF-8 (error %lu)", capacity, GetLastError());
  return 0;
}

static FILE *shim_fopen(const char *path, const char *mode) {
  wchar_t wide_path[SHIM_PATH_MAX];
  wchar_t wide_mode[8];
  if (shim_utf8_to_wide(path, wide_path, SHIM_PATH_MAX) < 0 || shim_utf8_to_wide(mode, wide_mode, 8) < 0)
    return NULL;
  return _wfopen(wide_path, wide_mode);
}

static SRWLOCK shim_lock_state = SRWLOCK_INIT;
static void shim_lock(void) { AcquireSRWLockExclusive(&shim_lock_state); }
static void shim_unlock(void) { ReleaseSRWLockExclusive(&shim_lock_state); }

static unsigned long shim_pid(void) { return (unsigned long) GetCurrentProcessId(); }

/* Set by DllMain on DLL_PROCESS_DETACH: from then on nothing may enter Java (see shim_wsp_cleanup). */
static volatile LONG shim_detached;
#ifndef SHIM_NO_JVM
static int shim_process_detached(void) { return InterlockedCompareExchange(&shim_detached, 0, 0) != 0; }
#endif

/* Trivial, as DllMain must be (the loader lock is held): the JVM starts in WSPStartup, never here.
 * The TLS index is taken at load and given back at FreeLibrary (reserved NULL), as Microsoft's sample
 * LSP does; at process exit nothing needs giving back. Without an index (TlsAlloc failed) the shim
 * passes every process through (see shim_thread_tracked). */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void) instance;
  if (reason == DLL_PROCESS_ATTACH) {
    shim_tls_index = TlsAlloc();
  } else if (reason == DLL_PROCESS_DETACH) {
    InterlockedExchange(&shim_detached, 1);
    if (reserved == NULL && shim_tls_index != TLS_OUT_OF_INDEXES) {
      TlsFree(shim_tls_index);
      shim_tls_index = TLS_OUT_OF_INDEXES;
    }
  }
  return TRUE;
}

/* extra_dir: a directory the library's own imports may be found in (jvm.dll's are one level up). */
static int shim_lib_open(const char *path, const char *extra_dir, shim_lib *lib) {
  wchar_t wide_path[SHIM_PATH_MAX];
  wchar_t wide_dir[SHIM_PATH_MAX];
  DLL_DIRECTORY_COOKIE cookie = NULL;
  DWORD error;
  if (shim_utf8_to_wide(path, wide_path, SHIM_PATH_MAX) < 0)
    return -1;
  if (extra_dir != NULL) {
    if (shim_utf8_to_wide(extra_dir, wide_dir, SHIM_PATH_MAX) < 0)
      return -1;
    cookie = AddDllDirectory(wide_dir);
  }
  *lib = LoadLibraryExW(wide_path, NULL,
                        LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_USER_DIRS |
                            LOAD_LIBRARY_SEARCH_DEFAULT_DIRS);
  error = GetLastError();
  if (cookie != NULL)
    RemoveDllDirectory(cookie);
  if (*lib == NULL)
    return shim_error("cannot load %s (error %lu)", path, (unsigned long) error);
  return 0;
}

static shim_proc shim_lib_symbol(shim_lib lib, const char *name) {
  return (shim_proc) GetProcAddress(lib, name);
}

#else /* Linux */
typedef void *shim_lib;

static FILE *shim_fopen(const char *path, const char *mode) {
  return fopen(path, mode);
}

static pthread_mutex_t shim_lock_state = PTHREAD_MUTEX_INITIALIZER;
static void shim_lock(void) { pthread_mutex_lock(&shim_lock_state); }
static void shim_unlock(void) { pthread_mutex_unlock(&shim_lock_state); }

static unsigned long shim_pid(void) { return (unsigned long) getpid(); }

/* The host unloads nothing at exit while calling into it: no detach to note. */
static int shim_process_detached(void) { return 0; }

static int shim_lib_open(const char *path, const char *extra_dir, shim_lib *lib) {
  (void) extra_dir; /* the runtime linker finds a library's own dependencies through its RUNPATH */
  *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (*lib == NULL)
    return shim_error("cannot load %s (%s)", path, dlerror());
  return 0;
}

static shim_proc shim_lib_symbol(shim_lib lib, const char *name) {
  void *address = dlsym(lib, name);
  shim_proc proc;
  memcpy(&proc, &address, sizeof proc); /* ISO C has no object-to-function pointer cast */
  return proc;
}
#endif

/* The base name of the running executable, UTF-8 ("" if it cannot be had: only `*` matches then). */
static void shim_image_name(char *out, size_t capacity) {
  char path[SHIM_PATH_MAX];
  const char *base = path;
  const char *p;
  path[0] = '\0';
#if defined(_WIN32)
  {
    wchar_t wide[SHIM_PATH_MAX];
    DWORD n = GetModuleFileNameW(NULL, wide, SHIM_PATH_MAX);
    if (n == 0 || n >= SHIM_PATH_MAX || shim_wide_to_utf8(wide, path, sizeof path) < 0)
      path[0] = '\0';
  }
#else
  {
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    path[n > 0 ? n : 0] = '\0';
  }
#endif
  for (p = path; *p != '\0'; p++) {
    if (*p == '/' || *p == '\\')
      base = p + 1;
  }
  snprintf(out, capacity, "%s", base);
}

/* ---------------------------------------------------------------------------------------------- */
/* Configuration                                                                                  */
/* ---------------------------------------------------------------------------------------------- */

typedef struct shim_config {
  char source[SHIM_PATH_MAX]; /* where it was read from, for messages */
  char *text;                 /* the file's bytes, parsed in place: every value points into it */
  const char *jvm;
  const char *classpath;
  const char *jvm_options[SHIM_MAX_VALUES];
  int jvm_option_count;
  const char *entry_class; /* NULL: SHIM_DEFAULT_ENTRY_CLASS */
  const char *allow[SHIM_MAX_VALUES];
  int allow_count;
  const char *fail_policy;
  int fail_closed; /* fail_policy=fail */
  const char *lower_provider;
  const char *log;
} shim_config;

static void shim_config_init(shim_config *config) {
  memset(config, 0, sizeof *config);
}

static void shim_config_free(shim_config *config) {
  free(config->text);
  config->text = NULL;
}

/* The config file's path: the environment override, else the registry value (Windows) or the
 * fixed path (Linux). */
static int shim_config_path(char *out, size_t capacity) {
#if defined(_WIN32)
  wchar_t wide[SHIM_PATH_MAX];
  DWORD n = GetEnvironmentVariableW(L"" SHIM_CONFIG_ENV, wide, SHIM_PATH_MAX);
  if (n == 0 || n >= SHIM_PATH_MAX) {
    HKEY key;
    DWORD size = sizeof wide;
    LSTATUS status;
    /* KEY_WOW64_64KEY: the 32-bit build reads the same value as the 64-bit one. */
    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\wsp4j", 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key);
    if (status != ERROR_SUCCESS)
      return shim_error("no %s and no registry key HKLM\\SOFTWARE\\wsp4j (error %ld)", SHIM_CONFIG_ENV, (long) status);
    /* RRF_RT_REG_SZ alone also accepts a REG_EXPAND_SZ value, expanded (adding RRF_RT_REG_EXPAND_SZ
     * without RRF_NOEXPAND is ERROR_INVALID_PARAMETER before Windows 8.1). */
    status = RegGetValueW(key, NULL, L"ConfigPath", RRF_RT_REG_SZ, NULL, wide, &size);
    RegCloseKey(key);
    if (status != ERROR_SUCCESS)
      return shim_error("no %s and no registry value HKLM\\SOFTWARE\\wsp4j\\ConfigPath (error %ld)", SHIM_CONFIG_ENV, (long) status);
  }
  return shim_wide_to_utf8(wide, out, (int) capacity);
#else
  const char *path = getenv(SHIM_CONFIG_ENV);
  snprintf(out, capacity, "%s", path != NULL && path[0] != '\0' ? path : "/etc/wsp4j/shim.conf");
  return 0;
#endif
}

static char *shim_trim(char *text) {
  char *end;
  while (*text == ' ' || *text == '\t')
    text++;
  end = text + strlen(text);
  while (end > text && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    *--end = '\0';
  return text;
}

static int shim_config_single(const char **slot, const char *key, const char *value, int line) {
  if (*slot != NULL)
    return shim_error("line %d: `%s` given twice", line, key);
  *slot = value;
  return 0;
}

static int shim_config_append(const char **list, int *count, const char *key, const char *value, int line) {
  if (value[0] == '\0')
    return 0; /* `allow=` adds nothing */
  if (*count == SHIM_MAX_VALUES)
    return shim_error("line %d: more than %d `%s` lines", line, SHIM_MAX_VALUES, key);
  list[(*count)++] = value;
  return 0;
}

static int shim_config_set(shim_config *config, const char *key, const char *value, int line) {
  if (strcmp(key, "jvm") == 0)
    return shim_config_single(&config->jvm, key, value, line);
  if (strcmp(key, "classpath") == 0)
    return shim_config_single(&config->classpath, key, value, line);
  if (strcmp(key, "jvm_option") == 0)
    return shim_config_append(config->jvm_options, &config->jvm_option_count, key, value, line);
  if (strcmp(key, "entry_class") == 0)
    return shim_config_single(&config->entry_class, key, value, line);
  if (strcmp(key, "allow") == 0)
    return shim_config_append(config->allow, &config->allow_count, key, value, line);
  if (strcmp(key, "fail_policy") == 0) {
    if (shim_config_single(&config->fail_policy, key, value, line) < 0)
      return -1;
    if (strcmp(value, "pass-through") == 0)
      config->fail_closed = 0;
    else if (strcmp(value, "fail") == 0)
      config->fail_closed = 1;
    else
      return shim_error("line %d: fail_policy must be `pass-through` or `fail`, not `%s`", line, value);
    return 0;
  }
  if (strcmp(key, "lower_provider") == 0)
    return shim_config_single(&config->lower_provider, key, value, line);
  if (strcmp(key, "log") == 0)
    return shim_config_single(&config->log, key, value, line);
  return shim_error("line %d: unknown key `%s`", line, key);
}

static int shim_config_parse(shim_config *config) {
  char *line = config->text;
  int line_number = 0;
  if ((unsigned char) line[0] == 0xEF && (unsigned char) line[1] == 0xBB && (unsigned char) line[2] == 0xBF)
    line += 3; /* a UTF-8 byte order mark, as some Windows editors write */
  while (line != NULL) {
    char *next = strchr(line, '\n');
    char *equals;
    char *key;
    if (next != NULL)
      *next++ = '\0';
    line_number++;
    line = shim_trim(line);
    if (line[0] == '\0' || line[0] == '#') {
      line = next;
      continue;
    }
    equals = strchr(line, '=');
    if (equals == NULL)
      return shim_error("line %d: expected key=value", line_number);
    *equals = '\0';
    key = shim_trim(line);
    if (shim_config_set(config, key, shim_trim(equals + 1), line_number) < 0)
      return -1;
    line = next;
  }
  return 0;
}

/* Reads and parses the configuration. On failure the config is left empty: nothing targeted. */
static int shim_config_load(shim_config *config) {
  FILE *file = NULL;
  long size;
  int result = -1;

  shim_config_init(config);
  if (shim_config_path(config->source, sizeof config->source) < 0)
    goto cleanup;
  file = shim_fopen(config->source, "rb");
  if (file == NULL) {
    shim_error("cannot open %s", config->source);
    goto cleanup;
  }
  if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 || size > SHIM_MAX_CONFIG_BYTES ||
      fseek(file, 0, SEEK_SET) != 0) {
    shim_error("cannot read %s (or it is larger than %d bytes)", config->source, SHIM_MAX_CONFIG_BYTES);
    goto cleanup;
  }
  config->text = malloc((size_t) size + 4); /* room for the NUL and a short BOM check */
  if (config->text == NULL) {
    shim_error("out of memory reading %s", config->source);
    goto cleanup;
  }
  memset(config->text, 0, (size_t) size + 4);
  if (fread(config->text, 1, (size_t) size, file) != (size_t) size) {
    shim_error("cannot read %s", config->source);
    goto cleanup;
  }
  if (shim_config_parse(config) < 0) {
    char detail[SHIM_MESSAGE_MAX];
    snprintf(detail, sizeof detail, "%s", shim_error_message());
    shim_error("%s: %s", config->source, detail);
    goto cleanup;
  }
  result = 0;

cleanup:
  if (file != NULL)
    fclose(file);
  if (result < 0) {
    char source[SHIM_PATH_MAX];
    memcpy(source, config->source, sizeof source);
    shim_config_free(config);
    shim_config_init(config);
    memcpy(config->source, source, sizeof source);
  }
  return result;
}

/* ---------------------------------------------------------------------------------------------- */
/* Logging: one line per failure, appended to the configured file, else the debugger (Windows) or  */
/* stderr (the Linux host only: a targeted Windows process's stdout/stderr are never written)      */
/* ---------------------------------------------------------------------------------------------- */

/*
 * Appends one line to the log file, opened for appending only (FILE_APPEND_DATA / O_APPEND): the
 * installer may give ordinary users append rights without write rights, and every line lands whole
 * at the end even with several processes writing. On failure, why it failed goes to `why`.
 */
static int shim_log_append(const char *path, const char *line, char *why, size_t why_capacity) {
  size_t length = strlen(line);
#if defined(_WIN32)
  wchar_t wide_path[SHIM_PATH_MAX];
  HANDLE file;
  DWORD written = 0;
  BOOL ok;
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wide_path, SHIM_PATH_MAX) == 0) {
    snprintf(why, why_capacity, "the log path %s is not valid UTF-8 or too long", path);
    return -1;
  }
  file = CreateFileW(wide_path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                     OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (file == INVALID_HANDLE_VALUE) {
    snprintf(why, why_capacity, "cannot open the log %s (error %lu)", path, GetLastError());
    return -1;
  }
  ok = WriteFile(file, line, (DWORD) length, &written, NULL);
  if (!ok || written != length)
    snprintf(why, why_capacity, "cannot write the log %s (error %lu)", path, GetLastError());
  CloseHandle(file);
  return ok && written == length ? 0 : -1;
#else
  ssize_t written;
  int file = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (file < 0) {
    snprintf(why, why_capacity, "cannot open the log %s (%s)", path, strerror(errno));
    return -1;
  }
  do
    written = write(file, line, length); /* one write: O_APPEND keeps the line whole */
  while (written < 0 && errno == EINTR);
  if (written != (ssize_t) length)
    snprintf(why, why_capacity, "cannot write the log %s (%s)", path, written < 0 ? strerror(errno) : "short write");
  close(file);
  return written == (ssize_t) length ? 0 : -1;
#endif
}

#if defined(_WIN32)
/* The debugger gets UTF-16: OutputDebugStringA would read the UTF-8 line in the ANSI code page. */
static void shim_debug_output(const char *line) {
  wchar_t wide[SHIM_MESSAGE_MAX * 4 + 800];
  /* No MB_ERR_INVALID_CHARS: a line cut inside a character still goes out, with U+FFFD. */
  if (MultiByteToWideChar(CP_UTF8, 0, line, -1, wide, (int) (sizeof wide / sizeof wide[0])) == 0)
    OutputDebugStringW(L"wsp4j-shim: a log line could not be converted to UTF-16\n");
  else
    OutputDebugStringW(wide);
}
#endif

static void shim_log(const shim_config *config, const char *format, ...) {
  char image[256];
  char message[SHIM_MESSAGE_MAX * 2];
  char line[SHIM_MESSAGE_MAX * 4 + 800];
  char why[SHIM_PATH_MAX + 100] = "";
  char stamp[32] = "";
  time_t now = time(NULL);
  struct tm utc;
  va_list args;

  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  shim_image_name(image, sizeof image);
#if defined(_WIN32)
  if (gmtime_s(&utc, &now) == 0)
#else
  if (gmtime_r(&now, &utc) != NULL)
#endif
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  snprintf(line, sizeof line, "%s wsp4j-shim %s[%lu]: %s\n", stamp, image, shim_pid(), message);

  if (config->log != NULL) {
    if (shim_log_append(config->log, line, why, sizeof why) == 0)
      return;
    /* Where the line goes instead says why it is not in the log. */
    snprintf(line, sizeof line, "%s wsp4j-shim %s[%lu]: %s (%s)\n", stamp, image, shim_pid(), message, why);
  }
#if defined(_WIN32)
  shim_debug_output(line); /* a host process may have no console; a debugger or DebugView sees this */
#else
  fputs(line, stderr);
#endif
}

/* ---------------------------------------------------------------------------------------------- */
/* Targeting: the allow-list matched against the executable's base name                          */
/* ---------------------------------------------------------------------------------------------- */

static int shim_fold(int c) {
#if defined(_WIN32)
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; /* Windows file names ignore (ASCII) case */
#else
  return c;
#endif
}

/* Glob match: `*` any run, `?` one byte. */
static int shim_matches(const char *pattern, const char *name) {
  const char *star = NULL;
  const char *resume = NULL;
  while (*name != '\0') {
    if (*pattern == '*') {
      star = pattern++;
      resume = name;
    } else if (*pattern == '?' || (*pattern != '\0' && shim_fold((unsigned char) *pattern) == shim_fold((unsigned char) *name))) {
      pattern++;
      name++;
    } else if (star != NULL) {
      pattern = star + 1;
      name = ++resume;
    } else {
      return 0;
    }
  }
  while (*pattern == '*')
    pattern++;
  return *pattern == '\0';
}

static int shim_targets_this_process(const shim_config *config) {
  char image[256];
  int i;
  shim_image_name(image, sizeof image);
  for (i = 0; i < config->allow_count; i++) {
    if (shim_matches(config->allow[i], image))
      return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Pass-through: the next provider's WSPStartup, its result and table handed back untouched       */
/* ---------------------------------------------------------------------------------------------- */

/* The WSPStartup of a loaded provider library. Never unloaded: its table is what the caller will use. */
static int shim_lower_startup(shim_lib lib, const char *path, shim_wsp_startup_fn *startup) {
  *startup = (shim_wsp_startup_fn) shim_lib_symbol(lib, "WSPStartup");
  if (*startup == NULL)
    return shim_error("%s exports no WSPStartup", path);
  return 0;
}

static int shim_lower_from_path(const char *path, shim_wsp_startup_fn *startup) {
  shim_lib lib;
  if (shim_lib_open(path, NULL, &lib) < 0)
    return -1;
  return shim_lower_startup(lib, path, startup);
}

#if defined(_WIN32)
typedef int(SHIM_WSPAPI *shim_wsc_enum_protocols_fn)(int *protocols, shim_protocol_info *buffer,
                                                      shim_dword *buffer_length, int *error);
typedef int(SHIM_WSPAPI *shim_wsc_get_provider_path_fn)(shim_guid *provider_id, shim_wchar *path,
                                                         int *path_length, int *error);

/*
 * Base providers' own catalog entries, as their WSPStartup got them. A provider may keep the pointer
 * until its WSPCleanup, which ws2_32 calls before it unloads this DLL, so they live as long as the DLL;
 * an entry is found again by the next WSPStartup, so a process that starts and stops Winsock over and
 * over uses no more memory each time. Guarded by the lock.
 */
#define SHIM_MAX_BASE_INFOS 64
static shim_protocol_info shim_base_infos[SHIM_MAX_BASE_INFOS];
static int shim_base_info_count;

static shim_protocol_info *shim_base_info(const shim_protocol_info *entry) {
  shim_protocol_info *kept = NULL;
  int i;
  shim_lock();
  for (i = 0; i < shim_base_info_count && kept == NULL; i++) {
    if (memcmp(&shim_base_infos[i], entry, sizeof *entry) == 0)
      kept = &shim_base_infos[i];
  }
  if (kept == NULL && shim_base_info_count < SHIM_MAX_BASE_INFOS) {
    kept = &shim_base_infos[shim_base_info_count++];
    *kept = *entry;
  }
  shim_unlock();
  if (kept == NULL && (kept = malloc(sizeof *kept)) != NULL)
    *kept = *entry; /* a catalog changed that often while the DLL stayed loaded: kept for the process's life */
  return kept;
}

static const shim_protocol_info *shim_catalog_find(const shim_protocol_info *entries, int count, shim_dword id) {
  int i;
  for (i = 0; i < count; i++) {
    if (entries[i].catalog_entry_id == id)
      return &entries[i];
  }
  return NULL;
}

/* The provider DLL path of a catalog entry, environment variables expanded, UTF-8. */
static int shim_catalog_path(shim_wsc_get_provider_path_fn get_path, const shim_protocol_info *entry,
                             char *out, size_t capacity) {
  wchar_t raw[SHIM_PATH_MAX];
  wchar_t expanded[SHIM_PATH_MAX];
  shim_guid id = entry->provider_id;
  int length = SHIM_PATH_MAX;
  int error = 0;
  DWORD n;
  raw[0] = L'\0'; /* a WSCGetProviderPath that succeeds without writing (Wine's) leaves it empty */
  if (get_path(&id, (shim_wchar *) raw, &length, &error) != 0)
    return shim_error("WSCGetProviderPath failed for catalog entry %lu (error %d)", (unsigned long) entry->catalog_entry_id, error);
  raw[SHIM_PATH_MAX - 1] = L'\0';
  if (raw[0] == L'\0')
    return shim_error("WSCGetProviderPath gave no path for catalog entry %lu", (unsigned long) entry->catalog_entry_id);
  n = ExpandEnvironmentStringsW(raw, expanded, SHIM_PATH_MAX);
  if (n == 0 || n > SHIM_PATH_MAX)
    return shim_error("cannot expand the provider path of catalog entry %lu", (unsigned long) entry->catalog_entry_id);
  return shim_wide_to_utf8(expanded, out, (int) capacity);
}

/* This DLL's module handle, or NULL. */
static HMODULE shim_own_module(void) {
  HMODULE self;
  if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                          (LPCWSTR) (void *) &shim_own_module, &self))
    return NULL;
  return self;
}

/* This module's own path, to find which entry of the chain is ours. */
static int shim_own_path(HMODULE self, char *out, size_t capacity) {
  wchar_t wide[SHIM_PATH_MAX];
  DWORD n;
  if (self == NULL)
    return shim_error("cannot find the shim's own module");
  n = GetModuleFileNameW(self, wide, SHIM_PATH_MAX);
  if (n == 0 || n >= SHIM_PATH_MAX)
    return shim_error("cannot read the shim's own path (error %lu)", GetLastError());
  return shim_wide_to_utf8(wide, out, (int) capacity);
}

/*
 * The next provider in lpProtocolInfo's chain: the entry after ours (ours is the one whose provider
 * path is this DLL; ChainEntries[0] when that cannot be told, the usual place of a freshly installed
 * LSP). An entry whose library turns out to be this very DLL (its path spelled otherwise than the one
 * the loader keeps: "\.\", "/", "..") is ours too, and passed over: calling our own WSPStartup would
 * recurse until the stack overflows. A base provider gets its own catalog entry as protocol info, a
 * layered one the caller's, as Microsoft's LSP sample does.
 */
static int shim_lower_from_catalog(const shim_protocol_info *info, shim_wsp_startup_fn *startup,
                                   shim_protocol_info **lower_info) {
  HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
  shim_wsc_enum_protocols_fn enum_protocols;
  shim_wsc_get_provider_path_fn get_path;
  shim_protocol_info *entries = NULL;
  const shim_protocol_info *next_entry;
  HMODULE self = shim_own_module();
  HMODULE lib;
  shim_dword length = 0;
  char own[SHIM_PATH_MAX];
  char path[SHIM_PATH_MAX];
  int error = 0;
  int count;
  int chain_len;
  int next = 1;
  int attempt;
  int i;
  int result = -1;

  if (info == NULL) {
    shim_error("no protocol info to find the lower provider from");
    goto cleanup;
  }
  chain_len = info->protocol_chain.chain_len;
  if (chain_len < 2 || chain_len > SHIM_MAX_PROTOCOL_CHAIN) {
    shim_error("catalog entry %lu is not a protocol chain (ChainLen %d)", (unsigned long) info->catalog_entry_id, chain_len);
    goto cleanup;
  }
  if (ws2 == NULL) {
    shim_error("ws2_32.dll is not loaded");
    goto cleanup;
  }
  enum_protocols = (shim_wsc_enum_protocols_fn) shim_lib_symbol(ws2, "WSCEnumProtocols");
  get_path = (shim_wsc_get_provider_path_fn) shim_lib_symbol(ws2, "WSCGetProviderPath");
  if (enum_protocols == NULL || get_path == NULL) {
    shim_error("ws2_32.dll lacks WSCEnumProtocols or WSCGetProviderPath");
    goto cleanup;
  }
  /* The first call only sizes the buffer (it fails with WSAENOBUFS); the catalog may grow before the
   * next one (an installer at work), which then asks for more again. */
  for (attempt = 0;; attempt++) {
    error = 0;
    count = enum_protocols(NULL, entries, &length, &error);
    if (count >= 0)
      break;
    if (error != SHIM_WSAENOBUFS || length == 0 || attempt == 3) {
      shim_error("WSCEnumProtocols failed (error %d)", error);
      goto cleanup;
    }
    free(entries);
    if ((entries = malloc(length)) == NULL) {
      shim_error("out of memory");
      goto cleanup;
    }
  }
  if (shim_own_path(self, own, sizeof own) == 0) {
    for (i = 0; i < chain_len - 1; i++) {
      const shim_protocol_info *entry = shim_catalog_find(entries, count, info->protocol_chain.chain_entries[i]);
      if (entry != NULL && shim_catalog_path(get_path, entry, path, sizeof path) == 0 && _stricmp(path, own) == 0) {
        next = i + 1;
        break;
      }
    }
  }
  for (;; next++) {
    if (next >= chain_len) {
      shim_error("the chain of catalog entry %lu names no provider below this DLL", (unsigned long) info->catalog_entry_id);
      goto cleanup;
    }
    next_entry = shim_catalog_find(entries, count, info->protocol_chain.chain_entries[next]);
    if (next_entry == NULL) {
      shim_error("chain entry %d (catalog id %lu) is not in the catalog", next, (unsigned long) info->protocol_chain.chain_entries[next]);
      goto cleanup;
    }
    if (shim_catalog_path(get_path, next_entry, path, sizeof path) < 0 || shim_lib_open(path, NULL, &lib) < 0)
      goto cleanup;
    if (lib != self)
      break;
    FreeLibrary(lib); /* the reference that LoadLibrary of this very DLL took */
  }
  if (shim_lower_startup(lib, path, startup) < 0)
    goto cleanup;
  if (next_entry->protocol_chain.chain_len == SHIM_BASE_PROTOCOL) {
    *lower_info = shim_base_info(next_entry);
    if (*lower_info == NULL) {
      shim_error("out of memory");
      goto cleanup;
    }
  } else {
    *lower_info = (shim_protocol_info *) info;
  }
  result = 0;

cleanup:
  free(entries);
  return result;
}
#endif

static int shim_pass_through(const shim_config *config, shim_word version, shim_wsp_data *wsp_data,
                             shim_protocol_info *protocol_info, const shim_upcall_table *upcall_table,
                             shim_proc_table *proc_table, int *status) {
  shim_wsp_startup_fn lower = NULL;
  shim_protocol_info *lower_info = protocol_info;
#if defined(_WIN32)
  if (shim_lower_from_catalog(protocol_info, &lower, &lower_info) < 0) {
    if (config->lower_provider == NULL)
      return -1; /* the catalog's error stands */
    lower_info = protocol_info;
    if (shim_lower_from_path(config->lower_provider, &lower) < 0)
      return -1;
  }
#else
  if (config->lower_provider == NULL)
    return shim_error("no `lower_provider` configured in %s (on this platform the only way to find it)", config->source);
  if (shim_lower_from_path(config->lower_provider, &lower) < 0)
    return -1;
#endif
  *status = lower(version, wsp_data, lower_info, *upcall_table, proc_table);
  return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Java: attach to the process's JVM or create one, then call the Java WSPStartup                 */
/* ---------------------------------------------------------------------------------------------- */

/* The Java provider keeps this address: the by-value table must outlive the call. */
static shim_upcall_table shim_upcalls;

#ifndef SHIM_NO_JVM
#define SHIM_JNI_VERSION JNI_VERSION_21
#define SHIM_ENTRY_METHOD "wspStartup"
#define SHIM_ENTRY_SIGNATURE "(SJJJJ)I"

typedef jint(JNICALL *shim_get_created_vms_fn)(JavaVM **vms, jsize capacity, jsize *count);
typedef jint(JNICALL *shim_create_vm_fn)(JavaVM **vm, void **env, void *args);

/* JNI_CreateJavaVM cannot be retried in a process once it failed; guarded by the lock. */
static int shim_jvm_creation_failed;

/* The JDK's bin directory for a JVM library at <jdk>/bin/server/jvm.dll: jvm.dll's own imports (the
 * C runtime) are there, not next to it. NULL if the path is too short to have one. */
static const char *shim_jvm_bin_dir(const char *jvm, char *out, size_t capacity) {
  int level;
  snprintf(out, capacity, "%s", jvm);
  for (level = 0; level < 2; level++) {
    char *separator = strrchr(out, '\\');
    if (separator == NULL)
      separator = strrchr(out, '/');
    if (separator == NULL)
      return NULL;
    *separator = '\0';
  }
  return out;
}

/* JNI's entry points: from the JVM library already in the process (*in_process set), else from the
 * configured library. */
static int shim_jvm_functions(const shim_config *config, shim_get_created_vms_fn *get_created,
                              shim_create_vm_fn *create, int *in_process) {
  shim_lib lib = NULL;
#if defined(_WIN32)
  lib = GetModuleHandleW(L"jvm.dll");
#else
  if (dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs") != NULL)
    lib = RTLD_DEFAULT;
#endif
  *in_process = lib != NULL;
  if (lib == NULL) {
    char bin[SHIM_PATH_MAX];
    if (config->jvm == NULL)
      return shim_error("no JVM in the process and no `jvm` configured in %s", config->source);
    if (shim_lib_open(config->jvm, shim_jvm_bin_dir(config->jvm, bin, sizeof bin), &lib) < 0)
      return -1;
  }
  *get_created = (shim_get_created_vms_fn) shim_lib_symbol(lib, "JNI_GetCreatedJavaVMs");
  *create = (shim_create_vm_fn) shim_lib_symbol(lib, "JNI_CreateJavaVM");
  if (*get_created == NULL || *create == NULL)
    return shim_error("%s exports no JNI_GetCreatedJavaVMs/JNI_CreateJavaVM", config->jvm != NULL ? config->jvm : "the JVM");
  return 0;
}

static char *shim_copy(const char *text) {
  size_t size = strlen(text) + 1;
  char *copy = malloc(size);
  if (copy != NULL)
    memcpy(copy, text, size);
  return copy;
}

#if defined(_WIN32)
/*
 * A JVM option in the encoding HotSpot reads it in. On Windows that is the ANSI code page, not UTF-8:
 * java.exe hands over its ANSI command line (GetCommandLineA), and the VM turns -D values into Strings
 * through the platform encoding (sun.jnu.encoding). An option the code page cannot spell is refused,
 * rather than passed as mojibake (e.g. a class path naming a file that does not exist).
 */
static int shim_jvm_option_text(const char *utf8, char **out) {
  UINT code_page = GetACP();
  wchar_t *wide = NULL;
  BOOL lossy = FALSE;
  int wide_length;
  int length;
  int result = -1;

  *out = NULL;
  wide_length = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, NULL, 0);
  if (wide_length == 0) {
    shim_error("JVM option `%s` is not valid UTF-8", utf8);
    goto cleanup;
  }
  if (code_page == CP_UTF8) { /* the system-wide "use UTF-8" setting: nothing to convert */
    *out = shim_copy(utf8);
    result = *out != NULL ? 0 : shim_error("out of memory");
    goto cleanup;
  }
  wide = malloc((size_t) wide_length * sizeof *wide);
  if (wide == NULL) {
    shim_error("out of memory");
    goto cleanup;
  }
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, wide, wide_length);
  /* WC_NO_BEST_FIT_CHARS: no silent look-alikes; a character without its own code counts as lost. */
  length = WideCharToMultiByte(code_page, WC_NO_BEST_FIT_CHARS, wide, -1, NULL, 0, NULL, &lossy);
  if (length == 0 || lossy) {
    shim_error("JVM option `%s` cannot be written in the ANSI code page (%u), which the JVM reads its options in", utf8, code_page);
    goto cleanup;
  }
  *out = malloc((size_t) length);
  if (*out == NULL) {
    shim_error("out of memory");
    goto cleanup;
  }
  WideCharToMultiByte(code_page, WC_NO_BEST_FIT_CHARS, wide, -1, *out, length, NULL, NULL);
  result = 0;

cleanup:
  free(wide);
  return result;
}
#else
/* Linux: the bytes as configured (HotSpot reads them in the locale's encoding, UTF-8 on the host). */
static int shim_jvm_option_text(const char *utf8, char **out) {
  *out = shim_copy(utf8);
  return *out != NULL ? 0 : shim_error("out of memory");
}
#endif

static int shim_jvm_create(const shim_config *config, shim_create_vm_fn create, JavaVM **vm, JNIEnv **env) {
  static const char class_path_prefix[] = "-Djava.class.path=";
  JavaVMOption *options = NULL;
  JavaVMInitArgs args;
  char *class_path = NULL;
  int count = 0;
  int i;
  jint status;
  int result = -1;

  if (shim_jvm_creation_failed) {
    shim_error("creating the JVM failed earlier in this process; a JVM cannot be created twice");
    goto cleanup;
  }
  options = calloc((size_t) config->jvm_option_count + 1, sizeof *options);
  if (options == NULL) {
    shim_error("out of memory");
    goto cleanup;
  }
  if (config->classpath != NULL) {
    class_path = malloc(sizeof class_path_prefix + strlen(config->classpath));
    if (class_path == NULL) {
      shim_error("out of memory");
      goto cleanup;
    }
    strcpy(class_path, class_path_prefix);
    strcat(class_path, config->classpath);
    if (shim_jvm_option_text(class_path, &options[count++].optionString) < 0)
      goto cleanup;
  }
  for (i = 0; i < config->jvm_option_count; i++) {
    if (shim_jvm_option_text(config->jvm_options[i], &options[count++].optionString) < 0)
      goto cleanup;
  }
  args.version = SHIM_JNI_VERSION;
  args.nOptions = count;
  args.options = options;
  args.ignoreUnrecognized = JNI_FALSE; /* a mistyped option is a clear failure, not a silent one */
  status = create(vm, (void **) env, &args);
  if (status != JNI_OK) {
    shim_jvm_creation_failed = 1;
    shim_error("JNI_CreateJavaVM failed (%d)", (int) status);
    goto cleanup;
  }
  result = 0;

cleanup:
  free(class_path);
  if (options != NULL) {
    for (i = 0; i < count; i++)
      free(options[i].optionString);
  }
  free(options);
  return result;
}

/* An env for this thread; *attached tells whether the shim attached it (and so must detach it). */
static int shim_jvm_env(const shim_config *config, JavaVM **vm, JNIEnv **env, int *attached) {
  shim_get_created_vms_fn get_created = NULL;
  shim_create_vm_fn create = NULL;
  jsize count = 0;
  jint status;
  int in_process = 0;
  int result = -1;

  *attached = 0;
  shim_lock();
  if (shim_jvm_functions(config, &get_created, &create, &in_process) < 0)
    goto cleanup;
  if (get_created(vm, 1, &count) != JNI_OK) {
    shim_error("JNI_GetCreatedJavaVMs failed");
    goto cleanup;
  }
  if (count == 0 && in_process && !shim_jvm_creation_failed) {
    /* A JVM library the shim did not load, with no JVM yet: the application is creating its own (a
     * socket from a java agent's premain or JDWP's listener comes before JNI_CreateJavaVM returns),
     * or the shim's own attempt in an earlier load of this DLL failed. Creating one here would take
     * the application's place (its own JNI_CreateJavaVM would then fail), and HotSpot refuses a second
     * attempt in a process: this start goes without Java, a later one attaches once the JVM exists. */
    shim_error("the process has a JVM library but no JVM yet (its own is being created): not creating one in its place");
    goto cleanup;
  }
  if (count == 0) {
    if (shim_jvm_create(config, create, vm, env) < 0)
      goto cleanup;
    *attached = 1; /* creating a JVM attaches the creating thread */
    result = 0;
    goto cleanup;
  }
  status = (**vm)->GetEnv(*vm, (void **) env, SHIM_JNI_VERSION);
  if (status == JNI_EDETACHED) {
    /* As a daemon: an application thread must never keep the JVM from shutting down. */
    status = (**vm)->AttachCurrentThreadAsDaemon(*vm, (void **) env, NULL);
    if (status != JNI_OK) {
      shim_error("cannot attach the thread to the JVM (%d)", (int) status);
      goto cleanup;
    }
    *attached = 1;
  } else if (status != JNI_OK) {
    shim_error("the JVM in the process does not support JNI 21 (%d)", (int) status);
    goto cleanup;
  }
  result = 0;

cleanup:
  shim_unlock();
  return result;
}

/* Records the pending exception as the error, and clears it. */
static int shim_java_exception(JNIEnv *env, const char *what) {
  jthrowable thrown = (*env)->ExceptionOccurred(env);
  jclass throwable;
  jmethodID to_string;
  jstring text = NULL;
  const char *chars = NULL;

  (*env)->ExceptionClear(env);
  if (thrown == NULL)
    return shim_error("%s", what);
  throwable = (*env)->FindClass(env, "java/lang/Throwable");
  to_string = throwable != NULL ? (*env)->GetMethodID(env, throwable, "toString", "()Ljava/lang/String;") : NULL;
  if (to_string != NULL)
    text = (jstring) (*env)->CallObjectMethod(env, thrown, to_string);
  if (text != NULL && !(*env)->ExceptionCheck(env))
    chars = (*env)->GetStringUTFChars(env, text, NULL);
  (*env)->ExceptionClear(env);
  shim_error("%s: %s", what, chars != NULL ? chars : "an exception (its description failed too)");
  if (chars != NULL)
    (*env)->ReleaseStringUTFChars(env, text, chars);
  return -1;
}

/* The entry class, through the system class loader: FindClass would use the loader of whatever Java
 * frame happens to be on top, which on an attached or downcalling thread is not the application's. */
static jclass shim_java_entry_class(JNIEnv *env, const char *entry_class) {
  char name[512];
  char *p;
  jclass class_loader;
  jclass class_class;
  jmethodID system_loader;
  jmethodID for_name;
  jobject loader;
  jstring java_name;
  jobject found;

  if (snprintf(name, sizeof name, "%s", entry_class) >= (int) sizeof name) {
    shim_error("entry_class is too long");
    return NULL;
  }
  for (p = name; *p != '\0'; p++) {
    if (*p == '/')
      *p = '.';
  }
  class_loader = (*env)->FindClass(env, "java/lang/ClassLoader");
  class_class = (*env)->FindClass(env, "java/lang/Class");
  if (class_loader == NULL || class_class == NULL)
    goto failed;
  system_loader = (*env)->GetStaticMethodID(env, class_loader, "getSystemClassLoader", "()Ljava/lang/ClassLoader;");
  for_name = (*env)->GetStaticMethodID(env, class_class, "forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
  if (system_loader == NULL || for_name == NULL)
    goto failed;
  loader = (*env)->CallStaticObjectMethod(env, class_loader, system_loader);
  if ((*env)->ExceptionCheck(env))
    goto failed;
  java_name = (*env)->NewStringUTF(env, name);
  if (java_name == NULL)
    goto failed;
  found = (*env)->CallStaticObjectMethod(env, class_class, for_name, java_name, JNI_TRUE, loader);
  if ((*env)->ExceptionCheck(env) || found == NULL)
    goto failed;
  return (jclass) found;

failed:
  shim_java_exception(env, "cannot load the entry class");
  return NULL;
}

static int shim_java_call(JNIEnv *env, const shim_config *config, shim_word version, shim_wsp_data *wsp_data,
                          shim_protocol_info *protocol_info, shim_proc_table *proc_table, int *status) {
  jclass entry;
  jmethodID method;
  jint returned;
  int result = -1;

  /* A frame of our own: on a thread already in Java (a downcall) nothing else frees local refs. */
  if ((*env)->PushLocalFrame(env, 16) != JNI_OK)
    return shim_java_exception(env, "no room for JNI local references");
  entry = shim_java_entry_class(env, config->entry_class != NULL ? config->entry_class : SHIM_DEFAULT_ENTRY_CLASS);
  if (entry == NULL)
    goto cleanup;
  method = (*env)->GetStaticMethodID(env, entry, SHIM_ENTRY_METHOD, SHIM_ENTRY_SIGNATURE);
  if (method == NULL) {
    shim_java_exception(env, "the entry class has no static int " SHIM_ENTRY_METHOD SHIM_ENTRY_SIGNATURE);
    goto cleanup;
  }
  returned = (*env)->CallStaticIntMethod(env, entry, method, (jshort) version, (jlong) (intptr_t) wsp_data,
                                         (jlong) (intptr_t) protocol_info, (jlong) (intptr_t) &shim_upcalls,
                                         (jlong) (intptr_t) proc_table);
  if ((*env)->ExceptionCheck(env)) {
    shim_java_exception(env, "the Java WSPStartup threw");
    goto cleanup;
  }
  /* ShimEntry reports a failed start as a WSAE* code: a failure to the shim, as an exception is. */
  if (returned != 0) {
    shim_error("the Java WSPStartup returned %d", (int) returned);
    goto cleanup;
  }
  *status = 0;
  result = 0;

cleanup:
  (*env)->PopLocalFrame(env, NULL);
  return result;
}

/*
 * WSPCleanup as the Java provider's table has it, and the one the shim puts in its place. ws2_32 may
 * call WSPCleanup during process exit, after ExitProcess killed every other thread and the shim got
 * DLL_PROCESS_DETACH: entering Java then (attaching a thread, joining dispatcher threads) can hang the
 * exiting process. As Microsoft's sample LSP does, a detached DLL returns at once with NO_ERROR.
 */
static shim_wsp_cleanup_fn shim_java_cleanup;

static int SHIM_WSPAPI shim_wsp_cleanup(int *errno_out) {
  shim_wsp_cleanup_fn java_cleanup;
  if (shim_process_detached())
    return SHIM_NO_ERROR;
  shim_lock();
  java_cleanup = shim_java_cleanup;
  shim_unlock();
  if (java_cleanup == NULL) { /* cannot happen: the wrapper is only handed out with Java's entry set */
    if (errno_out != NULL)
      *errno_out = SHIM_WSANOTINITIALISED;
    return SHIM_SOCKET_ERROR;
  }
  return java_cleanup(errno_out);
}

/* Keeps the Java table's WSPCleanup and puts shim_wsp_cleanup in its place. The Java provider hands
 * every WSPStartup of the process the same table (a new one only after its last WSPCleanup), so one
 * saved entry, the latest, serves them all. */
static int shim_wrap_cleanup(shim_proc_table *proc_table) {
  shim_wsp_cleanup_fn java_cleanup;
  shim_wsp_cleanup_fn wrapper = shim_wsp_cleanup;
  memcpy(&java_cleanup, &proc_table->entries[SHIM_PROC_WSP_CLEANUP], sizeof java_cleanup);
  if (java_cleanup == NULL)
    return shim_error("the Java WSPStartup returned a table without WSPCleanup");
  shim_lock();
  shim_java_cleanup = java_cleanup;
  shim_unlock();
  memcpy(&proc_table->entries[SHIM_PROC_WSP_CLEANUP], &wrapper, sizeof wrapper);
  return 0;
}

static int shim_java_startup(const shim_config *config, shim_word version, shim_wsp_data *wsp_data,
                             shim_protocol_info *protocol_info, shim_proc_table *proc_table, int *status) {
  JavaVM *vm;
  JNIEnv *env;
  int attached;
  int result;
  if (proc_table == NULL)
    return shim_error("no proc table to fill");
  if (shim_jvm_env(config, &vm, &env, &attached) < 0)
    return -1;
  result = shim_java_call(env, config, version, wsp_data, protocol_info, proc_table, status);
  if (attached)
    (*vm)->DetachCurrentThread(vm);
  if (result == 0)
    result = shim_wrap_cleanup(proc_table);
  return result;
}

#else /* SHIM_NO_JVM */

static int shim_java_startup(const shim_config *config, shim_word version, shim_wsp_data *wsp_data,
                             shim_protocol_info *protocol_info, shim_proc_table *proc_table, int *status) {
  (void) config, (void) version, (void) wsp_data, (void) protocol_info, (void) proc_table, (void) status;
  return shim_error("this build has no JVM support (there is no 32-bit JDK 22+ for Windows)");
}

#endif

/* ---------------------------------------------------------------------------------------------- */
/* The entry point                                                                                */
/* ---------------------------------------------------------------------------------------------- */

SHIM_EXPORT int SHIM_WSPAPI WSPStartup(shim_word version, shim_wsp_data *wsp_data,
                                       shim_protocol_info *protocol_info, shim_upcall_table upcall_table,
                                       shim_proc_table *proc_table) {
  shim_config config;
  char problem[SHIM_MESSAGE_MAX * 2] = ""; /* what went wrong so far: logged once, at the end */
  int status = SHIM_WSAEPROVIDERFAILEDINIT;
  shim_thread_state *outer = shim_thread_current(); /* a WSPStartup of ours further up this thread, if any */
  shim_thread_state thread_state;

  thread_state.message[0] = '\0';
  thread_state.in_java_startup = 0;
  shim_thread_set(&thread_state);

  if (shim_config_load(&config) < 0)
    snprintf(problem, sizeof problem, "no usable configuration (%s), no process targeted", shim_error_message());

  if (outer != NULL && outer->in_java_startup) {
    /* Re-entered from the JVM's own start on this thread: not targeted, by construction. */
  } else if (shim_targets_this_process(&config)) {
    shim_proc_table caller_table;
    shim_wsp_data caller_data;
    int java_result;
    /* What the caller passed, to undo whatever a failed Java start wrote into it. */
    if (proc_table != NULL)
      caller_table = *proc_table;
    if (wsp_data != NULL)
      caller_data = *wsp_data;
    shim_lock();
    shim_upcalls = upcall_table;
    shim_unlock();
    if (!shim_thread_tracked()) {
      /* A re-entry from the JVM's start could not be told from a first call, and would wait on itself. */
      java_result = shim_error("the shim has no thread-local storage index (TlsAlloc failed when it was loaded)");
    } else {
      thread_state.in_java_startup = 1;
      java_result = shim_java_startup(&config, version, wsp_data, protocol_info, proc_table, &status);
      thread_state.in_java_startup = 0;
    }
    if (java_result == 0)
      goto cleanup;
    if (proc_table != NULL)
      *proc_table = caller_table;
    if (wsp_data != NULL)
      *wsp_data = caller_data;
    if (config.fail_closed) {
      shim_log(&config, "Java provider not started: %s; failing with WSAEPROVIDERFAILEDINIT (fail_policy=fail)", shim_error_message());
      status = SHIM_WSAEPROVIDERFAILEDINIT;
      goto cleanup;
    }
    snprintf(problem, sizeof problem, "Java provider not started: %s", shim_error_message());
  }

  if (shim_pass_through(&config, version, wsp_data, protocol_info, &upcall_table, proc_table, &status) < 0) {
    shim_log(&config, "%s%scannot pass through: %s; failing with WSAEPROVIDERFAILEDINIT", problem,
             problem[0] != '\0' ? "; " : "", shim_error_message());
    status = SHIM_WSAEPROVIDERFAILEDINIT;
    goto cleanup;
  }
  if (problem[0] != '\0')
    shim_log(&config, "%s; passed through to the lower provider", problem);

cleanup:
  shim_config_free(&config);
  shim_thread_set(outer);
  return status;
}
