/**
 * The EdgeBridge API, group {@code edgebridge.io}, version {@code v1alpha1}: EdgeNode, EdgeCluster
 * and EdgeApp. Only model classes live here; the CRD YAML committed in {@code crds/} is generated
 * from them. Defaults are declared in the schema and read through {@code *OrDefault()} accessors,
 * never written back into a spec.
 */
package io.edgebridge.api.v1alpha1;
