package dev.filestaging.domain.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.filestaging.ports.CompressionFormat;
import dev.filestaging.ports.DataFormat;
import dev.filestaging.ports.in.UploadOutcome.ContentProblem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class FormatDetectorTest {
    private final FormatDetector detector = new FormatDetector();

    private DetectedFormats detect(byte[] content, String name) {
        return detect(content, name, FormatDetector.Hints.NONE);
    }

    private DetectedFormats detect(byte[] content, String name, FormatDetector.Hints hints) {
        return detector.detect(ContentPrefix.of(content, Math.min(content.length, ContentPrefix.SIZE)), name, hints);
    }

    /** How a real Parquet file starts: the magic, then a Thrift page header. */
    private static final byte[] PARQUET_START = {'P', 'A', 'R', '1', 0x15, 0x00, 0x15, (byte) 0xA0, 0x01, 0x15, 0x2C};

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void gzip_is_recognised_by_magic_and_the_data_format_inside_is_sniffed() throws IOException {
        DetectedFormats formats = detect(gzip(text("{\"a\":1}\n{\"a\":2}\n")), "events");
        assertThat(formats).isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.ND_JSON, null));
    }

    @Test
    void the_seed_example_name_gives_nd_json_in_gzip() throws IOException {
        assertThat(detect(gzip(text("{\"x\":1}\n")), "kttm-2019-08-20.json.gz"))
                .isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.ND_JSON, null));
    }

    @Test
    void magic_bytes_beat_a_lying_extension() throws IOException {
        assertThat(detect(gzip(text("a,b\n1,2\n")), "data.csv").compression()).isEqualTo(CompressionFormat.GZ);
        assertThat(detect(text("a,b\n1,2\n"), "data.csv.gz").compression()).isNull();
    }

    @Test
    void other_compressions_are_recognised_by_magic_and_their_data_format_comes_from_the_name() {
        assertThat(detect(new byte[] {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 7}, "x.csv.bz2"))
                .isEqualTo(new DetectedFormats(CompressionFormat.BZ2, DataFormat.CSV, null));
        assertThat(detect(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 4, 1, 2, 3}, "x.json.xz"))
                .isEqualTo(new DetectedFormats(CompressionFormat.XZ, DataFormat.ND_JSON, null));
        assertThat(detect(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0}, "x.tsv.zst"))
                .isEqualTo(new DetectedFormats(CompressionFormat.ZSTD, DataFormat.TSV, null));
        byte[] snappy = {(byte) 0xFF, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y', 1, 2};
        assertThat(detect(snappy, "x.json.sz")).isEqualTo(new DetectedFormats(CompressionFormat.SZ, DataFormat.ND_JSON, null));
        assertThat(detect(snappy, "unnamed")).isEqualTo(new DetectedFormats(CompressionFormat.SZ, null, null));
    }

    @Test
    void an_empty_file_is_judged_by_its_name() {
        assertThat(detect(new byte[0], "empty.csv.gz"))
                .isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.CSV, null));
    }

    @Test
    void binary_formats_are_recognised_by_signature_whatever_the_name() {
        assertThat(detect(PARQUET_START, "x.csv").dataFormat()).isEqualTo(DataFormat.PARQUET);
        assertThat(detect(text("ORC\u0001xxxxxxxxxxx"), "x").dataFormat()).isEqualTo(DataFormat.ORC);
        assertThat(detect(new byte[] {'O', 'b', 'j', 1, 4, 20}, "x").dataFormat()).isEqualTo(DataFormat.AVRO_OCF);
    }

    @Test
    void text_without_a_telling_name_is_sniffed() {
        assertThat(detect(text("  {\"a\":1}\n"), "noext").dataFormat()).isEqualTo(DataFormat.ND_JSON);
        assertThat(detect(text("a\tb\tc\n1\t2\t3\n"), "noext").dataFormat()).isEqualTo(DataFormat.TSV);
        assertThat(detect(text("a,b,c\n1,2,3\n"), "noext").dataFormat()).isEqualTo(DataFormat.CSV);
        assertThat(detect(text("just words\n"), "noext").dataFormat()).isNull();
    }

    @Test
    void the_extension_beats_the_look_of_text() {
        assertThat(detect(text("a,b\n"), "x.json").dataFormat()).isEqualTo(DataFormat.ND_JSON);
        assertThat(detect(text("{}\n"), "x.TSV").dataFormat()).isEqualTo(DataFormat.TSV);
    }

    @Test
    void random_bytes_are_of_unknown_format() {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 0; // no accidental signature
        assertThat(detect(noise, "blob")).isEqualTo(new DetectedFormats(null, null, null));
    }

    @Test
    void the_clients_declaration_wins() throws IOException {
        DetectedFormats formats = detect(gzip(text("a,b\n")), "x",
                new FormatDetector.Hints(CompressionFormat.GZ, DataFormat.TSV, "text/csv"));
        assertThat(formats).isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.TSV, null));
    }

    @Test
    void the_media_type_ranks_below_content_and_name_but_above_the_look_of_text() throws IOException {
        FormatDetector.Hints csv = new FormatDetector.Hints(null, null, "Text/CSV; charset=utf-8");
        assertThat(detect(text("{\"a\":1}\n"), "noext", csv).dataFormat()).isEqualTo(DataFormat.CSV);
        assertThat(detect(text("a,b\n"), "x.json", csv).dataFormat()).isEqualTo(DataFormat.ND_JSON);
        assertThat(detect(PARQUET_START, "noext", csv).dataFormat()).isEqualTo(DataFormat.PARQUET);
        assertThat(detect(gzip(text("a\tb\n")), "noext", new FormatDetector.Hints(null, null, "application/json")))
                .isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.ND_JSON, null));
        assertThat(detect(new byte[0], "empty", new FormatDetector.Hints(null, null, "application/gzip")).compression())
                .isEqualTo(CompressionFormat.GZ);
        assertThat(detect(text("a,b\n"), "x", new FormatDetector.Hints(null, null, "application/gzip")).compression())
                .isNull();
        assertThat(detect(text("a,b\n"), "noext", new FormatDetector.Hints(null, null, "application/octet-stream"))
                .dataFormat()).isEqualTo(DataFormat.CSV);
    }

    @Test
    void zip_and_tar_archives_are_problems() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("a.csv"));
            out.write(text("a,b\n"));
        }
        assertThat(detect(zip.toByteArray(), "a.zip").problem()).isEqualTo(ContentProblem.ZIP_ARCHIVE);

        byte[] tar = new byte[1024];
        System.arraycopy(text("a.csv"), 0, tar, 0, 5);
        System.arraycopy(text("ustar"), 0, tar, 257, 5);
        assertThat(detect(tar, "a.tar").problem()).isEqualTo(ContentProblem.TAR_ARCHIVE);
        assertThat(detect(gzip(tar), "a.tar.gz").problem()).isEqualTo(ContentProblem.TAR_ARCHIVE);
    }

    @Test
    void a_byte_order_mark_is_a_problem_also_inside_gzip() throws IOException {
        byte[] bom = text("\uFEFFa,b\n1,2\n");
        assertThat(detect(bom, "x.csv").problem()).isEqualTo(ContentProblem.BYTE_ORDER_MARK);
        assertThat(detect(gzip(bom), "x.csv.gz").problem()).isEqualTo(ContentProblem.BYTE_ORDER_MARK);
    }

    @Test
    void a_gzip_bomb_is_inflated_no_further_than_the_prefix() throws IOException {
        byte[] zeros = new byte[64 * 1024 * 1024];
        byte[] bomb = gzip(zeros);
        long before = allocated();
        DetectedFormats formats = detect(bomb, "bomb.gz");
        long allocatedDuring = allocated() - before;
        assertThat(formats.compression()).isEqualTo(CompressionFormat.GZ);
        // 64 MiB of zeros compress into ~64 KiB; detection looks at 8 KiB of it and inflates at most 8 KiB
        assertThat(allocatedDuring).isLessThan(4L * 1024 * 1024);
    }

    @Test
    void corrupt_gzip_is_reported_as_gzip_without_failing() {
        byte[] corrupt = Arrays.copyOf(new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5}, 200);
        assertThat(detect(corrupt, "broken.json.gz"))
                .isEqualTo(new DetectedFormats(CompressionFormat.GZ, DataFormat.ND_JSON, null));
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void text_that_starts_like_a_signature_is_text() {
        assertThat(detect(text("ORCID,name\n0000-0002,Ada\n"), "people.csv"))
                .isEqualTo(new DetectedFormats(null, DataFormat.CSV, null));
        assertThat(detect(text("ORCID,name\n0000-0002,Ada\n"), "people")).isEqualTo(new DetectedFormats(null, DataFormat.CSV, null));
        assertThat(detect(text("PAR1,PAR2\n1,2\n"), "pairs.csv")).isEqualTo(new DetectedFormats(null, DataFormat.CSV, null));
        assertThat(detect(text("BZh9 is,a model\n1,2\n"), "models.csv"))
                .isEqualTo(new DetectedFormats(null, DataFormat.CSV, null));
        assertThat(detect(new byte[] {0x1F, (byte) 0x8B, ',', 'b', '\n'}, "odd.csv").compression()).isNull();
    }

    @Test
    void binary_orc_and_an_empty_bzip2_stream_keep_their_signatures() {
        assertThat(detect(new byte[] {'O', 'R', 'C', 0x0A, 0x06, 0x08, 0x06, 0x10, 0x00, 0x18}, "x.csv").dataFormat())
                .isEqualTo(DataFormat.ORC);
        assertThat(detect(new byte[] {'B', 'Z', 'h', '9', 0x17, 0x72, 0x45, 0x38, 0x50, (byte) 0x90, 0, 0, 0, 0}, "e.bz2")
                .compression()).isEqualTo(CompressionFormat.BZ2);
    }
}
