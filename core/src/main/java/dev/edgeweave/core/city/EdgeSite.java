package dev.edgeweave.core.city;

import java.util.Objects;

/**
 * A place that hosts edge servers (a MEC site, a street cabinet, a small data centre). Servers at one site
 * share its location, so the distance part of their network paths is the same.
 *
 * @param id       unique id in the city
 * @param location where it is
 */
public record EdgeSite(String id, GeoPoint location) {

    public EdgeSite {
        City.requireId(id, "edge site");
        Objects.requireNonNull(location, "location of edge site " + id);
    }
}
