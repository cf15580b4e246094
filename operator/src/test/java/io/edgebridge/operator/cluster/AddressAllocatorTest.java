package io.edgebridge.operator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {

    @Test
    void newNodesGetTheLowestFreeHostAfterNetworkAndGateway() throws Exception {
        assertEquals(Map.of("a", "10.20.0.2", "b", "10.20.0.3"),
                AddressAllocator.allocate("10.20.0.0/24", List.of("a", "b"), Map.of()));
    }

    @Test
    void addressesHandedOutBeforeAreKeptWhateverTheOrder() throws Exception {
        var first = AddressAllocator.allocate("10.20.0.0/24", List.of("a", "b", "c"), Map.of());
        var later = AddressAllocator.allocate("10.20.0.0/24", List.of("new", "c", "a"), Map.of("a", first.get("a"),
                "c", first.get("c")));
        assertEquals(first.get("a"), later.get("a"));
        assertEquals(first.get("c"), later.get("c"));
        assertEquals("10.20.0.3", later.get("new"), "b's address was freed when b left");
    }

    @Test
    void previousAddressesOutsideThePrefixOrDuplicatedAreReplaced() throws Exception {
        var result = AddressAllocator.allocate("10.20.0.0/24", List.of("a", "b", "c"),
                Map.of("a", "10.99.0.5", "b", "10.20.0.7", "c", "10.20.0.7"));
        assertEquals("10.20.0.7", result.get("b"));
        assertEquals("10.20.0.2", result.get("a"));
        assertEquals("10.20.0.3", result.get("c"));
    }

    @Test
    void neverHandsOutBroadcastAndSaysWhenThePrefixIsFull() throws Exception {
        assertEquals(Map.of("a", "10.0.0.2"), AddressAllocator.allocate("10.0.0.0/30", List.of("a"), Map.of()));
        var error = assertThrows(AddressAllocator.PrefixExhaustedException.class,
                () -> AddressAllocator.allocate("10.0.0.0/30", List.of("a", "b"), Map.of()));
        assertEquals("network.ipPrefix 10.0.0.0/30 has no free address for node b: use a larger prefix",
                error.getMessage());
    }

    @Test
    void ipv6PrefixesWork() throws Exception {
        assertEquals(Map.of("a", "fd00:0:0:0:0:0:0:2"),
                AddressAllocator.allocate("fd00::/64", List.of("a"), Map.of("a", "not-an-address")));
    }
}
