package io.plenum.segment;

/** What to do when the segment does or does not exist yet. */
public enum OpenMode {
    /** Open the segment if it exists, else create it (the default). Racing creators all end up sharing one. */
    CREATE_OR_OPEN,
    /** Create the segment; fail with {@link SegmentExistsException} if anything is at the path. */
    CREATE_NEW,
    /** Open the segment; fail with {@link SegmentNotFoundException} if it does not exist. */
    OPEN_EXISTING,
    /**
     * Replace whatever segment is at the path with a fresh one, atomically: a fresh start that is
     * safe even when several processes do it at once. Processes that still map the old one keep
     * it, detached.
     */
    RECREATE
}
