/**
 * Internal helpers of the models module. Not part of the public API: names and signatures may
 * change in any release without notice; do not use them from outside the captioner SDK.
 */
package io.captioner.models.internal;
