package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** What a platform team declares about one EVE device. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.serialNumber == oldSelf.serialNumber",
        message = "serialNumber cannot be changed; create a new EdgeNode for another device",
        reason = "FieldValueForbidden")
@ValidationRule(value = "!has(oldSelf.deviceId) || (has(self.deviceId) && self.deviceId == oldSelf.deviceId)",
        message = "deviceId cannot be changed or removed once the device is onboarded",
        reason = "FieldValueForbidden")
public record EdgeNodeSpec(
        @JsonPropertyDescription("Serial number of the device as EVE reports it; identifies the hardware. Immutable.")
        @Required @Size(min = 1, max = 128)
        String serialNumber,

        @JsonPropertyDescription("EVE device UUID, known once the device is onboarded to EVE. Immutable once set.")
        @Pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
        String deviceId,

        @JsonPropertyDescription("Where the device is installed.")
        Location location,

        @JsonPropertyDescription("Stops all delivery to the device's cluster and rejects the credentials of its edge proxy, "
                + "for example when a device is lost or stolen.")
        @Default("false")
        Boolean quarantine) {

    /** Where a device is installed, for placement by label and for people reading status. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(
            @JsonPropertyDescription("Site the device is installed at, for example a store or a plant.")
            @Required @Size(min = 1, max = 63)
            String site,

            @JsonPropertyDescription("Region of the site.")
            @Size(max = 63)
            String region,

            @JsonPropertyDescription("Optional geographic coordinates of the device.")
            Coordinates coordinates) {
    }

    /** WGS 84 coordinates in decimal degrees. */
    public record Coordinates(
            @JsonPropertyDescription("Latitude in decimal degrees, from -90 to 90.")
            @Required @Min(-90) @Max(90)
            Double latitude,

            @JsonPropertyDescription("Longitude in decimal degrees, from -180 to 180.")
            @Required @Min(-180) @Max(180)
            Double longitude) {
    }

    public boolean quarantineOrDefault() {
        return Boolean.TRUE.equals(quarantine);
    }
}
