/**
 * The selftest on Windows: the allowed program (a new java.exe running a WSAAsyncSelect exchange through
 * ws2_32 and a message-only window by FFM, and an IOCP/AcceptEx one through the JDK's asynchronous
 * channels), the 64- and 32-bit Windows PowerShell as the untargeted programs, and the platform that
 * starts them. Compiled everywhere, run on Windows.
 */
package io.wsp4j.selftest.windows;
