package io.captioner.visual;

import java.awt.Rectangle;

/**
 * Where the panels of an attention-map figure lie: panel 0 is the picture the model saw, panel
 * {@code t + 1} the attention of word t; each panel is a picture of {@code panelWidth × panelHeight}
 * pixels with its label in a strip of {@code labelHeight} pixels beneath it. Panels fill rows of
 * {@code columns} from the left, separated and surrounded by {@code margin} pixels. Immutable.
 *
 * @param panelWidth the width of each panel's picture in pixels, at least 1
 * @param panelHeight the height of each panel's picture in pixels, at least 1
 * @param labelHeight the height of the label strip under each picture in pixels, at least 0
 * @param margin the gap between panels and around the figure in pixels, at least 0
 * @param columns panels per row, at least 1
 * @param panels the number of panels: 1 + the number of words, at least 1
 */
public record AttentionMapLayout(int panelWidth, int panelHeight, int labelHeight, int margin, int columns,
        int panels) {

    /**
     * Validates the sizes.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public AttentionMapLayout {
        require(panelWidth >= 1 && panelHeight >= 1, "panel size must be at least 1 x 1, found "
                + panelWidth + " x " + panelHeight);
        require(labelHeight >= 0, "labelHeight must be at least 0, found " + labelHeight);
        require(margin >= 0, "margin must be at least 0, found " + margin);
        require(columns >= 1, "columns must be at least 1, found " + columns);
        require(panels >= 1, "panels must be at least 1 (the picture), found " + panels);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Returns the number of rows of panels.
     *
     * @return {@code ceil(panels / columns)}
     */
    public int rows() {
        return (panels + columns - 1) / columns;
    }

    /**
     * Returns the width of the whole figure.
     *
     * @return pixels: the columns actually used (at most {@code panels}), their panels and margins
     */
    public int width() {
        int used = Math.min(columns, panels);
        return used * panelWidth + (used + 1) * margin;
    }

    /**
     * Returns the height of the whole figure.
     *
     * @return pixels: every row's panels and labels, and the margins
     */
    public int height() {
        int rows = rows();
        return rows * (panelHeight + labelHeight) + (rows + 1) * margin;
    }

    /**
     * Returns where a panel's picture lies in the figure.
     *
     * @param panel 0 for the picture the model saw, {@code t + 1} for word t
     * @return a fresh rectangle of {@code panelWidth × panelHeight}
     * @throws IndexOutOfBoundsException if there is no such panel
     */
    public Rectangle imageBounds(int panel) {
        if (panel < 0 || panel >= panels) {
            throw new IndexOutOfBoundsException("panel " + panel + " of " + panels);
        }
        int x = margin + (panel % columns) * (panelWidth + margin);
        int y = margin + (panel / columns) * (panelHeight + labelHeight + margin);
        return new Rectangle(x, y, panelWidth, panelHeight);
    }

    /**
     * Returns where a panel's label lies: the strip right under its picture.
     *
     * @param panel 0 for the picture the model saw, {@code t + 1} for word t
     * @return a fresh rectangle of {@code panelWidth × labelHeight}
     * @throws IndexOutOfBoundsException if there is no such panel
     */
    public Rectangle labelBounds(int panel) {
        Rectangle image = imageBounds(panel);
        return new Rectangle(image.x, image.y + panelHeight, panelWidth, labelHeight);
    }
}
