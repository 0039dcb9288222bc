package dev.filestaging.domain.upload;

import dev.filestaging.ports.FileKey;
import dev.filestaging.ports.StagingArea;
import java.text.Normalizer;
import java.util.Optional;

/**
 * What makes a staged file's name. Names are the handle ingestion jobs use, so they are kept as the client sent them,
 * except that they are normalized to Unicode NFC: the same visible name typed on macOS (NFD) and elsewhere (NFC) is
 * one file, not two.
 */
public final class FileNameRules {

    /** Measured in Unicode code points, the unit users count in. */
    public static final int MAX_LENGTH = 255;

    /** The outcome of checking a name. */
    public sealed interface Check {
        record Valid(String name) implements Check {}

        record Invalid(String reason) implements Check {}
    }

    /** The key of {@code name} in {@code area}; empty when the name breaks the rules, so it cannot have been stored. */
    /** The key a client's name stands for in {@code area}, or the refusal of a name that breaks the rules. */
    public <R> R keyOrRefusal(StagingArea area, String name, java.util.function.Function<FileKey, R> valid,
                       java.util.function.Function<dev.filestaging.ports.in.UploadOutcome.InvalidName, R> invalid) {
        Check check = check(name);
        return check instanceof Check.Valid ok ? valid.apply(new FileKey(area, ok.name()))
                : invalid.apply(new dev.filestaging.ports.in.UploadOutcome.InvalidName(name,
                        ((Check.Invalid) check).reason()));
    }

    public Optional<FileKey> keyIn(StagingArea area, String name) {
        return check(name) instanceof Check.Valid valid ? Optional.of(new FileKey(area, valid.name())) : Optional.empty();
    }

    public Check check(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Check.Invalid("the file name is empty; send the file with a file name");
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return new Check.Invalid("the file name is longer than " + MAX_LENGTH + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            return new Check.Invalid("'" + name + "' is not a file name");
        }
        if (name.isBlank()) {
            return new Check.Invalid("the file name is blank");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                return new Check.Invalid("the file name contains '" + c + "'; send the bare file name without a directory");
            }
            if (Character.isISOControl(c)) {
                return new Check.Invalid("the file name contains a control character (U+%04X)".formatted((int) c));
            }
            if (Character.isSurrogate(c) && !isPairedSurrogate(name, i)) {
                return new Check.Invalid("the file name is not valid Unicode");
            }
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            String kind = misleading(c);
            if (kind != null) {
                return new Check.Invalid("the file name contains a character that %s (U+%04X)".formatted(kind, c));
            }
            i += Character.charCount(c);
        }
        return new Check.Valid(name);
    }

    /**
     * Why {@code c} would make a name show as something else, or null when it would not. Refused like control
     * characters: a direction override turns {@code rtl}, U+202E, {@code gpj.exe} into what shows as
     * {@code rtlexe.jpg}, and invisible characters make two names look alike.
     */
    private static String misleading(int c) {
        if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F
                || c == 0x061C) {
            return "changes the direction of the text";
        }
        if (c == 0x2028 || c == 0x2029) {
            return "breaks the line";
        }
        if ((c >= 0x200B && c <= 0x200D) || c == 0xFEFF || c == 0x2060) {
            return "is invisible";
        }
        if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) {
            return "is not a character (a Unicode noncharacter)";
        }
        return null;
    }

    private static boolean isPairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
