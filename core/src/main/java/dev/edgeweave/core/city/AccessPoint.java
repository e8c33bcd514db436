package dev.edgeweave.core.city;

import java.util.Objects;

/**
 * A radio access point (a cell site) where prompts enter the city's network.
 *
 * @param id       unique id in the city (also the "from" of a link key)
 * @param location where it is
 * @param radio    its radio technology, which sets the default radio leg
 */
public record AccessPoint(String id, GeoPoint location, RadioTech radio) {

    public AccessPoint {
        City.requireId(id, "access point");
        Objects.requireNonNull(location, "location of access point " + id);
        Objects.requireNonNull(radio, "radio of access point " + id);
    }
}
