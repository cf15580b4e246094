package io.edgebridge.operator.hub;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/** Answers of the sync API: JSON bodies, errors with a reason, back-pressure with Retry-After. */
final class HubResponses {

    private static final Logger LOG = Logger.getLogger(HubResponses.class);

    private HubResponses() {
    }

    static void json(RoutingContext context, Buffer body) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        context.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
    }

    static void noContent(RoutingContext context) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        context.response().setStatusCode(204).end();
    }

    /** A refusal: logged with who asked and why (never a token), and answered with the reason. */
    static void refuse(RoutingContext context, int status, String reason) {
        LOG.warnf("Hub refused %s %s from %s: %d %s", context.request().method(), context.request().path(),
                context.request().remoteAddress(), status, reason);
        error(context, status, reason);
    }

    static void retryLater(RoutingContext context, int status, Duration after) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        long seconds = Math.max(1, (after.toMillis() + 999) / 1000);
        context.response().putHeader("Retry-After", Long.toString(seconds));
        error(context, status, status == 429 ? "too many requests" : "the hub is busy");
    }

    static void error(RoutingContext context, int status, String reason) {
        if (context.response().closed() || context.response().ended()) {
            return;
        }
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(HubJson.write(Map.of("error", reason)));
    }
}
