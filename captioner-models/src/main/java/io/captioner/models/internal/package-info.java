/**
 * Internal helpers of the SDK and its command-line tool: the parameter-file format, the console
 * progress bar.
 *
 * <p><b>Not part of the public API.</b> Classes here are public only so that other captioner
 * packages and modules can use them; they may change or disappear in any release without notice.
 * Do not use them from application code.
 */
package io.captioner.models.internal;
