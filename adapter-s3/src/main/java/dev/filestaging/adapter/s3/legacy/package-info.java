/**
 * Reading, never writing, a bucket kept by the retired bucket-only catalog ({@code FILES_STORAGE=s3} without a
 * {@code FILES_CATALOG}, up to the version that had it), for {@code files-app catalog migrate}:
 * <pre>
 *   {prefix}areas/{org}/{project}/names/{sha256 of name}   a committed file's record (its metadata and the key of
 *                                                          its content), or an open upload's reservation of the name
 *   {prefix}areas/{org}/{project}/content/{instance}.{uuid} a file's bytes, one object per upload
 *   {prefix}areas/{org}/{project}/deletes/{content name}   a delete in progress (ignored: its file is still listed
 *                                                          until its record goes)
 *   {prefix}uploads/{id}/state                             a tus upload's ticket, durable offset and pieces; once
 *                                                          staged, only the ticket
 *   {prefix}uploads/{id}/{instance}.{uuid}                 its pieces, in the order the state lists them
 *   {prefix}uploads/{id}/lock, staged                      its writer's lock; the note of a staged upload
 *   {prefix}instances/{instance}                           a running instance's heartbeat, rewritten every few
 *                                                          seconds, removed when it stops
 *   {prefix}api-keys/{sha256 of key}                       API keys (small records of namespace api-keys)
 *   {prefix}records/{namespace}/{key}                      the other small records (OAuth clients, keys)
 * </pre>
 * {@link dev.filestaging.adapter.s3.legacy.LegacyMigration} copies what is worth keeping into a catalog and blob
 * store; nothing here changes the legacy objects.
 */
package dev.filestaging.adapter.s3.legacy;
