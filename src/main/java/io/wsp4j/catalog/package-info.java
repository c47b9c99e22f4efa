/**
 * The Winsock catalog and the installer: the model of both catalogs ({@link io.wsp4j.catalog.Catalog},
 * {@link io.wsp4j.catalog.CatalogImage}, {@link io.wsp4j.catalog.ProtocolEntry}), the file catalog the
 * Linux host runs on ({@link io.wsp4j.catalog.FileCatalog}), the planner that turns a manifest into
 * steps ({@link io.wsp4j.catalog.Planner}, {@link io.wsp4j.catalog.Step}), and the transaction that
 * applies them with a journal, verifies them as a new process reads the catalog, and rolls back
 * ({@link io.wsp4j.catalog.Transaction}, {@link io.wsp4j.catalog.Journal}); verify and repair
 * ({@link io.wsp4j.catalog.CatalogChecks}, {@link io.wsp4j.catalog.StateChecks}), snapshots, the shim's
 * configuration and the files install puts in place. The Windows system catalog is in {@code windows}.
 *
 * <p>Below it: {@code winsock} (the entries' values), {@code manifest} (what to install), {@code json}.
 */
package io.wsp4j.catalog;
