/*
 * The Linux SPI host's base provider as a shared library: what the installer names as the shim's
 * `lower_provider` in a file catalog, where the base entries are the host's own (it plays
 * mswsock.dll in-process, in Java). The shim passes an untargeted process through by loading this
 * library and calling its WSPStartup, which calls the base provider's WSPStartup of the host that
 * bound itself with wsp4j_host_base_bind (io.wsp4j.host.InstalledCatalog does, when it loads a
 * catalog). Without a bound host it fails as a missing provider would: WSAEPROVIDERFAILEDINIT.
 *
 * Linux only; built by build.sh linux next to libwsp4j_shim.so.
 */
#include <stdatomic.h>
#include <stddef.h>

#include "wsp4j_shim.h"

static _Atomic(shim_wsp_startup_fn) host_base_startup;

/* Binds (or, with NULL, unbinds) the host base provider's WSPStartup. */
SHIM_EXPORT void wsp4j_host_base_bind(shim_wsp_startup_fn startup) {
  atomic_store(&host_base_startup, startup);
}

SHIM_EXPORT int SHIM_WSPAPI WSPStartup(shim_word version, shim_wsp_data *wsp_data,
                                       shim_protocol_info *protocol_info,
                                       shim_upcall_table upcall_table,
                                       shim_proc_table *proc_table) {
  shim_wsp_startup_fn startup = atomic_load(&host_base_startup);
  if (startup == NULL)
    return SHIM_WSAEPROVIDERFAILEDINIT;
  return startup(version, wsp_data, protocol_info, upcall_table, proc_table);
}
