/**
 * Image encoders on DJL's PyTorch engine: torchvision's VGG-16 and ResNet-50 rebuilt layer for layer
 * with a 1:1 torchvision-key → DJL-parameter table, a weights loader for {@code .npz} files written
 * by {@code scripts/export_torchvision.py}, a small trainable CNN, a generic TorchScript encoder and
 * the {@link io.captioner.ImageEncoder} implementation that batches images through any of them.
 */
package io.captioner.models.encoder;
