/**
 * Image decoding and preprocessing: any ImageIO-readable file (including CMYK JPEGs through the
 * TwelveMonkeys plugin) to an upright 8-bit RGB image, and torchvision's ImageNet eval transform
 * (resize shorter side, centre crop, scale, normalise) to a {@code [3, H, W]} float tensor.
 */
package io.captioner.models.image;
