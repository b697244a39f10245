package dev.runa.output;

/**
 * Where a row sits in a run: enough to tell from a partial file which images are complete.
 *
 * @param imageIndex position of the image in the run
 * @param boxIndex   position of the box in its image
 * @param nBoxes     number of rows the image has
 */
public record RowPosition(int imageIndex, int boxIndex, int nBoxes) {}
