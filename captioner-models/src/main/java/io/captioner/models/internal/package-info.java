/**
 * Internal helpers shared by the library's packages: the parameter-file format, console progress.
 * Not part of the public API: names and signatures may change in any release without notice.
 */
package io.captioner.models.internal;
