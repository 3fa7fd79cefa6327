/**
 * JMH benchmarks of the captioner hot paths (decoding loop, image encoders, JPEG-to-caption) and
 * the baselines they are judged against: a naive per-step DJL loop and a roofline (memory bandwidth
 * and GEMM rate measured in the same JVM). {@link io.captioner.benchmarks.Suite} runs everything
 * and writes JSON, Markdown and a PNG chart; see the module README for the command.
 */
package io.captioner.benchmarks;
