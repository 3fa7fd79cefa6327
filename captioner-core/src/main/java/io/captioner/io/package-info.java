/**
 * File helpers shared by the SDK: atomic writes of files and directories so that nothing
 * half-written looks valid ({@link io.captioner.io.AtomicFiles}), strict UTF-8 text reading
 * ({@link io.captioner.io.Utf8Files}) and file digests ({@link io.captioner.io.Digests}).
 */
package io.captioner.io;
