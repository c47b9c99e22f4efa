/*
 * Test double for ws2_32's catalog, for the shim's tests under Wine: Wine's own WSCGetProviderPath
 * gives no path, so the shim's walk of a chain (its own entry found by its DLL's path, the next
 * provider loaded by path, a base provider given its own entry) cannot run against it. Built as
 * ws2_32.dll into a folder of its own; shim_host --ws2 loads it there (WINEDLLOVERRIDES=ws2_32=n, so
 * Wine takes the file and not its builtin) before the shim, which finds it by the module name
 * ws2_32.dll. Exports WSCEnumProtocols and WSCGetProviderPath only, over the catalog in
 * $FAKE_WS2_CATALOG:
 *
 *   ENTRY;ENTRY;...    ENTRY = ID:CHAINLEN[,CHAINID...]:PATH   (PATH runs to the next ';', UTF-8)
 *
 * e.g. 1001:1:Z:\lower.dll;2000:0:Z:\wsp4j_shim.dll;2001:2,2000,1001:Z:\wsp4j_shim.dll. With
 * FAKE_WS2_GROWS=1 the first answer to a too-small buffer gives the size of one entry less, as if an
 * installer added one right after (the caller's next call then finds its buffer too small). Every entry's
 * provider GUID is {ID-0000-0000-0000-000000000000}, its szProtocol "fake entry ID", its
 * iAddressFamily 2, iSocketType 1 and iProtocol 6. Paths are returned as written (unexpanded), as
 * ws2_32 returns them.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsp4j_shim.h"

#define FAKE_MAX_ENTRIES 32
#define FAKE_PATH_MAX 1024
#define FAKE_WSAEINVAL 10022

static shim_protocol_info entries[FAKE_MAX_ENTRIES];
static wchar_t paths[FAKE_MAX_ENTRIES][FAKE_PATH_MAX];
static int entry_count = -1;

/* Parses $FAKE_WS2_CATALOG once; a malformed one ends the process (exit code 98): a test bug. */
static void load_catalog(void) {
  static char text[FAKE_MAX_ENTRIES * (FAKE_PATH_MAX + 64)];
  const char *variable = getenv("FAKE_WS2_CATALOG");
  char *entry;
  char *next;
  if (entry_count >= 0)
    return;
  entry_count = 0;
  snprintf(text, sizeof text, "%s", variable != NULL ? variable : "");
  for (entry = text; entry != NULL && *entry != '\0'; entry = next) {
    shim_protocol_info *info = &entries[entry_count];
    char *end;
    char *path;
    next = strchr(entry, ';');
    if (next != NULL)
      *next++ = '\0';
    if (entry_count == FAKE_MAX_ENTRIES)
      exit(98);
    memset(info, 0, sizeof *info);
    info->catalog_entry_id = (shim_dword) strtoul(entry, &end, 10);
    if (*end != ':')
      exit(98);
    info->protocol_chain.chain_len = (int32_t) strtol(end + 1, &end, 10);
    {
      int index = 0;
      while (*end == ',') {
        if (index == SHIM_MAX_PROTOCOL_CHAIN)
          exit(98);
        info->protocol_chain.chain_entries[index++] = (shim_dword) strtoul(end + 1, &end, 10);
      }
    }
    if (*end != ':')
      exit(98);
    path = end + 1;
    info->provider_id.data1 = info->catalog_entry_id;
    info->version = 2;
    info->address_family = 2;
    info->socket_type = 1;
    info->protocol = 6;
    {
      wchar_t name[64];
      int i;
      swprintf(name, 64, L"fake entry %lu", (unsigned long) info->catalog_entry_id);
      for (i = 0; name[i] != L'\0'; i++)
        info->protocol_name[i] = (shim_wchar) name[i];
    }
    if (MultiByteToWideChar(CP_UTF8, 0, path, -1, paths[entry_count], FAKE_PATH_MAX) == 0)
      exit(98);
    entry_count++;
  }
}

__declspec(dllexport) int WINAPI WSCEnumProtocols(int *protocols, shim_protocol_info *buffer, DWORD *length, int *error) {
  static int grown;
  DWORD needed;
  (void) protocols;
  load_catalog();
  needed = (DWORD) (entry_count * sizeof entries[0]);
  if (buffer == NULL || *length < needed) {
    const char *grows = getenv("FAKE_WS2_GROWS");
    *length = needed;
    if (!grown && grows != NULL && strcmp(grows, "1") == 0 && entry_count > 0)
      *length = needed - (DWORD) sizeof entries[0];
    grown = 1;
    *error = SHIM_WSAENOBUFS;
    return SHIM_SOCKET_ERROR;
  }
  memcpy(buffer, entries, needed);
  return entry_count;
}

__declspec(dllexport) int WINAPI WSCGetProviderPath(shim_guid *provider, wchar_t *path, int *length, int *error) {
  int i;
  load_catalog();
  for (i = 0; i < entry_count; i++) {
    if (memcmp(&entries[i].provider_id, provider, sizeof *provider) != 0)
      continue;
    if ((int) wcslen(paths[i]) >= *length) {
      *error = FAKE_WSAEINVAL;
      return SHIM_SOCKET_ERROR;
    }
    wcscpy(path, paths[i]);
    return 0;
  }
  *error = FAKE_WSAEINVAL;
  return SHIM_SOCKET_ERROR;
}
