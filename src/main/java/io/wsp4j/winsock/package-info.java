/**
 * Winsock's own vocabulary, in Java, below everything that speaks it: constants with their Windows
 * values and names ({@link io.wsp4j.winsock.Ws2Def}, {@link io.wsp4j.winsock.FdEvents},
 * {@link io.wsp4j.winsock.ProtocolFlags}, {@link io.wsp4j.winsock.Ioctls}, the WSAE* codes), value
 * views over the generated layouts ({@link io.wsp4j.winsock.ProtocolInfo} for WSAPROTOCOL_INFOW,
 * {@link io.wsp4j.winsock.ProtocolChain}, socket addresses, the extension functions' WSAIDs), GUIDs
 * in text and in memory ({@link io.wsp4j.winsock.Guids}), the two catalogs
 * ({@link io.wsp4j.winsock.Bitness}) and the LSP categories ({@link io.wsp4j.winsock.LspCategory}).
 *
 * <p>It depends on the bindings alone, so the manifest, the catalog, the provider and the host all
 * import it and none of them imports another for these types (a test reads the compiled classes:
 * {@code PackageDependenciesTest}).
 */
package io.wsp4j.winsock;
