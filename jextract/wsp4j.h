/*
 * The Windows API surface wsp4j binds, for jextract: the Winsock SPI (ws2spi.h, which brings
 * winsock2.h), IPv6 socket addresses, the Microsoft extension functions a layered provider must stand
 * in for (mswsock.h), and the kernel32 calls of the completion-port event core.
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
