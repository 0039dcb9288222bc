package dev.filestaging.app;

import static dev.filestaging.app.E2e.md5;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.HasNetworkConditions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's chromium, headless, driven through its chromedriver (WebDriver). One
 * app serves every case; the resumable-upload case kills it mid-upload and starts it again on the same port and data.
 * Screenshots of the main screens go to {@code target/console-screenshots/}.
 */
class ConsoleIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANAGE_KEY = "console-it-manage-key-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    private static Map<String, String> environment;
    private static RunningApp app;
    private static String readKey;
    private static String tightKey;
    private static String clientId;
    private static String clientSecret;
    private static HttpServer otherOrigin;

    private WebDriver browser;

    @BeforeAll
    static void startApp() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        // a page of another origin, for CORS: the same server is http://127.0.0.1:P (allowed) and http://localhost:P
        otherOrigin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otherOrigin.createContext("/", exchange -> {
            byte[] page = "<!DOCTYPE html><title>another origin</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherOrigin.start();
        Path data = work.resolve("data");
        Files.createDirectories(data);
        readKey = cli(data, "api-key", "create", "--org", "default", "--role", "ReadFiles").group(1, "fsk_\\S+");
        tightKey = cli(data, "api-key", "create", "--org", "tight", "--role", "ManageFiles").group(1, "fsk_\\S+");
        Output client = cli(data, "oauth-client", "create", "--org", "default", "--role", "ManageFiles");
        clientId = client.group(1, "client_id=(\\S+)");
        clientSecret = client.group(1, "client_secret=(\\S+)");
        Path config = Files.writeString(work.resolve("files.conf"), "FILES_QUOTA_BYTES.tight=1000\n");
        environment = Map.of("FILES_BOOTSTRAP_API_KEY", MANAGE_KEY, "FILES_HTTP_PORT",
                Integer.toString(RunningApp.freePort()), "FILES_CONFIG_FILE", config.toString(),
                "FILES_HTTP_CORS_ORIGINS", "http://127.0.0.1:" + otherOrigin.getAddress().getPort());
        app = RunningApp.start(data, environment, "256m");
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
        if (otherOrigin != null) {
            otherOrigin.stop(0);
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1366,1000", "--disable-dev-shm-usage",
                // nothing but this machine resolves: a request to anywhere else would fail and show in the log
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser(TestInfo test) throws Exception {
        if (browser != null) {
            screenshot("last-" + test.getTestMethod().orElseThrow().getName());
            browser.quit();
        }
    }

    @Test
    void three_files_one_of_200_mib_upload_resumably_through_a_restart_of_the_app() throws Exception {
        Path small = csv(work.resolve("events.csv"), 10_000);
        Path medium = csv(work.resolve("metrics.csv"), 3_000_000);
        Path big = csv(work.resolve("big.csv"), 200L * 1024 * 1024);
        signInWithKey(MANAGE_KEY);
        openProject("resume");
        screenshot("01-empty-project");

        // slow the browser's uploads down (40 MB/s) so the app can be killed while the big one is on the wire
        ((HasNetworkConditions) browser).setNetworkConditions(throttled(40_000_000));
        addFiles(small, medium, big);
        click(By.cssSelector(".uppy-StatusBar-actionBtn--upload"));
        awaitUploadProgress(15);
        screenshot("02-uploading");

        app.kill();
        Thread.sleep(1_500); // the browser's requests fail; tus keeps retrying
        app = RunningApp.start(work.resolve("data"), environment, "256m");

        awaitText(By.cssSelector(".uppy-StatusBar"), "Complete", Duration.ofMinutes(3));
        ((HasNetworkConditions) browser).deleteNetworkConditions();
        for (Path file : List.of(small, medium, big)) {
            String name = file.getFileName().toString();
            JsonNode staged = metadata("resume", name, MANAGE_KEY);
            assertThat(staged.path("sizeBytes").asLong()).as(name).isEqualTo(Files.size(file));
            assertThat(staged.path("digest").path("hash").asText()).as(name).isEqualTo(md5(file));
            awaitRow(name);
        }
        // read again if the table was redrawn meanwhile (it is, once more, after the last upload)
        String bigRow = await().until(driver -> driver.findElement(rowOf("big.csv")).getText());
        assertThat(bigRow).contains("200.0 MiB").contains(md5(big)).contains("csv");
        assertThat(text(By.id("space-text"))).contains("left");
        screenshot("03-uploaded");
        // the browser's requests while the app was down, and those the kill cut (a tus PATCH, the events' waiting read)
        assertNoConsoleErrors("ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_SOCKET_NOT_CONNECTED");
    }

    @Test
    void an_upload_cut_by_a_reload_of_the_tab_comes_back_after_it_and_finishes() throws Exception {
        Path file = csv(work.resolve("reloaded.csv"), 8L * 1024 * 1024); // small enough for the browser to keep it
        signInWithKey(MANAGE_KEY);
        openProject("reload");
        ((HasNetworkConditions) browser).setNetworkConditions(throttled(1_000_000));
        addFiles(file);
        click(By.cssSelector(".uppy-StatusBar-actionBtn--upload"));
        awaitUploadProgress(10);

        browser.navigate().refresh();
        ((HasNetworkConditions) browser).deleteNetworkConditions();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace"))); // still signed in
        awaitText(By.cssSelector(".uppy-Dashboard"), "reloaded.csv", PATIENCE);
        screenshot("09-restored-after-reload");
        click(By.cssSelector(".uppy-StatusBar-actionBtn--upload")); // "You can now resume the upload"
        awaitText(By.cssSelector(".uppy-StatusBar"), "Complete", PATIENCE);
        // the same upload went on: a second one of this name would have been refused while the first was open
        assertThat(metadata("reload", "reloaded.csv", MANAGE_KEY).path("digest").path("hash").asText())
                .isEqualTo(md5(file));
        awaitRow("reloaded.csv");
        assertNoConsoleErrors();
    }

    @Test
    void signs_in_with_an_oauth_client_and_sees_its_organization_and_roles() throws Exception {
        browser.get(app.baseUrl() + "/");
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("oauth-form")));
        type(By.id("api-key"), "fsk_not-a-key");
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        awaitText(By.id("message"), "The key or token was not accepted", PATIENCE);
        screenshot("00-sign-in");
        type(By.id("oauth-organization"), "default");
        type(By.id("oauth-client-id"), clientId);
        type(By.id("oauth-client-secret"), clientSecret);
        browser.findElement(By.cssSelector("#oauth-form button[type=submit]")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
        assertThat(text(By.id("who-organization"))).isEqualTo("default");
        assertThat(text(By.id("who-roles"))).isEqualTo("ManageFiles");
        assertThat(browser.getCurrentUrl()).as("no credential in the address").doesNotContain(clientSecret);

        click(By.id("sign-out"));
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("key-form")));
        assertThat(script("return sessionStorage.length")).isEqualTo(0L);

        type(By.id("oauth-organization"), "default");
        type(By.id("oauth-client-id"), clientId);
        type(By.id("oauth-client-secret"), "not-the-secret");
        browser.findElement(By.cssSelector("#oauth-form button[type=submit]")).click();
        awaitText(By.id("message"), "not right", PATIENCE);
        assertNoConsoleErrors();
    }

    @Test
    void a_taken_name_is_shown_as_a_conflict_before_any_byte_is_sent() throws Exception {
        Path file = csv(work.resolve("taken.csv"), 1_000);
        upload("conflicts", file, MANAGE_KEY);
        String before = metadata("conflicts", "taken.csv", MANAGE_KEY).path("id").asText();
        signInWithKey(MANAGE_KEY);
        openProject("conflicts");
        addFiles(file);
        awaitText(By.id("conflicts"), "taken.csv: a file of this name is already staged", PATIENCE);
        assertThat(browser.findElements(By.cssSelector(".uppy-Dashboard-Item"))).as("left out of the upload").isEmpty();
        screenshot("04-conflict");
        assertThat(metadata("conflicts", "taken.csv", MANAGE_KEY).path("id").asText()).isEqualTo(before);
    }

    @Test
    void an_upload_beyond_the_quota_is_refused_in_words() throws Exception {
        Path file = csv(work.resolve("too-big.csv"), 5_000);
        signInWithKey(tightKey);
        addFiles(file);
        click(By.cssSelector(".uppy-StatusBar-actionBtn--upload"));
        awaitText(By.tagName("body"), "Not enough space left", PATIENCE);
        String page = text(By.tagName("body"));
        assertThat(page).doesNotContain("{\"").doesNotContain("quota_exceeded");
        screenshot("05-quota-exceeded");
        assertThat(list("default", tightKey).path("files")).isEmpty();
    }

    @Test
    void files_are_deleted_after_a_confirmation_and_the_space_bar_follows() throws Exception {
        Path one = csv(work.resolve("one.csv"), 50_000);
        Path two = csv(work.resolve("two.csv"), 70_000);
        Path three = csv(work.resolve("three.csv"), 1_000);
        for (Path file : List.of(one, two, three)) {
            upload("deletes", file, MANAGE_KEY);
        }
        signInWithKey(MANAGE_KEY);
        openProject("deletes");
        awaitRow("one.csv");
        String spaceBefore = text(By.id("space-text"));
        row("one.csv").findElement(By.cssSelector("input.pick")).click();
        row("two.csv").findElement(By.cssSelector("input.pick")).click();
        click(By.id("delete-selected"));
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-delete")));
        assertThat(text(By.id("confirm-text"))).contains("these 2 files");
        screenshot("06-confirm-delete");
        click(By.id("confirm-button"));
        await().until(driver -> driver.findElements(By.cssSelector("#files-body tr")).size() == 1);
        assertThat(row("three.csv")).isNotNull();
        assertThat(text(By.id("space-text"))).isNotEqualTo(spaceBefore).startsWith(Files.size(three) + " B used");
        assertThat(list("deletes", MANAGE_KEY).path("files")).hasSize(1);
    }

    @Test
    void the_events_view_shows_what_happens_live_and_the_file_table_when_files_expire() throws Exception {
        Path before = csv(work.resolve("before.csv"), 1_000);
        upload("live", before, MANAGE_KEY);
        signInWithKey(MANAGE_KEY);
        openProject("live");
        await().until(driver -> driver.findElements(By.cssSelector("#events-body tr")).size() == 1);
        awaitText(By.id("events-state"), "Live", PATIENCE);
        assertThat(row("before.csv").getText()).contains("never");

        HttpResponse<String> expiring = HTTP.send(HttpRequest.newBuilder(api("/v1/projects/live/files?expiresAfterSeconds=3600"))
                .header("Authorization", "Bearer " + MANAGE_KEY)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\";"
                        + " filename=\"later.csv\"\r\n\r\na,b\n1,2\n\r\n--b--\r\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expiring.statusCode()).as(expiring.body()).isEqualTo(201);
        send(HttpRequest.newBuilder(api("/v1/projects/live/files/before.csv")).DELETE(), MANAGE_KEY, 204);

        // no reload: the waiting read of the feed brings both, and the file list follows
        await().until(driver -> driver.findElements(By.cssSelector("#events-body tr")).size() == 3);
        List<WebElement> events = browser.findElements(By.cssSelector("#events-body tr"));
        assertThat(events.get(0).getAttribute("data-type")).isEqualTo("file.deleted");
        assertThat(events.get(0).getText()).contains("before.csv");
        assertThat(events.get(1).getAttribute("data-type")).isEqualTo("file.committed");
        assertThat(events.get(1).getText()).contains("later.csv");
        awaitRow("later.csv");
        await().until(driver -> driver.findElements(rowOf("before.csv")).isEmpty());
        String expires = row("later.csv").findElement(By.cssSelector("td.expires")).getAttribute("title");
        assertThat(java.time.Instant.parse(expires.replace(" (UTC)", "")))
                .isEqualTo(java.time.Instant.parse(metadata("live", "later.csv", MANAGE_KEY).get("expiresAt").asText()));
        screenshot("08-events");
        assertNoConsoleErrors();
    }

    @Test
    void two_thousand_files_are_paged_and_filtered_by_name() throws Exception {
        uploadMany("many", 2_000);
        signInWithKey(MANAGE_KEY);
        openProject("many");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("page-size"))).selectByVisibleText("1000");
        await().until(driver -> driver.findElements(By.cssSelector("#files-body tr")).size() == 1000);
        assertThat(row("file-0000.csv")).isNotNull();
        screenshot("07-paging");
        click(By.id("next-page"));
        awaitRow("file-1999.csv");
        assertThat(browser.findElements(By.cssSelector("#files-body tr"))).hasSize(1000);
        assertThat(text(By.id("page-number"))).isEqualTo("Page 2");
        assertThat(browser.findElement(By.id("next-page")).isEnabled()).isFalse();
        click(By.id("previous-page"));
        awaitRow("file-0000.csv");

        type(By.id("filter"), "123");
        click(By.cssSelector("#filter-form button"));
        // file-0123, file-1123 and file-1230 to file-1239
        await().until(driver -> driver.findElements(By.cssSelector("#files-body tr")).size() == 12);
        assertThat(browser.findElements(By.cssSelector("#files-body tr")).get(0).getAttribute("data-name"))
                .isEqualTo("file-0123.csv");
        click(By.cssSelector("button.sort[data-key=name]"));
        assertThat(browser.findElements(By.cssSelector("#files-body tr")).get(0).getAttribute("data-name"))
                .isEqualTo("file-1239.csv");
    }

    @Test
    void a_read_files_key_sees_the_files_but_no_upload_or_delete_control() throws Exception {
        upload("default", csv(work.resolve("readable.csv"), 2_000), MANAGE_KEY);
        signInWithKey(readKey);
        awaitRow("readable.csv");
        assertThat(text(By.id("who-roles"))).isEqualTo("ReadFiles");
        assertThat(browser.findElements(By.cssSelector(".uppy-Dashboard"))).isEmpty();
        assertThat(browser.findElement(By.id("upload")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("delete-selected")).isDisplayed()).isFalse();
        assertThat(row("readable.csv").findElement(By.cssSelector("input.pick")).isDisplayed()).isFalse();
        screenshot("08-read-only");

        // its download goes through a signed link, which it may make; so does a link to copy
        click(row("readable.csv"), By.xpath(".//button[text()='Download']"));
        click(row("readable.csv"), By.xpath(".//button[text()='Copy link']"));
        awaitText(By.id("message"), "A link to readable.csv, valid until", PATIENCE);
        assertNoConsoleErrors();
    }

    @Test
    void a_page_of_a_listed_origin_may_call_the_api_and_others_may_not() throws Exception {
        int port = otherOrigin.getAddress().getPort();
        String api = app.baseUrl();
        String call = """
                const done = arguments[arguments.length - 1];
                const api = arguments[0], key = arguments[1];
                (async () => {
                  const listed = await fetch(api + '/v1/files', {headers: {Authorization: 'Bearer ' + key}});
                  const created = await fetch(api + '/v1/uploads', {method: 'POST', headers: {
                      Authorization: 'Bearer ' + key, 'Tus-Resumable': '1.0.0', 'Upload-Length': '4',
                      'Upload-Metadata': 'filename ' + btoa('cors.csv')}});
                  return [listed.status, created.status, created.headers.get('Location'),
                          created.headers.get('Tus-Resumable')].join(' ');
                })().then(done, error => done('failed: ' + error));
                """;
        browser.get("http://127.0.0.1:" + port + "/");
        Object allowed = ((JavascriptExecutor) browser).executeAsyncScript(call, api, MANAGE_KEY);
        assertThat(allowed.toString()).matches("200 201 " + Pattern.quote(api) + "/v1/uploads/\\S+ 1\\.0\\.0");

        browser.get("http://localhost:" + port + "/");
        Object refused = ((JavascriptExecutor) browser).executeAsyncScript(call, api, MANAGE_KEY);
        assertThat(refused.toString()).startsWith("failed: TypeError");
    }

    // ---- the browser ----------------------------------------------------------------------------------------------

    private void signInWithKey(String key) {
        browser.get(app.baseUrl() + "/console/");
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        type(By.id("api-key"), key);
        browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("workspace")));
    }

    private void openProject(String project) {
        WebElement input = browser.findElement(By.id("project"));
        input.clear();
        input.sendKeys(project);
        browser.findElement(By.cssSelector("#project-form button")).click();
        await().until(driver -> driver.getCurrentUrl().endsWith("?project=" + project));
    }

    private void addFiles(Path... files) {
        WebElement input = await().until(driver -> driver.findElements(By.cssSelector("input.uppy-Dashboard-input"))
                .stream().filter(element -> element.getDomAttribute("webkitdirectory") == null).findFirst().orElse(null));
        input.sendKeys(String.join("\n", java.util.Arrays.stream(files).map(Path::toString).toList()));
    }

    private void awaitUploadProgress(int percent) {
        wait(PATIENCE, Duration.ofMillis(50)).until(driver -> {
            List<WebElement> bars = driver.findElements(By.cssSelector(".uppy-StatusBar-progress"));
            if (bars.isEmpty()) {
                return false;
            }
            String now = bars.get(0).getAttribute("aria-valuenow");
            return now != null && Double.parseDouble(now) >= percent;
        });
    }

    private static ChromiumNetworkConditions throttled(long bytesPerSecond) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setUploadThroughput((int) bytesPerSecond);
        conditions.setDownloadThroughput((int) bytesPerSecond);
        conditions.setLatency(Duration.ZERO);
        return conditions;
    }

    /** Waits, looking again when the page re-rendered an element between finding and reading it (Uppy does). */
    private WebDriverWait await() {
        return wait(PATIENCE, Duration.ofMillis(100));
    }

    private WebDriverWait wait(Duration patience, Duration interval) {
        WebDriverWait wait = new WebDriverWait(browser, patience, interval);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void awaitText(By where, String text, Duration patience) {
        wait(patience, Duration.ofMillis(200)).until(driver -> driver.findElements(where).stream()
                .anyMatch(element -> element.getText().contains(text)));
    }

    private void awaitRow(String name) {
        await().until(driver -> !driver.findElements(rowOf(name)).isEmpty());
    }

    private WebElement row(String name) {
        return browser.findElement(rowOf(name));
    }

    private static By rowOf(String name) {
        return By.cssSelector("#files-body tr[data-name='" + name + "']");
    }

    private void click(By what) {
        await().until(ExpectedConditions.elementToBeClickable(what)).click();
    }

    private void click(WebElement within, By what) {
        within.findElement(what).click();
    }

    private void type(By where, String text) {
        WebElement input = browser.findElement(where);
        input.clear();
        input.sendKeys(text);
    }

    private String text(By where) {
        return browser.findElement(where).getText();
    }

    private Object script(String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    private void screenshot(String name) throws java.io.IOException {
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Nothing the console did was refused by its CSP, failed to load, or threw. */
    private void assertNoConsoleErrors(String... expected) {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    // the answers the cases provoke on purpose (a wrong secret, a quota) are logged as failed loads
                    && !entry.getMessage().matches("(?s).*the server responded with a status of (401|413).*")
                    && java.util.Arrays.stream(expected).noneMatch(entry.getMessage()::contains)) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).isEmpty();
        Object foreign = script("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => !n.startsWith(location.origin))");
        assertThat((List<?>) foreign).as("requests to other origins").isEmpty();
    }

    // ---- the API, as a test's own client ------------------------------------------------------------------------

    private static JsonNode metadata(String project, String name, String key) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(api("/v1/projects/" + project + "/files/" + name)), key));
    }

    private static JsonNode list(String project, String key) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(api("/v1/projects/" + project + "/files")), key));
    }

    private static void upload(String project, Path file, String key) throws Exception {
        HttpResponse<String> answer = HTTP.send(uploadRequest(project, file.getFileName().toString(),
                Files.readAllBytes(file), key), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    /** Many small files, eight at a time. */
    private static void uploadMany(String project, int count) throws Exception {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String name = "file-%04d.csv".formatted(i);
            answers.add(HTTP.sendAsync(uploadRequest(project, name, ("n\n" + i + "\n").getBytes(StandardCharsets.UTF_8),
                    MANAGE_KEY), HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(201);
        }
    }

    private static HttpRequest uploadRequest(String project, String name, byte[] content, String key) {
        String boundary = "console-it-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(api("/v1/projects/" + project + "/files"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail))).build();
    }

    private static String send(HttpRequest.Builder request, String key, int status) throws Exception {
        HttpResponse<String> answer = HTTP.send(request.header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body();
    }

    private static String send(HttpRequest.Builder request, String key) throws Exception {
        return send(request, key, 200);
    }

    private static URI api(String path) {
        return URI.create(app.baseUrl() + path);
    }

    // ---- files and the CLI ----------------------------------------------------------------------------------------

    /** A CSV file of about this many bytes (whole lines), so the server detects its format. */
    private static Path csv(Path file, long bytes) throws Exception {
        if (Files.exists(file)) {
            return file;
        }
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("id,name,value\n");
            long written = 14;
            for (long i = 0; written < bytes; i++) {
                String line = i + ",item-" + (i * 7919 % 100_003) + "," + (i % 977) + "\n";
                out.write(line);
                written += line.length();
            }
        }
        return file;
    }

    private record Output(String text) {
        String group(int group, String pattern) {
            Matcher matcher = Pattern.compile(pattern).matcher(text);
            assertThat(matcher.find()).as(text).isTrue();
            return group == 1 && matcher.groupCount() == 0 ? matcher.group() : matcher.group(group);
        }
    }

    private static Output cli(Path data, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", RunningApp.JAR.toString()));
        command.addAll(List.of(arguments));
        Map<String, String> env = new HashMap<>();
        env.put("FILES_DATA_DIR", data.toString());
        E2e.Result result = E2e.run(command, env);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return new Output(result.output());
    }
}
