package io.edgebridge.proxy.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgebridge.proxy.store.DesiredState;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldAppsRuleTest {

    @Test
    void aWholeStateGoesByItsHashAlone() {
        var rule = new HeldAppsRule();
        var whole = new DesiredState("state-1", "epoch-1", Map.of(), Set.of());
        var request = rule.request(whole, null);
        assertNull(request.known());
        assertEquals("state-1", request.stateHash());
        assertEquals("epoch-1", request.epoch());
    }

    @Test
    void anIncompleteOrMissingStateIsListed() {
        var rule = new HeldAppsRule();
        assertEquals(Map.of(), rule.request(null, null).known(), "never synced: an empty list");
        var partial = new DesiredState(null, "epoch-1", Map.of(), Set.of());
        assertEquals(Map.of(), rule.request(partial, null).known(), "no hash: the list");
    }

    @Test
    void a409AsksForTheListOnceUntilTheNextAnswer() {
        var rule = new HeldAppsRule();
        var whole = new DesiredState("state-1", "epoch-1", Map.of(), Set.of());
        var unknown = new HubException(409, "unknown state", null, null);
        assertTrue(rule.listAsked(unknown));
        assertEquals(Map.of(), rule.request(whole, null).known());
        assertFalse(rule.listAsked(unknown), "a second 409 in a row is a failure");
        rule.answered();
        assertNull(rule.request(whole, null).known());
        assertFalse(rule.listAsked(new HubException(503, "busy", null, null)));
    }
}
