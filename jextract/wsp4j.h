/*
 * The Windows API surface wsp4j binds, for jextract: the Winsock SPI (ws2spi.h, which brings
 * winsock2.h), IPv6 socket addresses, the Microsoft extension functions a layered provider must stand
 * in for (mswsock.h), and the kernel32 and ntdll calls of the completion-port event core.
 * What is generated from it is chosen by the argfile next to it (wsp4j.args).
 */
#define WIN32_LEAN_AND_MEAN
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601 /* Windows 7: GetQueuedCompletionStatusEx, WSCInstallProviderAndChains64_32 */
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <sporder.h>
#include <windows.h>
#include <winternl.h>

/*
 * Wait completion packets (Windows 8 and later): ntdll exports them and Microsoft documents them
 * (learn.microsoft.com, Windows developer notes: NtCreateWaitCompletionPacket,
 * NtAssociateWaitCompletionPacket, NtCancelWaitCompletionPacket), but no SDK or mingw-w64 header
 * declares them, so their documented prototypes are here. They let the kernel queue a completion to
 * an I/O completion port when an object is signalled, with no thread waiting for it.
 */
NTSTATUS NTAPI NtCreateWaitCompletionPacket(PHANDLE WaitCompletionPacketHandle, ACCESS_MASK DesiredAccess,
                                            POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtAssociateWaitCompletionPacket(HANDLE WaitCompletionPacketHandle, HANDLE IoCompletionHandle,
                                               HANDLE TargetObjectHandle, PVOID KeyContext, PVOID ApcContext,
                                               NTSTATUS IoStatus, ULONG_PTR IoStatusInformation, PBOOLEAN AlreadySignaled);
NTSTATUS NTAPI NtCancelWaitCompletionPacket(HANDLE WaitCompletionPacketHandle, BOOLEAN RemoveSignaledPacket);
