package io.edgebridge.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's process in a network namespace of its own, reached over two virtual Ethernet
 * links: one to the central API server, one for the edge proxies. Taking the edge link down makes
 * every proxy's packets vanish at once (no reset, like a real outage), while the operator keeps
 * its API server connection. Needs root and {@code ip} (iproute2); {@link #available()} tells.
 */
final class HubNetwork implements AutoCloseable {

    static final String NAMESPACE = "edgebridge-bench-hub";
    /** The central API server as the operator reaches it (its end of the API link). */
    static final String API_SERVER_ADDRESS = "10.201.0.1";
    /** The hub as the edge proxies reach it (the operator's end of the edge link). */
    static final String HUB_ADDRESS = "10.202.0.2";
    private static final String EDGE_LINK_HUB_SIDE = "eb-edge1";

    private HubNetwork() {
    }

    /** Whether this machine lets us create namespaces and links (root with iproute2). */
    static boolean available() {
        try {
            return run(List.of("ip", "netns", "list"), false) == 0
                    && ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    static HubNetwork create() throws IOException {
        removeLeftovers();
        var network = new HubNetwork();
        try {
            ip("netns", "add", NAMESPACE);
            ip("-n", NAMESPACE, "link", "set", "lo", "up");
            link("eb-api0", "eb-api1", API_SERVER_ADDRESS, "10.201.0.2");
            link("eb-edge0", EDGE_LINK_HUB_SIDE, "10.202.0.1", HUB_ADDRESS);
            return network;
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Runs a command inside the hub's namespace. */
    List<String> wrap(List<String> command) {
        var wrapped = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Every edge proxy loses the hub: packets vanish, connections stay half-open. */
    void cutEdgeLink() throws IOException {
        ip("-n", NAMESPACE, "link", "set", EDGE_LINK_HUB_SIDE, "down");
    }

    void healEdgeLink() throws IOException {
        ip("-n", NAMESPACE, "link", "set", EDGE_LINK_HUB_SIDE, "up");
    }

    @Override
    public void close() {
        removeLeftovers();
    }

    private static void link(String hostSide, String hubSide, String hostAddress, String hubAddress)
            throws IOException {
        ip("link", "add", hostSide, "type", "veth", "peer", "name", hubSide, "netns", NAMESPACE);
        ip("addr", "add", hostAddress + "/30", "dev", hostSide);
        ip("link", "set", hostSide, "up");
        ip("-n", NAMESPACE, "addr", "add", hubAddress + "/30", "dev", hubSide);
        ip("-n", NAMESPACE, "link", "set", hubSide, "up");
    }

    /** Deleting the namespace deletes the links (a veth pair goes with either end). */
    private static void removeLeftovers() {
        try {
            run(List.of("ip", "netns", "delete", NAMESPACE), false);
        } catch (IOException e) {
            // nothing to remove
        }
    }

    private static void ip(String... args) throws IOException {
        var command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        if (run(command, true) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(List<String> command, boolean inheritErrors) throws IOException {
        var builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(inheritErrors ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
        var process = builder.start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
