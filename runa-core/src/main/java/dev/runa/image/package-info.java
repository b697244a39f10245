/**
 * Image decoding and pixel operations with Pillow semantics (bicubic resize, Gaussian blur), so features match the Python reference.
 */
package dev.runa.image;
