/*
 * A stand-in lower provider for the shim's tests: exports WSPStartup, fills every entry of the
 * caller's table with a marker (0x51500000 + index), and records what it was given so the test host
 * can check the shim handed the caller's arguments down unchanged (or, for a base provider, its own
 * catalog entry): the protocol info's address, catalog entry id and chain length, and how many
 * different addresses it was given over all its calls. Returns $LOWER_STATUS (default 0).
 */
#include <stdlib.h>
#include <string.h>

#include "wsp4j_shim.h"

#define LOWER_MARKER 0x51500000u

SHIM_EXPORT int lower_calls;
SHIM_EXPORT shim_word lower_version;
SHIM_EXPORT shim_wsp_data *lower_wsp_data;
SHIM_EXPORT shim_protocol_info *lower_protocol_info;
SHIM_EXPORT shim_proc_table *lower_proc_table;
SHIM_EXPORT shim_upcall_table lower_upcall_table;
SHIM_EXPORT shim_dword lower_catalog_entry_id;
SHIM_EXPORT int lower_chain_len;
SHIM_EXPORT int lower_distinct_infos;

#define LOWER_MAX_SEEN 4096
static shim_protocol_info *seen[LOWER_MAX_SEEN];

SHIM_EXPORT int SHIM_WSPAPI WSPStartup(shim_word version, shim_wsp_data *wsp_data, shim_protocol_info *protocol_info,
                                       shim_upcall_table upcall_table, shim_proc_table *proc_table) {
  const char *status = getenv("LOWER_STATUS");
  int i;
  lower_calls++;
  lower_version = version;
  lower_wsp_data = wsp_data;
  lower_protocol_info = protocol_info;
  if (protocol_info != NULL) {
    int known = 0;
    lower_catalog_entry_id = protocol_info->catalog_entry_id;
    lower_chain_len = protocol_info->protocol_chain.chain_len;
    for (i = 0; i < lower_distinct_infos && !known; i++)
      known = seen[i] == protocol_info;
    if (!known && lower_distinct_infos < LOWER_MAX_SEEN)
      seen[lower_distinct_infos++] = protocol_info;
  }
  lower_proc_table = proc_table;
  lower_upcall_table = upcall_table;
  for (i = 0; i < SHIM_PROC_TABLE_ENTRIES; i++)
    proc_table->entries[i] = (shim_proc) (uintptr_t) (LOWER_MARKER + (unsigned) i);
  wsp_data->version = version;
  wsp_data->high_version = version;
  return status != NULL ? atoi(status) : 0;
}
