package dev.filestaging.adapter.s3;

import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the bucket holds of a resumable upload in its state object: the ticket, the durable offset, and the pieces
 * whose bytes, in order, are the upload's first {@code offset} bytes. Every piece but the last is at least
 * {@link #MIN_PART_BYTES}, so the pieces can be joined by copying them as the parts of one multipart upload.
 */
record UploadState(UploadTicket ticket, long offset, List<Piece> pieces, boolean staged, String joining) {
    /** S3's smallest part but the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    private static final String PIECES = "pieces";
    private static final String STAGED = "staged";
    private static final String JOINING = "joining";

    /** One object of the upload's bytes, by its key. */
    record Piece(String key, long size) {}

    UploadState {
        pieces = List.copyOf(pieces);
        if (!staged && pieces.stream().mapToLong(Piece::size).sum() != offset) {
            throw new IllegalArgumentException("the pieces hold " + pieces + ", not " + offset + " bytes");
        }
    }

    /** An open upload. */
    UploadState(UploadTicket ticket, long offset, List<Piece> pieces) {
        this(ticket, offset, pieces, false, null);
    }

    /** What is kept of the upload once staged: its ticket, until it expires. */
    UploadState asStaged() {
        return new UploadState(ticket, offset, List.of(), true, null);
    }

    /**
     * The same upload, noted as being joined into {@code contentKey}: written before a commit's join, so that whoever
     * commits after a crash knows which content and which name record came from this upload.
     */
    UploadState joiningInto(String contentKey) {
        return new UploadState(ticket, offset, pieces, staged, contentKey);
    }

    /** The content an earlier commit began to join this upload's pieces into, if one did. */
    java.util.Optional<String> joiningContent() {
        return java.util.Optional.ofNullable(joining);
    }

    /** The last piece when it is smaller than {@code threshold}: the next append rewrites it. */
    java.util.Optional<Piece> tail(long threshold) {
        return pieces.isEmpty() || pieces.get(pieces.size() - 1).size() >= threshold
                ? java.util.Optional.empty() : java.util.Optional.of(pieces.get(pieces.size() - 1));
    }

    byte[] encode(BucketLayout layout) {
        String upload = layout.upload(ticket.id());
        String listed = pieces.stream().map(p -> p.key().substring(upload.length()) + ":" + p.size())
                .collect(Collectors.joining(","));
        Map<String, String> attributes = new java.util.HashMap<>(staged ? Map.of(STAGED, "true") : Map.of(PIECES, listed));
        if (joining != null) {
            attributes.put(JOINING, joining);
        }
        return new UploadTicketRecord(ticket, offset, attributes).encode();
    }

    static UploadState decode(byte[] bytes, BucketLayout layout) throws IOException {
        UploadTicketRecord record = UploadTicketRecord.decode(bytes);
        String upload = layout.upload(record.ticket().id());
        List<Piece> pieces = new ArrayList<>();
        String listed = record.storeAttributes().getOrDefault(PIECES, "");
        try {
            for (String piece : listed.isEmpty() ? new String[0] : listed.split(",")) {
                int colon = piece.lastIndexOf(':');
                pieces.add(new Piece(upload + piece.substring(0, colon), Long.parseLong(piece.substring(colon + 1))));
            }
            return new UploadState(record.ticket(), record.offset(), pieces,
                    "true".equals(record.storeAttributes().get(STAGED)), record.storeAttributes().get(JOINING));
        } catch (RuntimeException e) {
            throw new IOException("corrupt upload state of " + record.ticket().id() + ": " + e.getMessage(), e);
        }
    }
}
