package dev.edgeweave.testbed.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dashboard over real HTTP on a free loopback port: its routes, headers, failures and binding. */
class LabDashboardTest {

    private static final String STATE = "{\"scenario\":\"bristol-7\",\"phase\":\"replaying\",\"citySeconds\":12.5,"
            + "\"progress\":{\"produced\":3,\"completed\":1,\"normalizedJain\":null}}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<Supplier<String>> state = new AtomicReference<>(() -> STATE);
    private LabDashboard dashboard;

    @BeforeEach
    void start() {
        dashboard = LabDashboard.start("127.0.0.1", 0, () -> state.get().get());
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard.url()).resolve(path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("(none)");
    }

    private static void assertServed(HttpResponse<String> r, String contentType, String contains) {
        assertEquals(200, r.statusCode(), r.uri() + ": " + r.body());
        assertTrue(header(r, "Content-Type").startsWith(contentType), r.uri() + ": " + header(r, "Content-Type"));
        assertTrue(r.body().contains(contains), r.uri() + " should contain " + contains);
        assertEquals("nosniff", header(r, "X-Content-Type-Options"), r.uri().toString());
        String csp = header(r, "Content-Security-Policy");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
                && csp.contains("style-src 'self'") && csp.contains("connect-src 'self'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    }

    @Test
    void servesThePageItsScriptAndStyle() throws Exception {
        HttpResponse<String> page = get("/");
        assertServed(page, "text/html", "<script src=\"app.js\"");
        assertTrue(page.body().contains("src=\"uplot.js\"") && page.body().contains("href=\"uplot.css\""), page.body());
        assertFalse(page.body().contains("<script>"), "no inline script: the CSP would block it");
        assertServed(get("/app.js"), "text/javascript", "api/state");
        assertServed(get("/app.css"), "text/css", "font-family");
    }

    @Test
    void servesUplotFromItsWebJar() throws Exception {
        HttpResponse<String> js = get("/uplot.js");
        assertServed(js, "text/javascript", "uPlot");
        assertTrue(js.body().length() > 20_000, "the minified library, " + js.body().length() + " chars");
        assertServed(get("/uplot.css"), "text/css", ".uplot");
    }

    @Test
    void apiStateIsTheSuppliersJsonNeverCached() throws Exception {
        HttpResponse<String> r = get("/api/state");
        assertServed(r, "application/json", "bristol-7");
        assertEquals(STATE, r.body());
        assertEquals("no-store", header(r, "Cache-Control"));

        state.set(() -> "{\"phase\":\"done\"}");
        assertEquals("{\"phase\":\"done\"}", get("/api/state").body(), "produced per request");
    }

    @Test
    void headAnswersTheHeadersWithoutABody() throws Exception {
        HttpResponse<String> r = send("HEAD", "/api/state");
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals(String.valueOf(STATE.getBytes(StandardCharsets.UTF_8).length), header(r, "Content-Length"));
    }

    @ParameterizedTest
    @CsvSource({"POST, /api/state", "PUT, /", "DELETE, /app.js", "PATCH, /nowhere"})
    void nothingIsWritable(String method, String path) throws Exception {
        HttpResponse<String> r = send(method, path);
        assertEquals(405, r.statusCode(), r.body());
        assertEquals("GET, HEAD", header(r, "Allow"));
    }

    @ParameterizedTest
    @CsvSource({"/nowhere", "/api", "/api/state/x", "/dev/edgeweave/testbed/lab/dashboard/app.js",
            "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css", "/index.htm"})
    void anUnknownPathIsNotFound(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(header(r, "Content-Type").startsWith("text/plain"), header(r, "Content-Type"));
    }

    @Test
    void aFailingSupplierIs503AndTheServerKeepsServing() throws Exception {
        state.set(() -> {
            throw new IllegalStateException("scheduler store not open");
        });
        for (int i = 0; i < 3; i++) { // more failures than serving threads: none of them is lost
            HttpResponse<String> r = get("/api/state");
            assertEquals(503, r.statusCode());
            assertTrue(header(r, "Content-Type").startsWith("text/plain"), header(r, "Content-Type"));
            assertTrue(r.body().contains("scheduler store not open"), r.body());
            assertEquals("no-store", header(r, "Cache-Control"));
        }
        assertEquals(200, get("/").statusCode(), "the page is still served");

        state.set(() -> null);
        HttpResponse<String> none = get("/api/state");
        assertEquals(503, none.statusCode());
        assertTrue(none.body().contains("not available yet"), none.body());

        state.set(() -> STATE);
        assertEquals(STATE, get("/api/state").body(), "answers again once the state is back");
    }

    @Test
    void aBusyPortSaysWhichAndHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LabDashboard.start("127.0.0.1", taken.getLocalPort(), () -> STATE).close());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("--dashboard-port"), e.getMessage());
            assertTrue(e.getMessage().contains("--no-dashboard"), e.getMessage());
        }
    }

    @Test
    void bindsTheLoopbackAddressOnly() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), dashboard.address().getAddress());
        assertTrue(dashboard.port() > 0);
        assertEquals("http://127.0.0.1:" + dashboard.port() + "/", dashboard.url());

        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no other IPv4 address to try");
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> s.connect(new InetSocketAddress(external.get(), dashboard.port()), 2000),
                    "not reachable on " + external.get().getHostAddress());
        }
    }

    @Test
    void refusesAHostNameThatIsNotLoopback() throws Exception {
        assertEquals(403, rawStatus("evil.example:" + dashboard.port()), "DNS rebinding");
        assertEquals(200, rawStatus("localhost:" + dashboard.port()));
        assertEquals(200, rawStatus("127.0.0.1:" + dashboard.port()));
    }

    /** HttpClient will not send a forged Host header; a socket will. */
    private int rawStatus(String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), dashboard.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 200"
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @ParameterizedTest
    @CsvSource({"localhost, true", "localhost:8080, true", "LOCALHOST:8080, true", "127.0.0.1:8080, true",
            "127.1.2.3, true", "[::1]:8080, true", "dash.localhost:8080, true", "127.0.0.1.evil.example, false",
            "evil.example:8080, false", "10.0.0.5:8080, false", "[2001:db8::1]:8080, false", "'', false"})
    void loopbackHostNames(String hostHeader, boolean allowed) {
        assertEquals(allowed, LabDashboard.loopbackHost(hostHeader, "127.0.0.1"), hostHeader);
    }

    @Test
    void closeStopsListening() throws Exception {
        int port = dashboard.port();
        dashboard.close();
        dashboard.close(); // idempotent
        try (Socket s = new Socket()) {
            assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress("127.0.0.1", port), 2000));
        }
    }
}
