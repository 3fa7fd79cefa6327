/**
 * Test helpers shared with the other modules through captioner-core's test-jar: a fake, exhaustively
 * enumerable {@link io.captioner.CaptionDecoder} ({@link io.captioner.testing.FakeDecoder}) that
 * also checks that every decoder state is closed.
 */
package io.captioner.testing;
