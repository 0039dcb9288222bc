package dev.filestaging.adapter.jersey.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.uri.PathTemplate;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Every route of the API as a template ({@code /v1/files/{name}}), read once from the resource classes (sub-resources
 * through their locators), to name the route of a request answered before Jersey matched it: one refused by
 * authentication, which runs before matching so that unauthenticated callers learn nothing about which addresses
 * exist. The names are those {@link CompletedRequests#route} gives a matched request; an address no template matches
 * has none.
 */
public final class RouteTable {
    /** The depth of sub-resources followed: far more than the API has, a guard against a locator returning its own type. */
    private static final int MAX_DEPTH = 8;

    private final List<PathTemplate> templates;

    private RouteTable(List<PathTemplate> templates) {
        this.templates = templates;
    }

    public static RouteTable of(Class<?>... rootResources) {
        List<String> routes = new ArrayList<>();
        for (Class<?> root : rootResources) {
            collect(Resource.from(root), "", routes, 0);
        }
        List<PathTemplate> templates = new ArrayList<>(routes.stream().distinct().map(PathTemplate::new).toList());
        // the most specific first, as Jersey matches
        templates.sort(UriTemplate.COMPARATOR);
        return new RouteTable(List.copyOf(templates));
    }

    private static void collect(Resource resource, String prefix, List<String> routes, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        String path = join(prefix, resource.getPath());
        if (!resource.getResourceMethods().isEmpty()) {
            routes.add(path.isEmpty() ? "/" : path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes, depth + 1);
        }
        ResourceMethod locator = resource.getResourceLocator();
        if (locator != null) {
            Class<?> type = locator.getInvocable().getRawResponseType();
            Resource located = Resource.from(type, true);
            if (!located.getResourceMethods().isEmpty()) {
                routes.add(path);
            }
            for (Resource child : located.getChildResources()) {
                collect(child, path, routes, depth + 1);
            }
        }
    }

    /** {@code /a} + {@code b/} = {@code /a/b}, as {@link CompletedRequests#route} joins matched templates. */
    private static String join(String prefix, String segment) {
        if (segment == null) {
            return prefix;
        }
        int from = segment.startsWith("/") ? 1 : 0;
        int to = segment.endsWith("/") && segment.length() > from ? segment.length() - 1 : segment.length();
        return to > from ? prefix + "/" + segment.substring(from, to) : prefix;
    }

    /** The route of {@code path} (absolute, decoded), if a template matches it. */
    Optional<String> routeOf(String path) {
        String absolute = path.startsWith("/") ? path : "/" + path;
        for (PathTemplate template : templates) {
            if (template.match(absolute, new HashMap<>())) {
                return Optional.of(template.getTemplate());
            }
        }
        return Optional.empty();
    }
}
