package io.edgebridge.operator.cluster;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives each member node a stable address in the cluster's network prefix: addresses handed out
 * before are kept, new nodes get the lowest free one. The network address, the first host
 * (commonly the gateway) and the IPv4 broadcast address are never handed out.
 */
public final class AddressAllocator {

    private AddressAllocator() {
    }

    /** Thrown when the prefix has no free address left. */
    public static final class PrefixExhaustedException extends Exception {
        PrefixExhaustedException(String message) {
            super(message);
        }
    }

    /**
     * @param prefix network prefix in CIDR notation, validated by the CRD
     * @param nodes member node names, in the order new addresses are handed out
     * @param previous addresses handed out before, by node name
     * @return an address for every node, by node name
     */
    public static Map<String, String> allocate(String prefix, List<String> nodes, Map<String, String> previous)
            throws PrefixExhaustedException {
        var network = Network.parse(prefix);
        Map<String, String> result = new LinkedHashMap<>();
        Set<BigInteger> used = new HashSet<>();
        for (var node : nodes) {
            var address = previous.get(node);
            if (address != null) {
                var value = network.valueOf(address);
                if (value != null && network.assignable(value) && used.add(value)) {
                    result.put(node, network.format(value));
                }
            }
        }
        var candidate = network.first();
        for (var node : nodes) {
            if (result.containsKey(node)) {
                continue;
            }
            while (used.contains(candidate)) {
                candidate = candidate.add(BigInteger.ONE);
            }
            if (!network.assignable(candidate)) {
                throw new PrefixExhaustedException("network.ipPrefix " + prefix + " has no free address for node "
                        + node + ": use a larger prefix");
            }
            used.add(candidate);
            result.put(node, network.format(candidate));
        }
        return result;
    }

    /** A parsed prefix. */
    private record Network(BigInteger base, int bits, int length) {

        static Network parse(String cidr) {
            var slash = cidr.indexOf('/');
            try {
                var address = InetAddress.getByName(cidr.substring(0, slash));
                int bits = address.getAddress().length * 8;
                return new Network(new BigInteger(1, address.getAddress()), bits,
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("not a CIDR prefix: " + cidr, e);
            }
        }

        BigInteger size() {
            return BigInteger.ONE.shiftLeft(bits - length);
        }

        /** The first address handed out: after the network address and the gateway. */
        BigInteger first() {
            return base.add(BigInteger.TWO);
        }

        boolean assignable(BigInteger value) {
            var offset = value.subtract(base);
            var last = bits == 32 ? size().subtract(BigInteger.TWO) : size().subtract(BigInteger.ONE);
            return offset.compareTo(BigInteger.TWO) >= 0 && offset.compareTo(last) <= 0;
        }

        BigInteger valueOf(String address) {
            if (!address.matches("[0-9a-fA-F:.]+")) {
                return null; // never let a stored value trigger a DNS lookup
            }
            try {
                var bytes = InetAddress.getByName(address).getAddress();
                return bytes.length * 8 == bits ? new BigInteger(1, bytes) : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }

        String format(BigInteger value) {
            var raw = value.toByteArray();
            var bytes = new byte[bits / 8];
            int copy = Math.min(raw.length, bytes.length);
            System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
