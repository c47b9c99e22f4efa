/**
 * The selftest on the Linux SPI host: child JVMs that run the installed file catalog through the native
 * shim (the allowed program's two exchanges, and an untargeted one started under another name), and the
 * host's platform for the selftest's steps.
 */
package io.wsp4j.selftest.host;
