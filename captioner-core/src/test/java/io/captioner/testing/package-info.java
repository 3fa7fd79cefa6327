/**
 * Test helpers shared with the other modules through captioner-core's test-jar: a fake, exhaustively
 * enumerable {@link io.captioner.CaptionDecoder} ({@link io.captioner.testing.FakeDecoder}) that
 * also checks that every decoder state is closed, the Python interpreter of the reference
 * tests with the one check that skips them when Python or a module is missing
 * ({@link io.captioner.testing.Python}), and {@link io.captioner.testing.FuzzContract}, the
 * contract every fuzz target checks.
 */
package io.captioner.testing;
