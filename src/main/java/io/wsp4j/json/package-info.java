/**
 * JSON as wsp4j reads it, below both its readers (the manifest and the catalog's files: catalog.json,
 * the journal, snapshots, the installed-files record): Jackson's parse errors as one line a user can act
 * on.
 */
package io.wsp4j.json;
