/**
 * How storage adapters write a staged file's metadata where they keep it (a file on disk, an object in a bucket).
 * The storage contract (files-ports) says what a store keeps, never how: these encodings are the adapters' own
 * business, shared here by the two that keep metadata beside content so the format is defined once.
 */
package dev.filestaging.storage.records;
