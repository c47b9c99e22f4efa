/*
 * wsp4j native shim: the Winsock SPI types it needs, spelled with fixed-width types so that one
 * definition has the Windows layout both under mingw (LLP64) and under gcc on Linux (LP64), where the
 * host hands the shim Windows-shaped structs. No Windows SDK header is needed; SpiLayoutsTest checks
 * every size and offset here against the SDK's ws2spi.h compiled for Windows.
 */
#ifndef WSP4J_SHIM_H_
#define WSP4J_SHIM_H_

#include <stdint.h>

#if defined(_WIN32)
/* WSPAPI is WINAPI: __stdcall on x86 (the decorated name is undone by the .def), nothing on x64. */
#define SHIM_WSPAPI __stdcall
#define SHIM_EXPORT __declspec(dllexport)
#else
#define SHIM_WSPAPI
#define SHIM_EXPORT __attribute__((visibility("default")))
#endif

typedef uint16_t shim_word;
typedef uint32_t shim_dword;
typedef uint16_t shim_wchar; /* WCHAR is UTF-16 on Windows; wchar_t is 32 bits on Linux */

#define SHIM_MAX_PROTOCOL_CHAIN 7   /* MAX_PROTOCOL_CHAIN */
#define SHIM_WSAPROTOCOL_LEN 255    /* WSAPROTOCOL_LEN */
#define SHIM_WSPDESCRIPTION_LEN 255 /* WSPDESCRIPTION_LEN */
#define SHIM_BASE_PROTOCOL 1        /* ChainLen of a base provider's entry */

#define SHIM_NO_ERROR 0
#define SHIM_SOCKET_ERROR (-1)
#define SHIM_WSANOTINITIALISED 10093
#define SHIM_WSAENOBUFS 10055
#define SHIM_WSAEPROVIDERFAILEDINIT 10106

typedef struct shim_guid {
  shim_dword data1;
  shim_word data2;
  shim_word data3;
  uint8_t data4[8];
} shim_guid;

/* WSAPROTOCOLCHAIN */
typedef struct shim_protocol_chain {
  int32_t chain_len; /* 0: layered (hidden) entry, 1: base provider, > 1: a chain */
  shim_dword chain_entries[SHIM_MAX_PROTOCOL_CHAIN];
} shim_protocol_chain;

/* WSAPROTOCOL_INFOW */
typedef struct shim_protocol_info {
  shim_dword service_flags1;
  shim_dword service_flags2;
  shim_dword service_flags3;
  shim_dword service_flags4;
  shim_dword provider_flags;
  shim_guid provider_id;
  shim_dword catalog_entry_id;
  shim_protocol_chain protocol_chain;
  int32_t version;
  int32_t address_family;
  int32_t max_sockaddr;
  int32_t min_sockaddr;
  int32_t socket_type;
  int32_t protocol;
  int32_t protocol_max_offset;
  int32_t network_byte_order;
  int32_t security_scheme;
  shim_dword message_size;
  shim_dword provider_reserved;
  shim_wchar protocol_name[SHIM_WSAPROTOCOL_LEN + 1];
} shim_protocol_info;

/* WSPDATA */
typedef struct shim_wsp_data {
  shim_word version;
  shim_word high_version;
  shim_wchar description[SHIM_WSPDESCRIPTION_LEN + 1];
} shim_wsp_data;

/* An entry of either table; the shim calls none but the Java provider's WSPCleanup (see below). */
typedef void (*shim_proc)(void);

/* WSPUPCALLTABLE: 15 entries, in ws2spi.h order. WSPStartup receives it by value. */
typedef struct shim_upcall_table {
  shim_proc close_event;                  /* lpWPUCloseEvent */
  shim_proc close_socket_handle;          /* lpWPUCloseSocketHandle */
  shim_proc create_event;                 /* lpWPUCreateEvent */
  shim_proc create_socket_handle;         /* lpWPUCreateSocketHandle */
  shim_proc fd_is_set;                    /* lpWPUFDIsSet */
  shim_proc get_provider_path;            /* lpWPUGetProviderPath */
  shim_proc modify_ifs_handle;            /* lpWPUModifyIFSHandle */
  shim_proc post_message;                 /* lpWPUPostMessage */
  shim_proc query_blocking_callback;      /* lpWPUQueryBlockingCallback */
  shim_proc query_socket_handle_context;  /* lpWPUQuerySocketHandleContext */
  shim_proc queue_apc;                    /* lpWPUQueueApc */
  shim_proc reset_event;                  /* lpWPUResetEvent */
  shim_proc set_event;                    /* lpWPUSetEvent */
  shim_proc open_current_thread;          /* lpWPUOpenCurrentThread */
  shim_proc close_thread;                 /* lpWPUCloseThread */
} shim_upcall_table;

#define SHIM_PROC_TABLE_ENTRIES 30
#define SHIM_PROC_WSP_CLEANUP 5 /* lpWSPCleanup's index in WSPPROC_TABLE */

/* WSPPROC_TABLE: 30 entries, lpWSPAccept .. lpWSPStringToAddress in ws2spi.h order. */
typedef struct shim_proc_table {
  shim_proc entries[SHIM_PROC_TABLE_ENTRIES];
} shim_proc_table;

/* lpWSPCleanup: the one entry the shim wraps (process exit must not reach Java). */
typedef int(SHIM_WSPAPI *shim_wsp_cleanup_fn)(int *errno_out);

/* The one export. Returns 0 or a WSA error code, as the SPI requires. */
typedef int(SHIM_WSPAPI *shim_wsp_startup_fn)(shim_word version, shim_wsp_data *wsp_data,
                                               shim_protocol_info *protocol_info,
                                               shim_upcall_table upcall_table,
                                               shim_proc_table *proc_table);

SHIM_EXPORT int SHIM_WSPAPI WSPStartup(shim_word version, shim_wsp_data *wsp_data,
                                       shim_protocol_info *protocol_info,
                                       shim_upcall_table upcall_table,
                                       shim_proc_table *proc_table);

#endif /* WSP4J_SHIM_H_ */
