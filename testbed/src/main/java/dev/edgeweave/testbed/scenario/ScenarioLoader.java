package dev.edgeweave.testbed.scenario;

import dev.edgeweave.core.city.AccessPoint;
import dev.edgeweave.core.city.City;
import dev.edgeweave.core.city.EdgeServer;
import dev.edgeweave.core.city.EdgeSite;
import dev.edgeweave.core.city.GeoPoint;
import dev.edgeweave.core.city.Link;
import dev.edgeweave.core.city.NetworkPath;
import dev.edgeweave.core.city.RadioTech;
import dev.edgeweave.core.gpu.GpuCatalog;
import dev.edgeweave.core.gpu.GpuType;
import dev.edgeweave.core.model.ModelCatalog;
import dev.edgeweave.core.model.ModelClass;
import dev.edgeweave.core.model.ModelSpec;
import dev.edgeweave.testbed.scenario.Distribution.TraceColumn;
import dev.edgeweave.testbed.scenario.YamlTree.Node;
import dev.edgeweave.testbed.scenario.YamlTree.Obj;
import dev.edgeweave.testbed.scenario.YamlTree.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and validates scenario files (YAML) into {@link Scenario}s.
 *
 * <p><b>Errors.</b> Every problem of a file is collected and thrown together as a {@link ScenarioException},
 * each naming the file, line, column and field path: a missing field, an unknown field (a typo is an error,
 * not silently ignored), a value of the wrong type or out of range (negative memory, bandwidth, sizes), an
 * unknown GPU type, model, class, site, access point or server, a duplicate id, shares that do not sum to 1, a
 * size beyond a model's limits, a model too large for every GPU of the city.
 *
 * <p><b>Paths.</b> A relative trace path is resolved against the repository root (the directory holding
 * {@code pom.xml}, {@code core/} and {@code testbed/}, found upwards from the working directory, or the
 * {@code edgeweave.root} system property), so {@code testbed/traces/...} means the same from the root and from
 * a module's directory (where Maven runs tests).
 *
 * <p>The file format is documented by the built-in scenarios, {@code scenarios/bristol-7.yaml} (every field
 * with its reason) and {@code scenarios/city-100.yaml}.
 */
public final class ScenarioLoader {

    /** Scenarios shipped as resources under {@code scenarios/}. */
    public static final List<String> BUILT_IN = List.of("bristol-7", "city-100");

    /** Tolerance of a sum of shares around 1. */
    static final double SHARE_TOLERANCE = 1e-6;

    private static final Pattern PIXELS = Pattern.compile("(\\d+)\\s*[xX×]\\s*(\\d+)");
    private static final String[] DISTRIBUTION_KINDS = {"const", "uniform", "lognormal", "choice", "fromTrace"};

    private final Path baseDirectory;

    /** A loader resolving relative paths against the repository root (see the class comment). */
    public ScenarioLoader() {
        this(findRepositoryRoot(Path.of(System.getProperty("user.dir"))));
    }

    /** A loader resolving relative paths in scenario files against {@code baseDirectory}. */
    public ScenarioLoader(Path baseDirectory) {
        this.baseDirectory = baseDirectory.toAbsolutePath().normalize();
    }

    /** The directory relative paths are resolved against. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /**
     * The repository root: the {@code edgeweave.root} system property if set, else the first directory
     * upwards from {@code start} that holds {@code pom.xml}, {@code core/} and {@code testbed/}, else {@code start}.
     */
    public static Path findRepositoryRoot(Path start) {
        String property = System.getProperty("edgeweave.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path dir = start.toAbsolutePath().normalize();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("core"))
                    && Files.isDirectory(d.resolve("testbed"))) {
                return d;
            }
        }
        return dir;
    }

    /** A built-in scenario by name ({@link #BUILT_IN}) if it is one, else the file at {@code nameOrPath}. */
    public Scenario load(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath)) {
            return loadBuiltIn(nameOrPath);
        }
        return load(Path.of(nameOrPath));
    }

    /** The scenario in {@code file}. */
    public Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(new ScenarioException.Problem(file.toString(), 0, 0, "",
                    "cannot read the scenario file: " + e), e);
        }
        return parse(text, file.toString());
    }

    /** A built-in scenario, from the resource {@code scenarios/<name>.yaml}. */
    public Scenario loadBuiltIn(String name) {
        String resource = "scenarios/" + name + ".yaml";
        try (InputStream in = ScenarioLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ScenarioException(List.of(new ScenarioException.Problem(resource, 0, 0, "",
                        "no built-in scenario '" + name + "'; built-in scenarios: " + BUILT_IN)));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new ScenarioException(new ScenarioException.Problem(resource, 0, 0, "", "cannot read: " + e), e);
        }
    }

    /** The scenario written in {@code yaml}; {@code source} names it in errors. */
    public Scenario parse(String yaml, String source) {
        Node rootNode = YamlTree.parse(yaml, source);
        Checker c = new Checker(source);
        Obj root = c.obj(rootNode);
        c.throwIfAny();
        c.allowOnly(root, "name", "description", "seeds", "duration", "city", "gpuTypes", "models", "slo",
                "loadReference", "users", "payload", "workload");

        String name = c.string(root, "name", true);
        String description = c.string(root, "description", false);
        List<Long> seeds = readSeeds(c, root);
        Horizon horizon = readHorizon(c, root);
        GpuCatalog gpus = readGpuTypes(c, root);
        CityParts city = readCity(c, root, gpus);
        ModelParts models = readModels(c, root, city);
        Map<ModelClass, Double> slo = readSlo(c, root, models);
        LoadReference loadReference = readLoadReference(c, root);
        UserModel users = readUsers(c, root);
        Payload payload = readPayload(c, root);
        WorkloadSpec workload = readWorkload(c, root, models, city, horizon, users, payload);
        c.throwIfAny();

        City built;
        try {
            built = new City(city.accessPoints, city.sites, city.servers);
            if (!city.measured.isEmpty()) {
                built = built.withMeasured(city.measured);
            }
        } catch (IllegalArgumentException e) {
            // Validation above covers what City checks; this is a safety net that still names the place.
            throw new ScenarioException(new ScenarioException.Problem(source, root.get("city").loc().line(),
                    root.get("city").loc().column(), "city", e.getMessage()), e);
        }
        return new Scenario(name, description == null ? "" : description, source, built, city.measured, gpus,
                new ModelCatalog(models.specs), models.variants, slo, loadReference, horizon, workload, seeds);
    }

    // ---- top-level scalars ---------------------------------------------------------------------------------

    private static List<Long> readSeeds(Checker c, Obj root) {
        List<Node> items = c.list(root, "seeds", false);
        if (items == null) {
            return List.of(1L);
        }
        if (items.isEmpty()) {
            if (root.get("seeds") != null) {
                c.error(root.get("seeds"), "seeds must list at least one seed");
            }
            return List.of(1L);
        }
        List<Long> seeds = new ArrayList<>();
        for (Node n : items) {
            Long s = c.integer(n, 1, Long.MAX_VALUE);
            if (s != null) {
                if (seeds.contains(s)) {
                    c.error(n, "duplicate seed " + s);
                }
                seeds.add(s);
            }
        }
        return seeds;
    }

    private static Horizon readHorizon(Checker c, Obj root) {
        Obj d = c.obj(root, "duration", true);
        if (d == null) {
            return null;
        }
        c.allowOnly(d, "seconds", "prompts");
        boolean hasSeconds = d.get("seconds") != null;
        boolean hasPrompts = d.get("prompts") != null;
        if (hasSeconds == hasPrompts) {
            c.error(d, "give exactly one of 'seconds' (city time) or 'prompts' (a count)");
            return null;
        }
        if (hasSeconds) {
            Double s = c.above(d, "seconds", true, 0);
            return s == null ? null : Horizon.ofSeconds(s);
        }
        Long p = c.integer(d, "prompts", true, 1, Integer.MAX_VALUE - 8);
        return p == null ? null : Horizon.ofPrompts(p);
    }

    private static LoadReference readLoadReference(Checker c, Obj root) {
        Obj o = c.obj(root, "loadReference", true);
        if (o == null) {
            return null;
        }
        c.allowOnly(o, "capacityFraction");
        Double f = c.above(o, "capacityFraction", true, 0);
        if (f != null && f > 1) {
            c.error(o.get("capacityFraction"), "capacityFraction must be in (0, 1], was " + Checker.fmt(f));
            return null;
        }
        return f == null ? null : new LoadReference(f);
    }

    private static UserModel readUsers(Checker c, Obj root) {
        Obj o = c.obj(root, "users", true);
        if (o == null) {
            return null;
        }
        c.allowOnly(o, "count", "accessPointZipf");
        Long count = c.integer(o, "count", true, 1, 100_000_000);
        Double zipf = c.atLeast(o, "accessPointZipf", true, 0);
        return count == null || zipf == null ? null : new UserModel(count.intValue(), zipf);
    }

    private static Payload readPayload(Checker c, Obj root) {
        Obj o = c.obj(root, "payload", false);
        Payload d = Payload.DEFAULT;
        if (o == null) {
            return d;
        }
        c.allowOnly(o, "textBytesPerToken", "imageBytesPerPixel", "audioBytesPerSecond");
        Double text = c.atLeast(o, "textBytesPerToken", false, 0);
        Double image = c.atLeast(o, "imageBytesPerPixel", false, 0);
        Double audio = c.atLeast(o, "audioBytesPerSecond", false, 0);
        return new Payload(text == null ? d.textBytesPerToken() : text,
                image == null ? d.imageBytesPerPixel() : image,
                audio == null ? d.audioBytesPerSecond() : audio);
    }

    // ---- GPUs ------------------------------------------------------------------------------------------------

    private static GpuCatalog readGpuTypes(Checker c, Obj root) {
        GpuCatalog standard = GpuCatalog.standard();
        List<Node> items = c.list(root, "gpuTypes", false);
        if (items == null || items.isEmpty()) {
            return standard;
        }
        List<GpuType> all = new ArrayList<>(standard.gpus());
        for (Node n : items) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "id", "name", "memoryGB", "fp16Tflops", "bandwidthGBps", "source");
            String id = c.string(o, "id", true);
            String name = c.string(o, "name", false);
            Double memory = c.above(o, "memoryGB", true, 0);
            Double tflops = c.above(o, "fp16Tflops", true, 0);
            Double bandwidth = c.above(o, "bandwidthGBps", true, 0);
            String src = c.string(o, "source", true);
            if (id != null && all.stream().anyMatch(g -> g.id().equals(id))) {
                c.error(o.get("id"), "GPU type '" + id + "' is already defined (standard GPU types: "
                        + standard.ids() + ")");
                continue;
            }
            if (id != null && memory != null && tflops != null && bandwidth != null && src != null) {
                all.add(new GpuType(id, name == null ? id : name, Math.round(memory * 1e9), tflops, bandwidth, src));
            }
        }
        return new GpuCatalog(all, standard.referenceGpu().id());
    }

    // ---- city ------------------------------------------------------------------------------------------------

    /** The parts of the city as read, with where each id was defined. */
    private static final class CityParts {
        final List<AccessPoint> accessPoints = new ArrayList<>();
        final List<EdgeSite> sites = new ArrayList<>();
        final List<EdgeServer> servers = new ArrayList<>();
        final Map<Link, NetworkPath> measured = new LinkedHashMap<>();
        /** id → "access point", "edge site" or "edge server" (ids are unique across the three). */
        final Map<String, String> kindById = new HashMap<>();
        final Map<String, Node> nodeById = new HashMap<>();
        /** Largest memory of any GPU in the city, 0 when no server could be read. */
        long largestGpuMemory;
    }

    private static CityParts readCity(Checker c, Obj root, GpuCatalog gpus) {
        CityParts parts = new CityParts();
        Obj city = c.obj(root, "city", true);
        if (city == null) {
            return parts;
        }
        c.allowOnly(city, "accessPoints", "sites", "servers", "links");

        List<Node> aps = nonEmptyList(c, city, "accessPoints");
        for (Node n : aps) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "id", "lat", "lon", "radio", "note");
            String id = claimId(c, o, parts, "access point");
            GeoPoint at = readPoint(c, o);
            RadioTech radio = c.enumValue(o, "radio", true, RadioTech.class);
            if (id != null && at != null && radio != null) {
                parts.accessPoints.add(new AccessPoint(id, at, radio));
            }
        }

        for (Node n : nonEmptyList(c, city, "sites")) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "id", "lat", "lon", "note");
            String id = claimId(c, o, parts, "edge site");
            GeoPoint at = readPoint(c, o);
            if (id != null && at != null) {
                parts.sites.add(new EdgeSite(id, at));
            }
        }

        for (Node n : nonEmptyList(c, city, "servers")) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "id", "site", "gpus", "storageGBps", "note");
            String id = claimId(c, o, parts, "edge server");
            String site = c.string(o, "site", true);
            boolean siteOk = site != null && "edge site".equals(parts.kindById.get(site));
            if (site != null && !siteOk) {
                c.error(o.get("site"), "edge server " + (id == null ? "" : "'" + id + "' ")
                        + "is at unknown site '" + site + "'" + kindHint(parts, site) + "; known sites: "
                        + ids(parts.sites.stream().map(EdgeSite::id).toList()));
            }
            List<GpuType> serverGpus = new ArrayList<>();
            List<Node> gpuNodes = c.list(o, "gpus", true);
            if (gpuNodes != null && gpuNodes.isEmpty()) {
                c.error(o.get("gpus"), "a server needs at least one GPU");
            }
            for (Node g : gpuNodes == null ? List.<Node>of() : gpuNodes) {
                String gpuId = c.string(g);
                if (gpuId == null) {
                    continue;
                }
                var gpu = gpus.find(gpuId);
                if (gpu.isEmpty()) {
                    c.error(g, "unknown GPU type '" + gpuId + "'; known GPU types: " + gpus.ids());
                } else {
                    serverGpus.add(gpu.get());
                    parts.largestGpuMemory = Math.max(parts.largestGpuMemory, gpu.get().memoryBytes());
                }
            }
            Double storage = c.above(o, "storageGBps", false, 0);
            if (id != null && siteOk && !serverGpus.isEmpty() && serverGpus.size() == gpuNodes.size()) {
                parts.servers.add(new EdgeServer(id, site, serverGpus,
                        storage == null ? EdgeServer.DEFAULT_STORAGE_BYTES_PER_SECOND : storage * 1e9));
            }
        }

        List<Node> links = c.list(city, "links", false);
        for (Node n : links == null ? List.<Node>of() : links) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "from", "to", "rttMs", "uplinkMbps", "downlinkMbps", "note");
            String from = c.string(o, "from", true);
            String to = c.string(o, "to", true);
            Double rtt = c.atLeast(o, "rttMs", true, 0);
            Double up = c.above(o, "uplinkMbps", true, 0);
            Double down = c.above(o, "downlinkMbps", true, 0);
            boolean ok = true;
            if (from != null) {
                String kind = parts.kindById.get(from);
                if (!"access point".equals(kind) && !"edge server".equals(kind)) {
                    c.error(o.get("from"), "link from unknown access point or server '" + from + "'"
                            + kindHint(parts, from) + "; a link goes from an access point or a server to a server");
                    ok = false;
                }
            }
            if (to != null && !"edge server".equals(parts.kindById.get(to))) {
                c.error(o.get("to"), "link to unknown server '" + to + "'" + kindHint(parts, to)
                        + "; known servers: " + ids(parts.servers.stream().map(EdgeServer::id).toList()));
                ok = false;
            }
            if (ok && from != null && to != null && rtt != null && up != null && down != null) {
                Link link = new Link(from, to);
                if (parts.measured.containsKey(link)) {
                    c.error(n, "link " + link + " is given twice");
                } else if (from.equals(to)) {
                    c.error(n, "a server's link to itself is a loopback and cannot be measured");
                } else {
                    parts.measured.put(link, NetworkPath.measured(rtt / 1000.0, up * 1e6, down * 1e6));
                }
            }
        }
        return parts;
    }

    private static List<Node> nonEmptyList(Checker c, Obj o, String field) {
        List<Node> items = c.list(o, field, true);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            c.error(o.get(field), field + " must list at least one entry");
        }
        return items;
    }

    /** Reads {@code id}, checks it is a usable, unique city id, and records it. */
    private static String claimId(Checker c, Obj o, CityParts parts, String kind) {
        String id = c.string(o, "id", true);
        if (id == null) {
            return null;
        }
        if (id.indexOf('/') >= 0) {
            c.error(o.get("id"), kind + " id '" + id + "' must not contain '/' (it separates link keys)");
            return null;
        }
        String previous = parts.kindById.get(id);
        if (previous != null) {
            c.error(o.get("id"), "duplicate id '" + id + "': already used by the " + previous + " at line "
                    + parts.nodeById.get(id).loc().line() + "; ids must be unique across the city");
            return null;
        }
        parts.kindById.put(id, kind);
        parts.nodeById.put(id, o.get("id"));
        return id;
    }

    private static String kindHint(CityParts parts, String id) {
        String kind = parts.kindById.get(id);
        return kind == null ? "" : " (it is an " + kind + ")";
    }

    private static GeoPoint readPoint(Checker c, Obj o) {
        Double lat = c.number(o, "lat", true);
        Double lon = c.number(o, "lon", true);
        boolean ok = lat != null && lon != null;
        if (lat != null && !(lat >= -90 && lat <= 90)) {
            c.error(o.get("lat"), "lat must be in [-90, 90] degrees, was " + Checker.fmt(lat));
            ok = false;
        }
        if (lon != null && !(lon >= -180 && lon <= 180)) {
            c.error(o.get("lon"), "lon must be in [-180, 180] degrees, was " + Checker.fmt(lon));
            ok = false;
        }
        return ok ? new GeoPoint(lat, lon) : null;
    }

    private static String ids(List<String> ids) {
        return ids.size() <= 12 ? ids.toString() : ids.subList(0, 12) + " and " + (ids.size() - 12) + " more";
    }

    // ---- models ------------------------------------------------------------------------------------------------

    private static final class ModelParts {
        final List<ModelSpec> specs = new ArrayList<>();
        final List<ModelVariant> variants = new ArrayList<>();
        final Map<String, ModelSpec> byId = new LinkedHashMap<>();
        final Map<String, Node> nodeById = new HashMap<>();

        Set<ModelClass> classes() {
            Set<ModelClass> out = EnumSet.noneOf(ModelClass.class);
            specs.forEach(m -> out.add(m.modelClass()));
            return out;
        }
    }

    private static ModelParts readModels(Checker c, Obj root, CityParts city) {
        ModelParts parts = new ModelParts();
        ModelCatalog catalog = ModelCatalog.standard();
        List<Node> items = c.list(root, "models", true);
        if (items == null) {
            return parts;
        }
        if (items.isEmpty()) {
            c.error(root.get("models"), "models must list at least one model");
        }
        for (Node n : items) {
            String id;
            String base = null;
            String note = "";
            Node idNode = n;
            if (n instanceof Scalar) {
                id = c.string(n);
            } else {
                Obj o = c.obj(n);
                if (o == null) {
                    continue;
                }
                c.allowOnly(o, "id", "base", "note");
                id = c.string(o, "id", true);
                idNode = o.get("id") == null ? o : o.get("id");
                if (o.get("base") != null) {
                    base = c.string(o, "base", true);
                    if (base == null) {
                        continue;
                    }
                }
                String n2 = c.string(o, "note", false);
                note = n2 == null ? "" : n2;
            }
            if (id == null) {
                continue;
            }
            if (parts.byId.containsKey(id)) {
                c.error(idNode, "duplicate model '" + id + "' (first at line " + parts.nodeById.get(id).loc().line() + ")");
                continue;
            }
            ModelSpec spec;
            if (base == null) {
                var found = catalog.find(id);
                if (found.isEmpty()) {
                    c.error(idNode, "unknown model '" + id + "'; catalog models: " + catalogIds()
                            + " (a fine-tune or tenant of one is written {id: " + id + ", base: <catalog id>})");
                    continue;
                }
                spec = found.get();
            } else {
                var found = catalog.find(base);
                if (found.isEmpty()) {
                    c.error(((Obj) n).get("base"), "unknown base model '" + base + "'; a variant's base must be a "
                            + "catalog model: " + catalogIds());
                    continue;
                }
                if (catalog.find(id).isPresent()) {
                    c.error(idNode, "variant id '" + id + "' is a catalog model's id; give the variant its own id");
                    continue;
                }
                spec = variant(found.get(), id, note);
                parts.variants.add(new ModelVariant(id, base, note));
            }
            if (city.largestGpuMemory > 0 && spec.memoryBytes() > city.largestGpuMemory) {
                c.error(idNode, "model '" + id + "' needs " + Checker.fmt(spec.memoryBytes() / 1e9)
                        + " GB of GPU memory but the largest GPU of the city has "
                        + Checker.fmt(city.largestGpuMemory / 1e9) + " GB, so no server can serve it");
            }
            parts.specs.add(spec);
            parts.byId.put(id, spec);
            parts.nodeById.put(id, idNode);
        }
        return parts;
    }

    private static List<String> catalogIds() {
        return ModelCatalog.standard().models().stream().map(ModelSpec::id).toList();
    }

    /** A distinct model with {@code base}'s figures and law under its own id. */
    static ModelSpec variant(ModelSpec base, String id, String note) {
        List<String> sources = new ArrayList<>(base.sources());
        sources.add("scenario variant of " + base.id() + (note.isEmpty() ? "" : " (" + note + ")")
                + ": same architecture, weights size, memory, limits and latency law; deployed apart");
        return new ModelSpec(id, base.name() + " [" + id + "]", base.modelClass(), base.weightBytes(),
                base.memoryBytes(), base.engineStartSeconds(), base.limits(), base.law(), sources);
    }

    private static Map<ModelClass, Double> readSlo(Checker c, Obj root, ModelParts models) {
        Map<ModelClass, Double> slo = new EnumMap<>(ModelClass.class);
        Obj o = c.obj(root, "slo", true);
        if (o == null) {
            return slo;
        }
        for (var e : o.fields().entrySet()) {
            ModelClass mc = classKey(c, e.getKey(), e.getValue());
            if (mc == null) {
                continue;
            }
            Double v = c.number(e.getValue());
            if (v != null && !(v > 0)) {
                c.error(e.getValue(), "an SLO must be > 0 seconds, was " + Checker.fmt(v));
            } else if (v != null) {
                slo.put(mc, v);
            }
        }
        for (ModelClass mc : models.classes()) {
            if (!slo.containsKey(mc) && o.get(mc.name()) == null) {
                c.error(o, mc.name(), "missing SLO for class " + mc + " (the scenario serves models of it)");
            }
        }
        return slo;
    }

    private static ModelClass classKey(Checker c, String key, Node at) {
        for (ModelClass mc : ModelClass.values()) {
            if (mc.name().equals(key)) {
                return mc;
            }
        }
        c.error(at, "unknown model class '" + key + "'; classes: " + java.util.Arrays.toString(ModelClass.values()));
        return null;
    }

    // ---- workload ----------------------------------------------------------------------------------------------

    private WorkloadSpec readWorkload(Checker c, Obj root, ModelParts models, CityParts city, Horizon horizon,
                                      UserModel users, Payload payload) {
        Obj w = c.obj(root, "workload", true);
        if (w == null) {
            return null;
        }
        c.allowOnly(w, "chat", "classes", "bursts", "shift");
        ChatSource chat = readChat(c, w, horizon);
        Map<ModelClass, ClassMix> classes = readClasses(c, w, models);
        List<Burst> bursts = readBursts(c, w, classes, city, horizon);
        Shift shift = readShift(c, w, classes, horizon);
        if (chat == null || classes == null || shift == null || users == null) {
            return null;
        }
        return new WorkloadSpec(chat, classes, bursts, shift, users, payload);
    }

    private ChatSource readChat(Checker c, Obj w, Horizon horizon) {
        Obj o = c.obj(w, "chat", true);
        if (o == null) {
            return null;
        }
        c.allowOnly(o, "mode", "trace", "randomStart");
        Node modeNode = c.child(o, "mode", true, "replay or resample");
        ChatSource.Mode mode = null;
        if (modeNode != null) {
            String text = c.string(modeNode);
            if (text != null) {
                try {
                    mode = ChatSource.Mode.valueOf(text.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    c.error(modeNode, "unknown chat mode '" + text + "'; modes: replay, resample");
                }
            }
        }
        if (mode == ChatSource.Mode.REPLAY && horizon != null && horizon.byPrompts()) {
            c.error(modeNode, "a replayed trace sets its own count, so duration.prompts needs chat mode resample "
                    + "(or give duration.seconds)");
        }
        String trace = c.string(o, "trace", false);
        Boolean randomStart = c.bool(o, "randomStart", false);
        if (mode == null) {
            return null;
        }
        String written = trace == null ? ChatSource.DEFAULT_TRACE : trace;
        return new ChatSource(mode, written, baseDirectory.resolve(written).normalize(),
                randomStart != null && randomStart);
    }

    private Map<ModelClass, ClassMix> readClasses(Checker c, Obj w, ModelParts models) {
        Obj o = c.obj(w, "classes", true);
        if (o == null) {
            return null;
        }
        Map<ModelClass, ClassMix> out = new EnumMap<>(ModelClass.class);
        Map<String, ModelClass> mixedModels = new HashMap<>();
        Set<String> mentioned = new java.util.HashSet<>();
        double total = 0;
        boolean sharesOk = true;
        for (var e : o.fields().entrySet()) {
            ModelClass mc = classKey(c, e.getKey(), e.getValue());
            Obj co = c.obj(e.getValue());
            if (mc == null || co == null) {
                sharesOk = false;
                continue;
            }
            c.allowOnly(co, "share", "models", "sizes");
            Double share = c.atLeast(co, "share", true, 0);
            if (share != null && share > 1) {
                c.error(co.get("share"), "a share must be in [0, 1], was " + Checker.fmt(share));
                share = null;
            }
            if (share == null) {
                sharesOk = false;
            } else {
                total += share;
            }
            Sizes classSizes = readSizes(c, co, mc);
            List<Node> modelNodes = c.list(co, "models", true);
            if (modelNodes == null) {
                continue;
            }
            if (modelNodes.isEmpty()) {
                c.error(co.get("models"), "class " + mc + " must list at least one model");
                continue;
            }
            List<ModelShare> shares = new ArrayList<>();
            double modelTotal = 0;
            boolean modelSharesOk = true;
            for (Node mn : modelNodes) {
                Obj mo = c.obj(mn);
                if (mo == null) {
                    modelSharesOk = false;
                    continue;
                }
                c.allowOnly(mo, "id", "share", "sizes");
                String id = c.string(mo, "id", true);
                Double ms = c.atLeast(mo, "share", true, 0);
                if (ms != null && ms > 1) {
                    c.error(mo.get("share"), "a share must be in [0, 1], was " + Checker.fmt(ms));
                    ms = null;
                }
                if (ms == null) {
                    modelSharesOk = false;
                } else {
                    modelTotal += ms;
                }
                Sizes own = readSizes(c, mo, mc);
                if (id == null) {
                    continue;
                }
                mentioned.add(id);
                ModelSpec spec = models.byId.get(id);
                if (spec == null) {
                    c.error(mo.get("id"), "unknown model '" + id + "': not among the scenario's models "
                            + ids(new ArrayList<>(models.byId.keySet())));
                    continue;
                }
                if (spec.modelClass() != mc) {
                    c.error(mo.get("id"), "model '" + id + "' is " + spec.modelClass() + ", not " + mc);
                    continue;
                }
                if (mixedModels.put(id, mc) != null) {
                    c.error(mo.get("id"), "model '" + id + "' is listed twice in the mix");
                    continue;
                }
                Sizes effective = classSizes.overriddenBy(own);
                checkSizes(c, effective, spec, mo);
                if (ms != null) {
                    shares.add(new ModelShare(id, ms, effective.spec()));
                }
            }
            if (modelSharesOk && Math.abs(modelTotal - 1) > SHARE_TOLERANCE) {
                c.error(co.get("models"), "the model shares of class " + mc + " sum to " + round(modelTotal)
                        + ", not 1");
            }
            if (share != null && !shares.isEmpty() && shares.size() == modelNodes.size()) {
                out.put(mc, new ClassMix(mc, share, shares));
            }
        }
        if (sharesOk && !o.fields().isEmpty() && Math.abs(total - 1) > SHARE_TOLERANCE) {
            c.error(o, "the class shares sum to " + round(total) + ", not 1");
        }
        if (o.fields().isEmpty()) {
            c.error(o, "workload.classes must give at least one class");
        }
        for (var e : models.byId.entrySet()) {
            if (!mentioned.contains(e.getKey())) {
                c.error(models.nodeById.get(e.getKey()), "model '" + e.getKey() + "' is served but has no share in "
                        + "workload.classes." + e.getValue().modelClass() + " (give it share 0 to serve it idle)");
            }
        }
        return out;
    }

    /** A sum as a person would write it: 6 significant digits, no trailing zeros (0.9, not 0.900000). */
    private static String round(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** A {@link SizeSpec} with the node each field was read from (for errors found after merging). */
    private record Sizes(Map<SizeField, Distribution> fields, Map<SizeField, Node> nodes, Node at) {
        static final Sizes NONE = new Sizes(Map.of(), Map.of(), null);

        Sizes overriddenBy(Sizes other) {
            Map<SizeField, Distribution> f = new EnumMap<>(SizeField.class);
            Map<SizeField, Node> n = new EnumMap<>(SizeField.class);
            f.putAll(fields);
            n.putAll(nodes);
            f.putAll(other.fields);
            n.putAll(other.nodes);
            return new Sizes(f, n, other.at != null ? other.at : at);
        }

        SizeSpec spec() {
            return new SizeSpec(fields);
        }
    }

    private static Sizes readSizes(Checker c, Obj parent, ModelClass mc) {
        Obj o = c.obj(parent, "sizes", false);
        if (o == null) {
            return Sizes.NONE;
        }
        if (mc == ModelClass.CHAT) {
            c.error(o, "chat sizes come from the trace (workload.chat), so a CHAT class or model takes no 'sizes'");
            return Sizes.NONE;
        }
        Map<SizeField, Distribution> fields = new EnumMap<>(SizeField.class);
        Map<SizeField, Node> nodes = new EnumMap<>(SizeField.class);
        for (var e : o.fields().entrySet()) {
            SizeField f = SizeField.byYamlName(e.getKey());
            if (f == null) {
                List<String> known = java.util.Arrays.stream(SizeField.values()).map(SizeField::yamlName).toList();
                c.error(e.getValue(), "unknown size field '" + e.getKey() + "'; size fields: " + known);
                continue;
            }
            if (!f.usedBy(mc)) {
                c.error(e.getValue(), "prompts of class " + mc + " have no " + f.yamlName());
                continue;
            }
            Distribution d = readDistribution(c, e.getValue(), f);
            if (d != null) {
                fields.put(f, d);
                nodes.put(f, e.getValue());
            }
        }
        return new Sizes(fields, nodes, o);
    }

    /** Required fields present, every value within the model's limits. */
    private static void checkSizes(Checker c, Sizes sizes, ModelSpec model, Obj modelNode) {
        for (SizeField f : SizeField.requiredFor(model.modelClass())) {
            if (!sizes.fields.containsKey(f)) {
                c.error(modelNode, "sizes." + f.yamlName(), "missing size '" + f.yamlName() + "' for model '"
                        + model.id() + "': give it under the class's sizes or the model's");
            }
        }
        for (var e : sizes.fields.entrySet()) {
            SizeField f = e.getKey();
            double limit = f.limit(model.limits());
            double max = e.getValue().max();
            if (Double.isInfinite(max)) {
                c.error(sizes.nodes.get(f), f.yamlName() + " is unbounded but model '" + model.id()
                        + "' accepts at most " + Checker.fmt(limit) + ": give the distribution a 'max'");
            } else if (max > limit) {
                c.error(sizes.nodes.get(f), f.yamlName() + " values up to " + Checker.fmt(max)
                        + " exceed the limit " + Checker.fmt(limit) + " of model '" + model.id() + "'");
            }
        }
    }

    private static Distribution readDistribution(Checker c, Node n, SizeField f) {
        if (n instanceof Scalar) {
            Double v = value(c, n, f);
            return v == null ? null : new Distribution.Constant(v);
        }
        Obj o = c.obj(n);
        if (o == null) {
            return null;
        }
        c.allowOnly(o, "const", "uniform", "lognormal", "choice", "weights", "fromTrace", "min", "max");
        List<String> kinds = new ArrayList<>();
        for (String k : DISTRIBUTION_KINDS) {
            if (o.get(k) != null) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            c.error(o, "a distribution needs exactly one of " + List.of(DISTRIBUTION_KINDS) + ", found " + kinds);
            return null;
        }
        String kind = kinds.get(0);
        boolean bounded = kind.equals("lognormal") || kind.equals("fromTrace");
        if (!bounded && (o.get("min") != null || o.get("max") != null)) {
            c.error(o.get("min") != null ? o.get("min") : o.get("max"), "min and max apply to lognormal and "
                    + "fromTrace only");
            return null;
        }
        if (!kind.equals("choice") && o.get("weights") != null) {
            c.error(o.get("weights"), "weights apply to choice only");
            return null;
        }
        double min = 0;
        double max = Double.POSITIVE_INFINITY;
        if (bounded) {
            Double mn = o.get("min") == null ? Double.valueOf(0) : value(c, o.get("min"), f);
            Double mx = o.get("max") == null ? Double.valueOf(Double.POSITIVE_INFINITY) : value(c, o.get("max"), f);
            if (mn == null || mx == null) {
                return null;
            }
            if (mn > mx) {
                c.error(o.get("min"), "min " + Checker.fmt(mn) + " is above max " + Checker.fmt(mx));
                return null;
            }
            min = mn;
            max = mx;
        }
        switch (kind) {
            case "const": {
                Double v = value(c, o.get("const"), f);
                return v == null ? null : new Distribution.Constant(v);
            }
            case "uniform": {
                List<Node> range = c.list(o, "uniform", true);
                if (range == null) {
                    return null;
                }
                if (range.size() != 2) {
                    c.error(o.get("uniform"), "uniform takes [low, high]");
                    return null;
                }
                Double lo = value(c, range.get(0), f);
                Double hi = value(c, range.get(1), f);
                if (lo == null || hi == null) {
                    return null;
                }
                if (lo > hi) {
                    c.error(o.get("uniform"), "uniform [low, high] needs low <= high, was [" + Checker.fmt(lo)
                            + ", " + Checker.fmt(hi) + "]");
                    return null;
                }
                return new Distribution.Uniform(lo, hi);
            }
            case "lognormal": {
                Obj p = c.obj(o.get("lognormal"));
                if (p == null) {
                    return null;
                }
                c.allowOnly(p, "median", "sigma");
                Double median = c.above(p, "median", true, 0);
                Double sigma = c.atLeast(p, "sigma", true, 0);
                return median == null || sigma == null ? null : new Distribution.LogNormal(median, sigma, min, max);
            }
            case "choice": {
                List<Node> values = c.list(o, "choice", true);
                if (values == null) {
                    return null;
                }
                if (values.isEmpty()) {
                    c.error(o.get("choice"), "choice needs at least one value");
                    return null;
                }
                List<Double> vs = new ArrayList<>();
                for (Node v : values) {
                    Double d = value(c, v, f);
                    if (d == null) {
                        return null;
                    }
                    vs.add(d);
                }
                List<Double> ws = new ArrayList<>();
                List<Node> weights = c.list(o, "weights", false);
                if (weights == null) {
                    return null;
                }
                if (weights.isEmpty()) {
                    vs.forEach(v -> ws.add(1.0));
                } else if (weights.size() != vs.size()) {
                    c.error(o.get("weights"), "choice has " + vs.size() + " values but " + weights.size() + " weights");
                    return null;
                } else {
                    double sum = 0;
                    for (Node wn : weights) {
                        Double wv = c.number(wn);
                        if (wv == null) {
                            return null;
                        }
                        if (wv < 0) {
                            c.error(wn, "a weight must be >= 0, was " + Checker.fmt(wv));
                            return null;
                        }
                        sum += wv;
                        ws.add(wv);
                    }
                    if (!(sum > 0)) {
                        c.error(o.get("weights"), "weights must not all be 0");
                        return null;
                    }
                }
                return new Distribution.Choice(vs, ws);
            }
            default: {  // fromTrace
                if (f != SizeField.INPUT_TOKENS && f != SizeField.OUTPUT_TOKENS) {
                    c.error(o.get("fromTrace"), "fromTrace gives token counts: use it for inputTokens or outputTokens");
                    return null;
                }
                String col = c.string(o.get("fromTrace"));
                if (col == null) {
                    return null;
                }
                for (TraceColumn tc : TraceColumn.values()) {
                    if (tc.yamlName().equals(col)) {
                        return new Distribution.FromTrace(tc, min, max);
                    }
                }
                c.error(o.get("fromTrace"), "unknown trace column '" + col + "'; columns: contextTokens, generatedTokens");
                return null;
            }
        }
    }

    /** A size value: a number >= 0, or for pixel fields {@code WIDTHxHEIGHT}. */
    private static Double value(Checker c, Node n, SizeField f) {
        if (f.pixels() && n instanceof Scalar s && !s.isNull()) {
            Matcher m = PIXELS.matcher(s.text().trim());
            if (m.matches()) {
                return Double.parseDouble(m.group(1)) * Double.parseDouble(m.group(2));
            }
        }
        Double v = c.number(n);
        if (v == null) {
            return null;
        }
        if (v < 0) {
            c.error(n, f.yamlName() + " cannot be negative, was " + Checker.fmt(v));
            return null;
        }
        return v;
    }

    private static List<Burst> readBursts(Checker c, Obj w, Map<ModelClass, ClassMix> classes, CityParts city,
                                          Horizon horizon) {
        List<Node> items = c.list(w, "bursts", false);
        List<Burst> out = new ArrayList<>();
        for (Node n : items == null ? List.<Node>of() : items) {
            Obj o = c.obj(n);
            if (o == null) {
                continue;
            }
            c.allowOnly(o, "start", "duration", "factor", "classes", "accessPoints", "note");
            Double start = c.atLeast(o, "start", true, 0);
            Double duration = c.above(o, "duration", true, 0);
            Double factor = c.atLeast(o, "factor", true, 1);
            String note = c.string(o, "note", false);
            Set<ModelClass> burstClasses = EnumSet.noneOf(ModelClass.class);
            List<Node> classNodes = c.list(o, "classes", false);
            boolean ok = start != null && duration != null && factor != null && classNodes != null;
            if (classNodes == null || classNodes.isEmpty()) {
                if (classes != null) {
                    burstClasses.addAll(classes.keySet());
                }
            } else {
                for (Node cn : classNodes) {
                    ModelClass mc = c.enumValue(cn, ModelClass.class);
                    if (mc == null) {
                        ok = false;
                    } else if (classes != null && !classes.containsKey(mc)) {
                        c.error(cn, "class " + mc + " has no models in workload.classes, so it cannot burst");
                        ok = false;
                    } else {
                        burstClasses.add(mc);
                    }
                }
            }
            List<String> aps = new ArrayList<>();
            List<Node> apNodes = c.list(o, "accessPoints", false);
            for (Node an : apNodes == null ? List.<Node>of() : apNodes) {
                String ap = c.string(an);
                if (ap == null) {
                    ok = false;
                } else if (!"access point".equals(city.kindById.get(ap))) {
                    c.error(an, "unknown access point '" + ap + "'" + kindHint(city, ap) + "; known access points: "
                            + ids(city.accessPoints.stream().map(AccessPoint::id).toList()));
                    ok = false;
                } else {
                    aps.add(ap);
                }
            }
            if (start != null && horizon != null && !horizon.byPrompts() && start >= horizon.seconds()) {
                c.error(o.get("start"), "the burst starts at " + Checker.fmt(start) + " s, after the scenario ends ("
                        + Checker.fmt(horizon.seconds()) + " s)");
                ok = false;
            }
            if (ok && !burstClasses.isEmpty()) {
                out.add(new Burst(start, duration, factor, burstClasses, aps, note == null ? "" : note));
            }
        }
        return out;
    }

    private static Shift readShift(Checker c, Obj w, Map<ModelClass, ClassMix> classes, Horizon horizon) {
        Obj o = c.obj(w, "shift", false);
        if (classes == null) {
            return null;
        }
        if (o == null) {
            return new Shift(OptionalDouble.empty(), rotatedShares(classes), 0.5);
        }
        c.allowOnly(o, "at", "classShares", "hotAccessPointRotation");
        Double at = c.atLeast(o, "at", false, 0);
        if (at != null && horizon != null && !horizon.byPrompts() && at >= horizon.seconds()) {
            c.error(o.get("at"), "the shift is at " + Checker.fmt(at) + " s, after the scenario ends ("
                    + Checker.fmt(horizon.seconds()) + " s)");
        }
        Double rotation = c.atLeast(o, "hotAccessPointRotation", false, 0);
        if (rotation != null && rotation >= 1) {
            c.error(o.get("hotAccessPointRotation"), "hotAccessPointRotation must be in [0, 1), was "
                    + Checker.fmt(rotation));
            rotation = null;
        }
        Map<ModelClass, Double> shares = rotatedShares(classes);
        Obj so = c.obj(o, "classShares", false);
        if (so != null) {
            shares = new EnumMap<>(ModelClass.class);
            double total = 0;
            boolean ok = true;
            for (var e : so.fields().entrySet()) {
                ModelClass mc = classKey(c, e.getKey(), e.getValue());
                Double v = c.number(e.getValue());
                if (mc == null || v == null) {
                    ok = false;
                    continue;
                }
                if (v < 0 || v > 1) {
                    c.error(e.getValue(), "a share must be in [0, 1], was " + Checker.fmt(v));
                    ok = false;
                    continue;
                }
                if (v > 0 && !classes.containsKey(mc)) {
                    c.error(e.getValue(), "class " + mc + " has no models in workload.classes, so it cannot have a share");
                    ok = false;
                    continue;
                }
                shares.put(mc, v);
                total += v;
            }
            if (ok && Math.abs(total - 1) > SHARE_TOLERANCE) {
                c.error(so, "the post-shift class shares sum to " + round(total) + ", not 1");
            }
        }
        return new Shift(at == null ? OptionalDouble.empty() : OptionalDouble.of(at), shares,
                rotation == null ? 0.5 : rotation);
    }

    /**
     * The default post-shift mix: shares rotate one step through the classes present, in {@link ModelClass}
     * order (each class takes the share of the class before it, the first the last's). Documented so that a
     * scenario without {@code shift.classShares} still has a well-defined, policy-neutral shift.
     */
    static Map<ModelClass, Double> rotatedShares(Map<ModelClass, ClassMix> classes) {
        List<ModelClass> present = new ArrayList<>(classes.keySet());
        Map<ModelClass, Double> out = new EnumMap<>(ModelClass.class);
        for (int i = 0; i < present.size(); i++) {
            ModelClass previous = present.get((i - 1 + present.size()) % present.size());
            out.put(present.get(i), classes.get(previous).share());
        }
        return out;
    }
}
