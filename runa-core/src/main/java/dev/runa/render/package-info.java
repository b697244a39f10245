/**
 * Pictures of results: copies of images with each scored box drawn (green = ID, red = OOD,
 * grey = no decision or no score) and its score written next to it, as PNG. Uses java.awt in
 * headless mode, so it runs on servers without a display.
 */
package dev.runa.render;
