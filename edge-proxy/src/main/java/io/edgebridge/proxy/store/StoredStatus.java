package io.edgebridge.proxy.store;

import io.edgebridge.api.sync.v1.StatusReport;

/**
 * The latest status report and whether the hub acknowledged it.
 *
 * @param acked the hub recorded this report (its ack was at least {@code report.seq})
 */
public record StoredStatus(StatusReport report, boolean acked) {
}
