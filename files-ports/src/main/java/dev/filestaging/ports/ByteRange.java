package dev.filestaging.ports;

/**
 * Which bytes of a file a reader asks for, before the file's size is known: the forms of an HTTP single byte range
 * (RFC 9110 §14.1.2). {@link #within} settles it against the size of the one version that is read.
 */
public sealed interface ByteRange {

    /** The whole file. */
    ByteRange WHOLE = new Whole();

    /** Settles this request against a file of {@code size} bytes. */
    ContentSlice within(long size);

    /** The whole file, as without a {@code Range} header. */
    record Whole() implements ByteRange {
        @Override
        public ContentSlice within(long size) {
            return new ContentSlice.Whole(size);
        }
    }

    /** Bytes {@code first} to {@code last} inclusive ({@code bytes=first-last}); {@code last} past the end is cut. */
    record Span(long first, long last) implements ByteRange {
        public Span {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("a span needs 0 <= first <= last, got " + first + "-" + last);
            }
        }

        @Override
        public ContentSlice within(long size) {
            return ranged(first, Math.min(last, size - 1), size);
        }
    }

    /** From byte {@code first} to the end ({@code bytes=first-}). */
    record From(long first) implements ByteRange {
        public From {
            if (first < 0) {
                throw new IllegalArgumentException("first must not be negative, got " + first);
            }
        }

        @Override
        public ContentSlice within(long size) {
            return ranged(first, size - 1, size);
        }
    }

    /** The last {@code length} bytes ({@code bytes=-length}); a suffix longer than the file is the whole file. */
    record Suffix(long length) implements ByteRange {
        public Suffix {
            if (length < 0) {
                throw new IllegalArgumentException("length must not be negative, got " + length);
            }
        }

        @Override
        public ContentSlice within(long size) {
            return length == 0 ? unsatisfiable(size) : ranged(Math.max(0, size - length), size - 1, size);
        }
    }

    /**
     * A range of an empty file is answered with the whole (empty) file rather than as unsatisfiable: readers such as
     * Druid's HTTP input source ask for {@code bytes=0-} on every read, also of an empty file (RFC 9110 lets a server
     * ignore a range).
     */
    private static ContentSlice ranged(long first, long last, long size) {
        if (size == 0) {
            return new ContentSlice.Whole(0);
        }
        if (first >= size) {
            return unsatisfiable(size);
        }
        return new ContentSlice.Part(first, last - first + 1, size);
    }

    private static ContentSlice unsatisfiable(long size) {
        return size == 0 ? new ContentSlice.Whole(0) : new ContentSlice.Unsatisfiable(size);
    }
}
