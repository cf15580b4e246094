package io.edgebridge.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuietLoggingTest {

    @Test
    void debugMessagesOfTheJdkHttpClientAreNotFormattedInTestsOrBenchmarks() {
        var httpClientDebug = System.getLogger("jdk.internal.httpclient.debug");
        assertFalse(httpClientDebug.isLoggable(System.Logger.Level.DEBUG), "debug logging is on in this JVM");
        assertTrue(httpClientDebug.isLoggable(System.Logger.Level.INFO));
    }
}
