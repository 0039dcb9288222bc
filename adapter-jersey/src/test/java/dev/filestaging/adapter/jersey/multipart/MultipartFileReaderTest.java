package dev.filestaging.adapter.jersey.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.filestaging.adapter.jersey.MultipartBody;
import dev.filestaging.adapter.jersey.http.ProblemMapper;
import dev.filestaging.adapter.jersey.problems.ApiProblem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartFileReaderTest {

    private final MultipartFileReader reader = new MultipartFileReader();

    @Test
    void content_full_of_near_boundaries_survives_every_split_of_the_body() throws IOException {
        Random random = new Random(42);
        // the delimiter but its last character, then a character that no boundary ends with
        byte[] nearMiss = ("\r\n--" + MultipartBody.BOUNDARY.substring(0, MultipartBody.BOUNDARY.length() - 1) + "#")
                .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        while (content.size() < 1_000_000) {
            byte[] noise = new byte[random.nextInt(3000)];
            random.nextBytes(noise);
            content.writeBytes(noise);
            content.writeBytes(random.nextBoolean() ? nearMiss : "\r\n--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        content.writeBytes("\r\n\r\n--".getBytes(StandardCharsets.US_ASCII)); // ends like a delimiter's start
        byte[] expected = content.toByteArray();

        for (int maxRead : new int[] {1, 7, 4096, 70_000}) {
            InputStream body = new SplitReads(MultipartBody.singleFile("noise.bin", expected), maxRead, random);
            MultipartFileReader.FilePart file = reader.firstFile(MultipartBody.contentType(), body);
            assertThat(file.fileName()).isEqualTo("noise.bin");
            assertThat(Arrays.equals(file.content().readAllBytes(), expected)).as("reads of at most %d", maxRead).isTrue();
        }
    }

    @Test
    void the_message_ends_at_its_closing_delimiter_without_waiting_for_more_body() throws IOException {
        byte[] message = MultipartBody.singleFile("a.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        InputStream bodyThatNeverEnds = new InputStream() {
            private final InputStream sent = new ByteArrayInputStream(message);

            @Override
            public int read() {
                throw new AssertionError("single bytes are never read");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = sent.read(buffer, offset, length);
                if (n < 0) {
                    throw new AssertionError("read past the closing delimiter");
                }
                return n;
            }
        };

        MultipartFileReader.FilePart file = reader.firstFile(MultipartBody.contentType(), bodyThatNeverEnds);

        assertThat(file.content().readAllBytes()).isEqualTo("a,b\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_body_cut_inside_the_file_is_a_malformed_body_not_an_end() throws IOException {
        byte[] message = MultipartBody.singleFile("a.csv", new byte[10_000]);
        InputStream cut = new ByteArrayInputStream(Arrays.copyOf(message, 5_000));

        MultipartFileReader.FilePart file = reader.firstFile(MultipartBody.contentType(), cut);

        assertThatThrownBy(() -> file.content().readAllBytes())
                .isInstanceOf(MultipartCursor.Malformed.class)
                .satisfies(e -> assertThat(ProblemMapper.bodyFailure((IOException) e).problem().code())
                        .isEqualTo("malformed_multipart"));
    }

    @Test
    void the_parts_after_the_file_are_checked_only_when_asked_after_its_content() throws IOException {
        byte[] body = new MultipartBody().file("file", "a.csv", "a,b\n".getBytes(StandardCharsets.UTF_8))
                .field("note", "fine").file("file", "b.csv", "c\n".getBytes(StandardCharsets.UTF_8)).end();

        MultipartFileReader.FilePart file = reader.firstFile(MultipartBody.contentType(), new ByteArrayInputStream(body));

        assertThat(file.content().readAllBytes()).isEqualTo("a,b\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(file::checkRest).isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).problem().code()).isEqualTo("multiple_files"));
    }

    @Test
    void small_fields_after_the_file_pass_the_check() throws IOException {
        byte[] body = new MultipartBody().file("file", "a.csv", "a,b\n".getBytes(StandardCharsets.UTF_8))
                .field("note", "fine").end();

        MultipartFileReader.FilePart file = reader.firstFile(MultipartBody.contentType(), new ByteArrayInputStream(body));
        file.content().readAllBytes();

        file.checkRest();
    }

    /** Hands the body out in reads of random sizes up to a maximum. */
    private static final class SplitReads extends InputStream {
        private final byte[] bytes;
        private final int maxRead;
        private final Random random;
        private int position;

        SplitReads(byte[] bytes, int maxRead, Random random) {
            this.bytes = bytes;
            this.maxRead = maxRead;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(maxRead)), bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
    }

    private MultipartFileReader.FilePart fileNamed(String dispositionParameters) throws IOException {
        byte[] body = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; " + dispositionParameters
                + "\r\n", "a,b\n".getBytes(StandardCharsets.UTF_8)).end();
        return reader.firstFile(MultipartBody.contentType(), new ByteArrayInputStream(body));
    }

    @Test
    void a_file_name_is_kept_exactly_as_sent() throws IOException {
        assertThat(fileNamed("filename=\"  spaced out.csv \"").fileName()).isEqualTo("  spaced out.csv ");
        assertThat(fileNamed("filename=\"say \\\"hi\\\".csv\"").fileName()).isEqualTo("say \"hi\".csv");
        assertThat(fileNamed("filename=\"back\\\\slash.csv\"").fileName()).isEqualTo("back\\slash.csv");
        assertThat(fileNamed("filename=\"dir\\file.csv\"").fileName()).as("a raw backslash stays, for the name rules")
                .isEqualTo("dir\\file.csv");
        assertThat(fileNamed("filename=\"semi;colon.csv\"").fileName()).isEqualTo("semi;colon.csv");
        assertThat(fileNamed("FILENAME=plain.csv").fileName()).isEqualTo("plain.csv");
        assertThat(fileNamed("filename=\"ascii.csv\"; filename*=UTF-8''caf%C3%A9.csv").fileName()).isEqualTo("café.csv");
        assertThat(fileNamed("filename=\"données.csv\"").fileName()).isEqualTo("données.csv");
    }

    @Test
    void a_tab_in_a_file_name_is_refused_not_turned_into_a_space_but_a_tab_around_a_value_is_fine() throws IOException {
        assertThatThrownBy(() -> fileNamed("filename=\"a\tb.csv\""))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.problem().code()).isEqualTo("invalid_file_name");
                    assertThat(problem.problem().detail()).contains("tab");
                });
        byte[] body = new MultipartBody().part("Content-Disposition:\tform-data; name=\"file\";\tfilename=\"ok.csv\"\r\n",
                "a,b\n".getBytes(StandardCharsets.UTF_8)).end();
        assertThat(reader.firstFile(MultipartBody.contentType(), new ByteArrayInputStream(body)).fileName())
                .isEqualTo("ok.csv");
        for (int maxRead : new int[] {1, 3, 17}) { // a header split across reads is seen whole
            byte[] tabbed = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; filename=\"x\ty.csv\"\r\n",
                    "a".getBytes(StandardCharsets.UTF_8)).end();
            assertThatThrownBy(() -> reader.firstFile(MultipartBody.contentType(),
                    new SplitReads(tabbed, maxRead, new Random(maxRead)))).isInstanceOf(ApiProblem.class);
        }
    }

    @Test
    void a_file_name_that_is_not_utf_8_is_refused_not_replaced() {
        byte[] body = new MultipartBody().part("Content-Disposition: form-data; name=\"file\"; filename=\"bad\u00ff.csv\"\r\n",
                "a".getBytes(StandardCharsets.UTF_8)).end();
        byte[] latin1 = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1); // 0xFF alone

        assertThatThrownBy(() -> reader.firstFile(MultipartBody.contentType(), new ByteArrayInputStream(latin1)))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.problem().code()).isEqualTo("invalid_file_name");
                    assertThat(problem.problem().detail()).contains("UTF-8");
                });
    }

    @Test
    void parameter_names_of_the_content_type_are_case_insensitive() throws IOException {
        byte[] body = MultipartBody.singleFile("upper.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        MultipartFileReader.FilePart file = reader.firstFile("Multipart/Form-Data; BOUNDARY=\"" + MultipartBody.BOUNDARY
                + "\"", new ByteArrayInputStream(body));
        assertThat(file.fileName()).isEqualTo("upper.csv");
    }
}
