package dev.filestaging.ports;

/** The bytes of one file version that a read returns: a {@link ByteRange} settled against the file's size. */
public sealed interface ContentSlice {

    /** Size of the whole file. */
    long fileSize();

    /** Bytes the read returns. */
    long length();

    /** The whole file ({@code 200}). */
    record Whole(long fileSize) implements ContentSlice {
        @Override
        public long length() {
            return fileSize;
        }
    }

    /** {@code length} bytes from {@code first}, a proper part of the file or all of it asked as a range ({@code 206}). */
    record Part(long first, long length, long fileSize) implements ContentSlice {
        public Part {
            if (first < 0 || length <= 0 || first + length > fileSize) {
                throw new IllegalArgumentException("not a part of a " + fileSize + "-byte file: " + first + "+" + length);
            }
        }

        /** The last byte's offset, inclusive, as {@code Content-Range} writes it. */
        public long last() {
            return first + length - 1;
        }
    }

    /** No byte of the file is in the range ({@code 416}); nothing is read. */
    record Unsatisfiable(long fileSize) implements ContentSlice {
        @Override
        public long length() {
            return 0;
        }
    }

    /** Offset of the first byte returned. */
    default long first() {
        return this instanceof Part part ? part.first() : 0;
    }
}
