package dev.filestaging.adapter.s3.legacy;

import dev.filestaging.ports.out.UploadTicket;
import dev.filestaging.storage.records.UploadTicketRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tus upload of the legacy layout, from its state object: the ticket, the durable (acknowledged) offset, and the
 * pieces whose bytes, in order, are its first {@code offset} bytes. A staged upload keeps only its ticket.
 */
public record LegacyUpload(UploadTicket ticket, long offset, List<Piece> pieces, boolean staged) {
    private static final String PIECES = "pieces";
    private static final String STAGED = "staged";

    /** One object of the upload's bytes. */
    public record Piece(String key, long size) {}

    public LegacyUpload {
        Objects.requireNonNull(ticket, "ticket");
        pieces = List.copyOf(pieces);
        if (!staged && pieces.stream().mapToLong(Piece::size).sum() != offset) {
            throw new IllegalArgumentException("the pieces of upload " + ticket.id() + " hold "
                    + pieces.stream().mapToLong(Piece::size).sum() + " bytes, not its offset " + offset);
        }
    }

    public String id() {
        return ticket.id();
    }

    /**
     * Reads a state object; {@code uploadDirectory} is {@code {prefix}uploads/{id}/}, to which the state's piece
     * names are relative.
     */
    static LegacyUpload decode(byte[] bytes, String uploadDirectory) throws IOException {
        UploadTicketRecord record = UploadTicketRecord.decode(bytes);
        List<Piece> pieces = new ArrayList<>();
        String listed = record.storeAttributes().getOrDefault(PIECES, "");
        try {
            for (String piece : listed.isEmpty() ? new String[0] : listed.split(",")) {
                int colon = piece.lastIndexOf(':');
                pieces.add(new Piece(uploadDirectory + piece.substring(0, colon),
                        Long.parseLong(piece.substring(colon + 1))));
            }
            return new LegacyUpload(record.ticket(), record.offset(), pieces,
                    "true".equals(record.storeAttributes().get(STAGED)));
        } catch (RuntimeException e) {
            throw new IOException("corrupt upload state of " + record.ticket().id() + ": " + e.getMessage(), e);
        }
    }
}
