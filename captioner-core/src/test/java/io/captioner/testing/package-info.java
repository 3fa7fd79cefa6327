/**
 * Test helpers shared with the other modules through captioner-core's test-jar: a fake, exhaustively
 * enumerable {@link io.captioner.CaptionDecoder} ({@link io.captioner.testing.FakeDecoder}) that
 * also checks that every decoder state is closed, and the Python interpreter of the reference
 * tests with the one check that skips them when Python or a module is missing
 * ({@link io.captioner.testing.Python}).
 */
package io.captioner.testing;
