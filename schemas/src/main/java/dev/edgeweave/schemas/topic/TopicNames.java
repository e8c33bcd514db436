package dev.edgeweave.schemas.topic;

import java.util.regex.Pattern;

/** Kafka's rule for legal topic names, checked before a topic or a node's topic family is named. */
final class TopicNames {

    static final String RULE = "1 to 249 characters of ASCII letters, digits, '.', '_' and '-', not '.' or '..'";

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private TopicNames() {
    }

    static boolean isLegal(String name) {
        return name != null && LEGAL.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }
}
