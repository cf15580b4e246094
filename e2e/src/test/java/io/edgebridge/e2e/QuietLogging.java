package io.edgebridge.e2e;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Quarkus on the class path gives JBoss LogManager a first configuration that lets everything
 * through (root at ALL) until a Quarkus application configures logging. JVMs that run proxies
 * without Quarkus - the benchmark and its fleet workers, {@code make run}'s sites, these tests -
 * then format every debug message of the JDK's HttpClient, Vert.x and Fabric8 only to drop it: a
 * quarter of the simulated fleet's CPU during a 10,000-cluster fan-out. Registered for the test JVM
 * as a JUnit launcher session listener; the benchmark and demo mains call {@link #atInfo()}.
 */
public final class QuietLogging implements LauncherSessionListener {

    public static void atInfo() {
        Logger.getLogger("").setLevel(Level.INFO);
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        atInfo();
    }
}
