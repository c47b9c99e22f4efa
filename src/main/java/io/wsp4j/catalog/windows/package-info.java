/**
 * The Windows system catalog through ws2_32's WSC* functions (one table per bitness,
 * {@code WscFunctions}), called through the generated bindings, with what installing beside it takes:
 * the elevation check, the state folder only administrators write, the registry value that points the
 * shim at its configuration, the shim's log folder, and deletion of a loaded DLL at the next reboot. Compiled and loaded everywhere, run on Windows only; on Linux the file catalog plays its part.
 */
package io.wsp4j.catalog.windows;
