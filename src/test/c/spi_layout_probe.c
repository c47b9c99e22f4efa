/*
 * Layout probe, compiled with -S only (never run, so it works for any target): every size and offset
 * of the shim's SPI types becomes a line "->shim.NAME VALUE" in the assembly, and with -DPROBE_SDK the
 * same facts about the Windows SDK's own types (mingw-w64's ws2spi.h) become "->sdk.NAME VALUE".
 * SpiLayoutsTest compares the two, and the Linux build's shim lines against the Windows x64 SDK's.
 */
#include <stddef.h>

#ifdef PROBE_SDK
#define WSPStartup sdk_declared_WSPStartup /* the SDK declares it with its own types */
#include <winsock2.h>
#include <ws2spi.h>
#undef WSPStartup
#define SDK(name, value) __asm__ volatile("\n->sdk." name " %0" : : "i"(value))
#else
#define SDK(name, value)
#endif

#include "wsp4j_shim.h"

#define SHIM(name, value) __asm__ volatile("\n->shim." name " %0" : : "i"(value))
#define SIZE(name, shim_type, sdk_type) SHIM(name, sizeof(shim_type)); SDK(name, sizeof(sdk_type))
#define FIELD(name, shim_type, shim_field, sdk_type, sdk_field) \
  SHIM(name, offsetof(shim_type, shim_field)); SDK(name, offsetof(sdk_type, sdk_field))

void probe(void) {
  SIZE("GUID", shim_guid, GUID);

  SIZE("WSAPROTOCOLCHAIN", shim_protocol_chain, WSAPROTOCOLCHAIN);
  FIELD("WSAPROTOCOLCHAIN.ChainLen", shim_protocol_chain, chain_len, WSAPROTOCOLCHAIN, ChainLen);
  FIELD("WSAPROTOCOLCHAIN.ChainEntries", shim_protocol_chain, chain_entries, WSAPROTOCOLCHAIN, ChainEntries);

  SIZE("WSAPROTOCOL_INFOW", shim_protocol_info, WSAPROTOCOL_INFOW);
  FIELD("WSAPROTOCOL_INFOW.dwServiceFlags1", shim_protocol_info, service_flags1, WSAPROTOCOL_INFOW, dwServiceFlags1);
  FIELD("WSAPROTOCOL_INFOW.dwServiceFlags2", shim_protocol_info, service_flags2, WSAPROTOCOL_INFOW, dwServiceFlags2);
  FIELD("WSAPROTOCOL_INFOW.dwServiceFlags3", shim_protocol_info, service_flags3, WSAPROTOCOL_INFOW, dwServiceFlags3);
  FIELD("WSAPROTOCOL_INFOW.dwServiceFlags4", shim_protocol_info, service_flags4, WSAPROTOCOL_INFOW, dwServiceFlags4);
  FIELD("WSAPROTOCOL_INFOW.dwProviderFlags", shim_protocol_info, provider_flags, WSAPROTOCOL_INFOW, dwProviderFlags);
  FIELD("WSAPROTOCOL_INFOW.ProviderId", shim_protocol_info, provider_id, WSAPROTOCOL_INFOW, ProviderId);
  FIELD("WSAPROTOCOL_INFOW.dwCatalogEntryId", shim_protocol_info, catalog_entry_id, WSAPROTOCOL_INFOW, dwCatalogEntryId);
  FIELD("WSAPROTOCOL_INFOW.ProtocolChain", shim_protocol_info, protocol_chain, WSAPROTOCOL_INFOW, ProtocolChain);
  FIELD("WSAPROTOCOL_INFOW.iVersion", shim_protocol_info, version, WSAPROTOCOL_INFOW, iVersion);
  FIELD("WSAPROTOCOL_INFOW.iAddressFamily", shim_protocol_info, address_family, WSAPROTOCOL_INFOW, iAddressFamily);
  FIELD("WSAPROTOCOL_INFOW.iMaxSockAddr", shim_protocol_info, max_sockaddr, WSAPROTOCOL_INFOW, iMaxSockAddr);
  FIELD("WSAPROTOCOL_INFOW.iMinSockAddr", shim_protocol_info, min_sockaddr, WSAPROTOCOL_INFOW, iMinSockAddr);
  FIELD("WSAPROTOCOL_INFOW.iSocketType", shim_protocol_info, socket_type, WSAPROTOCOL_INFOW, iSocketType);
  FIELD("WSAPROTOCOL_INFOW.iProtocol", shim_protocol_info, protocol, WSAPROTOCOL_INFOW, iProtocol);
  FIELD("WSAPROTOCOL_INFOW.iProtocolMaxOffset", shim_protocol_info, protocol_max_offset, WSAPROTOCOL_INFOW, iProtocolMaxOffset);
  FIELD("WSAPROTOCOL_INFOW.iNetworkByteOrder", shim_protocol_info, network_byte_order, WSAPROTOCOL_INFOW, iNetworkByteOrder);
  FIELD("WSAPROTOCOL_INFOW.iSecurityScheme", shim_protocol_info, security_scheme, WSAPROTOCOL_INFOW, iSecurityScheme);
  FIELD("WSAPROTOCOL_INFOW.dwMessageSize", shim_protocol_info, message_size, WSAPROTOCOL_INFOW, dwMessageSize);
  FIELD("WSAPROTOCOL_INFOW.dwProviderReserved", shim_protocol_info, provider_reserved, WSAPROTOCOL_INFOW, dwProviderReserved);
  FIELD("WSAPROTOCOL_INFOW.szProtocol", shim_protocol_info, protocol_name, WSAPROTOCOL_INFOW, szProtocol);

  SIZE("WSPDATA", shim_wsp_data, WSPDATA);
  FIELD("WSPDATA.wVersion", shim_wsp_data, version, WSPDATA, wVersion);
  FIELD("WSPDATA.wHighVersion", shim_wsp_data, high_version, WSPDATA, wHighVersion);
  FIELD("WSPDATA.szDescription", shim_wsp_data, description, WSPDATA, szDescription);

  SIZE("WSPUPCALLTABLE", shim_upcall_table, WSPUPCALLTABLE);
  FIELD("WSPUPCALLTABLE.lpWPUCloseEvent", shim_upcall_table, close_event, WSPUPCALLTABLE, lpWPUCloseEvent);
  FIELD("WSPUPCALLTABLE.lpWPUCloseSocketHandle", shim_upcall_table, close_socket_handle, WSPUPCALLTABLE, lpWPUCloseSocketHandle);
  FIELD("WSPUPCALLTABLE.lpWPUCreateEvent", shim_upcall_table, create_event, WSPUPCALLTABLE, lpWPUCreateEvent);
  FIELD("WSPUPCALLTABLE.lpWPUCreateSocketHandle", shim_upcall_table, create_socket_handle, WSPUPCALLTABLE, lpWPUCreateSocketHandle);
  FIELD("WSPUPCALLTABLE.lpWPUFDIsSet", shim_upcall_table, fd_is_set, WSPUPCALLTABLE, lpWPUFDIsSet);
  FIELD("WSPUPCALLTABLE.lpWPUGetProviderPath", shim_upcall_table, get_provider_path, WSPUPCALLTABLE, lpWPUGetProviderPath);
  FIELD("WSPUPCALLTABLE.lpWPUModifyIFSHandle", shim_upcall_table, modify_ifs_handle, WSPUPCALLTABLE, lpWPUModifyIFSHandle);
  FIELD("WSPUPCALLTABLE.lpWPUPostMessage", shim_upcall_table, post_message, WSPUPCALLTABLE, lpWPUPostMessage);
  FIELD("WSPUPCALLTABLE.lpWPUQueryBlockingCallback", shim_upcall_table, query_blocking_callback, WSPUPCALLTABLE, lpWPUQueryBlockingCallback);
  FIELD("WSPUPCALLTABLE.lpWPUQuerySocketHandleContext", shim_upcall_table, query_socket_handle_context, WSPUPCALLTABLE, lpWPUQuerySocketHandleContext);
  FIELD("WSPUPCALLTABLE.lpWPUQueueApc", shim_upcall_table, queue_apc, WSPUPCALLTABLE, lpWPUQueueApc);
  FIELD("WSPUPCALLTABLE.lpWPUResetEvent", shim_upcall_table, reset_event, WSPUPCALLTABLE, lpWPUResetEvent);
  FIELD("WSPUPCALLTABLE.lpWPUSetEvent", shim_upcall_table, set_event, WSPUPCALLTABLE, lpWPUSetEvent);
  FIELD("WSPUPCALLTABLE.lpWPUOpenCurrentThread", shim_upcall_table, open_current_thread, WSPUPCALLTABLE, lpWPUOpenCurrentThread);
  FIELD("WSPUPCALLTABLE.lpWPUCloseThread", shim_upcall_table, close_thread, WSPUPCALLTABLE, lpWPUCloseThread);

  SIZE("WSPPROC_TABLE", shim_proc_table, WSPPROC_TABLE);
  FIELD("WSPPROC_TABLE.lpWSPAccept", shim_proc_table, entries[0], WSPPROC_TABLE, lpWSPAccept);
  FIELD("WSPPROC_TABLE.lpWSPAddressToString", shim_proc_table, entries[1], WSPPROC_TABLE, lpWSPAddressToString);
  FIELD("WSPPROC_TABLE.lpWSPAsyncSelect", shim_proc_table, entries[2], WSPPROC_TABLE, lpWSPAsyncSelect);
  FIELD("WSPPROC_TABLE.lpWSPBind", shim_proc_table, entries[3], WSPPROC_TABLE, lpWSPBind);
  FIELD("WSPPROC_TABLE.lpWSPCancelBlockingCall", shim_proc_table, entries[4], WSPPROC_TABLE, lpWSPCancelBlockingCall);
  FIELD("WSPPROC_TABLE.lpWSPCleanup", shim_proc_table, entries[SHIM_PROC_WSP_CLEANUP], WSPPROC_TABLE, lpWSPCleanup);
  FIELD("WSPPROC_TABLE.lpWSPCloseSocket", shim_proc_table, entries[6], WSPPROC_TABLE, lpWSPCloseSocket);
  FIELD("WSPPROC_TABLE.lpWSPConnect", shim_proc_table, entries[7], WSPPROC_TABLE, lpWSPConnect);
  FIELD("WSPPROC_TABLE.lpWSPDuplicateSocket", shim_proc_table, entries[8], WSPPROC_TABLE, lpWSPDuplicateSocket);
  FIELD("WSPPROC_TABLE.lpWSPEnumNetworkEvents", shim_proc_table, entries[9], WSPPROC_TABLE, lpWSPEnumNetworkEvents);
  FIELD("WSPPROC_TABLE.lpWSPEventSelect", shim_proc_table, entries[10], WSPPROC_TABLE, lpWSPEventSelect);
  FIELD("WSPPROC_TABLE.lpWSPGetOverlappedResult", shim_proc_table, entries[11], WSPPROC_TABLE, lpWSPGetOverlappedResult);
  FIELD("WSPPROC_TABLE.lpWSPGetPeerName", shim_proc_table, entries[12], WSPPROC_TABLE, lpWSPGetPeerName);
  FIELD("WSPPROC_TABLE.lpWSPGetSockName", shim_proc_table, entries[13], WSPPROC_TABLE, lpWSPGetSockName);
  FIELD("WSPPROC_TABLE.lpWSPGetSockOpt", shim_proc_table, entries[14], WSPPROC_TABLE, lpWSPGetSockOpt);
  FIELD("WSPPROC_TABLE.lpWSPGetQOSByName", shim_proc_table, entries[15], WSPPROC_TABLE, lpWSPGetQOSByName);
  FIELD("WSPPROC_TABLE.lpWSPIoctl", shim_proc_table, entries[16], WSPPROC_TABLE, lpWSPIoctl);
  FIELD("WSPPROC_TABLE.lpWSPJoinLeaf", shim_proc_table, entries[17], WSPPROC_TABLE, lpWSPJoinLeaf);
  FIELD("WSPPROC_TABLE.lpWSPListen", shim_proc_table, entries[18], WSPPROC_TABLE, lpWSPListen);
  FIELD("WSPPROC_TABLE.lpWSPRecv", shim_proc_table, entries[19], WSPPROC_TABLE, lpWSPRecv);
  FIELD("WSPPROC_TABLE.lpWSPRecvDisconnect", shim_proc_table, entries[20], WSPPROC_TABLE, lpWSPRecvDisconnect);
  FIELD("WSPPROC_TABLE.lpWSPRecvFrom", shim_proc_table, entries[21], WSPPROC_TABLE, lpWSPRecvFrom);
  FIELD("WSPPROC_TABLE.lpWSPSelect", shim_proc_table, entries[22], WSPPROC_TABLE, lpWSPSelect);
  FIELD("WSPPROC_TABLE.lpWSPSend", shim_proc_table, entries[23], WSPPROC_TABLE, lpWSPSend);
  FIELD("WSPPROC_TABLE.lpWSPSendDisconnect", shim_proc_table, entries[24], WSPPROC_TABLE, lpWSPSendDisconnect);
  FIELD("WSPPROC_TABLE.lpWSPSendTo", shim_proc_table, entries[25], WSPPROC_TABLE, lpWSPSendTo);
  FIELD("WSPPROC_TABLE.lpWSPSetSockOpt", shim_proc_table, entries[26], WSPPROC_TABLE, lpWSPSetSockOpt);
  FIELD("WSPPROC_TABLE.lpWSPShutdown", shim_proc_table, entries[27], WSPPROC_TABLE, lpWSPShutdown);
  FIELD("WSPPROC_TABLE.lpWSPSocket", shim_proc_table, entries[28], WSPPROC_TABLE, lpWSPSocket);
  FIELD("WSPPROC_TABLE.lpWSPStringToAddress", shim_proc_table, entries[29], WSPPROC_TABLE, lpWSPStringToAddress);
}
