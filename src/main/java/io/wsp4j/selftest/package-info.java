/**
 * {@code wsp4j selftest}: the steps and their checks, the same on every platform
 * ({@link io.wsp4j.selftest.Selftest}, {@link io.wsp4j.selftest.CatalogExpectations}, the accounting
 * log's reading), the rollback after a failure, and the report. What differs per machine, the programs
 * the steps start and the catalog they read, is a {@link io.wsp4j.selftest.SelftestPlatform}:
 * {@code windows} (real Winsock programs, PowerShell) and {@code host} (child JVMs on the Linux SPI host).
 */
package io.wsp4j.selftest;
