package io.edgebridge.proxy;

import io.edgebridge.proxy.config.BootstrapSource;
import io.edgebridge.proxy.config.ProxyConfig;
import io.edgebridge.proxy.config.ProxySettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Runs the edge proxy core in the Quarkus application: created at start, closed at shutdown. */
@Startup
@ApplicationScoped
public class EdgeProxyService {

    @Inject
    ProxyConfig config;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private EdgeProxy proxy;

    @PostConstruct
    void start() {
        proxy = EdgeProxy.builder(settings()).kubernetes(kubernetes).meterRegistry(registry).vertx(vertx)
                .build();
        proxy.start();
    }

    @PreDestroy
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    public ProxyHealth health() {
        return proxy.health();
    }

    private ProxySettings settings() {
        var bootstrap = new BootstrapSource(config.bootstrapDir(), config.cluster(), config.hubUrl(), config.caCert(),
                config.token());
        var cluster = bootstrap.cluster().orElseThrow(() -> new IllegalStateException(
                "No cluster identity: set edgebridge.proxy.cluster or mount the bootstrap Secret"
                        + " (edgebridge.proxy.bootstrap-dir with a 'cluster' file)"));
        var hubUrl = bootstrap.hubUrl().orElseThrow(() -> new IllegalStateException(
                "No hub URL: set edgebridge.proxy.hub-url or mount the bootstrap Secret"
                        + " (edgebridge.proxy.bootstrap-dir with a 'hubUrl' file)"));
        return new ProxySettings(cluster, URI.create(hubUrl), config.stateDir(), bootstrap, config.backoff().base(),
                config.backoff().cap(), config.backoff().pause(), config.driftInterval(), config.statusInterval(),
                config.connectTimeout(), config.requestTimeout(), version);
    }
}
