package io.edgebridge.operator.plan;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations written the way Kubernetes users write them (Go syntax: 90s, 5m, 1h30m, 250ms). */
public final class GoDuration {

    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private GoDuration() {
    }

    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a duration (such as 90s, 5m or 1h30m): " + text);
        }
        double millis = 0;
        var part = PART.matcher(text);
        while (part.find()) {
            double amount = Double.parseDouble(part.group(1));
            millis += switch (part.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
        }
        return Duration.ofMillis(Math.round(millis));
    }

    public static Duration parseOr(String text, String fallback) {
        return parse(text != null ? text : fallback);
    }
}
