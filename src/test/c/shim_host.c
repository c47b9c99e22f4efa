/*
 * A Winsock-less, JVM-less process that plays ws2_32 for the shim's tests: it dlopens the shim, calls
 * its WSPStartup with recognisable arguments, and prints what came back as key=value lines for the
 * JUnit test to check (pointers in hex). Whether libjvm is mapped is read from /proc/self/maps
 * before and after.
 *
 *   shim_host SHIM_SO [LOWER_SO] [--again-on-new-thread]
 *
 * With --again-on-new-thread a second WSPStartup runs on a fresh thread that the JVM has never seen.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wsp4j_shim.h"

static shim_wsp_startup_fn startup;
static shim_protocol_info protocol_info;
static shim_upcall_table upcall_table;
static shim_wsp_data wsp_data[2];
static shim_proc_table proc_table[2];
static int status[2];

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

static void *call(void *index) {
  int i = (int) (intptr_t) index;
  status[i] = startup(0x0202, &wsp_data[i], &protocol_info, upcall_table, &proc_table[i]);
  return NULL;
}

static void print_pointer(const char *key, int index, const void *value) {
  if (index < 0)
    printf("%s=%lx\n", key, (unsigned long) (uintptr_t) value);
  else
    printf("%s.%d=%lx\n", key, index, (unsigned long) (uintptr_t) value);
}

static void print_upcalls(const char *key, const shim_upcall_table *table) {
  shim_proc entries[sizeof *table / sizeof(shim_proc)];
  int i;
  memcpy(entries, table, sizeof entries);
  for (i = 0; i < (int) (sizeof entries / sizeof entries[0]); i++) {
    void *address;
    memcpy(&address, &entries[i], sizeof address);
    print_pointer(key, i, address);
  }
}

static void print_call(int index) {
  char key[32];
  int i;
  printf("call%d.status=%d\n", index, status[index]);
  printf("call%d.wsp_version=%d\n", index, wsp_data[index].version);
  snprintf(key, sizeof key, "call%d.wsp_data", index);
  print_pointer(key, -1, &wsp_data[index]);
  snprintf(key, sizeof key, "call%d.proc_table", index);
  print_pointer(key, -1, &proc_table[index]);
  snprintf(key, sizeof key, "call%d.proc", index);
  for (i = 0; i < SHIM_PROC_TABLE_ENTRIES; i++) {
    void *address;
    memcpy(&address, &proc_table[index].entries[i], sizeof address);
    print_pointer(key, i, address);
  }
}

static void print_lower(const char *path) {
  void *lower = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  printf("lower.loaded=%d\n", lower != NULL);
  if (lower == NULL)
    return;
  printf("lower.calls=%d\n", *(int *) dlsym(lower, "lower_calls"));
  printf("lower.version=%d\n", *(shim_word *) dlsym(lower, "lower_version"));
  print_pointer("lower.protocol_info", -1, *(void **) dlsym(lower, "lower_protocol_info"));
  print_pointer("lower.wsp_data", -1, *(void **) dlsym(lower, "lower_wsp_data"));
  print_pointer("lower.proc_table", -1, *(void **) dlsym(lower, "lower_proc_table"));
  print_upcalls("lower.upcall", (shim_upcall_table *) dlsym(lower, "lower_upcall_table"));
}

int main(int argc, char **argv) {
  const char *lower_path = argc > 2 && strncmp(argv[2], "--", 2) != 0 ? argv[2] : NULL;
  int again = argc > 1 && strcmp(argv[argc - 1], "--again-on-new-thread") == 0;
  shim_proc fake[sizeof upcall_table / sizeof(shim_proc)];
  void *shim;
  void *symbol;
  size_t i;

  if (argc < 2) {
    fprintf(stderr, "usage: shim_host SHIM_SO [LOWER_SO] [--again-on-new-thread]\n");
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

  printf("jvm.before=%d\n", jvm_mapped());
  shim = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (shim == NULL) {
    fprintf(stderr, "shim_host: %s\n", dlerror());
    return 1;
  }
  symbol = dlsym(shim, "WSPStartup");
  memcpy(&startup, &symbol, sizeof startup);
  if (startup == NULL) {
    fprintf(stderr, "shim_host: no WSPStartup\n");
    return 1;
  }
  call((void *) 0);
  if (again) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, call, (void *) 1) != 0 || pthread_join(thread, NULL) != 0) {
      fprintf(stderr, "shim_host: cannot run the second call\n");
      return 1;
    }
  }
  printf("jvm.after=%d\n", jvm_mapped());
  print_pointer("host.protocol_info", -1, &protocol_info);
  print_upcalls("host.upcall", &upcall_table);
  print_call(0);
  if (again)
    print_call(1);
  if (lower_path != NULL)
    print_lower(lower_path);
  printf("done=1\n");
  fflush(stdout);
  return 0;
}
