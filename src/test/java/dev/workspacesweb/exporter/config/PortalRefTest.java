package dev.workspacesweb.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortalRefTest {
    private static final String ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    @Test
    void aBareIdIsInTheDefaultRegion() {
        assertThat(PortalRef.parse(ID, "us-east-1")).isEqualTo(new PortalRef(ID, "us-east-1", ""));
    }

    @Test
    void theRegionOfAnArnWins() {
        String arn = "arn:aws:workspaces-web:eu-west-1:123456789012:portal/" + ID;
        assertThat(PortalRef.parse(arn, "us-east-1")).isEqualTo(new PortalRef(ID, "eu-west-1", arn));
    }

    @Test
    void rejectsWhatIsNeither() {
        assertThatThrownBy(() -> PortalRef.parse("portal-1", "us-east-1")).hasMessageContaining("portal-1");
        assertThatThrownBy(() -> PortalRef.parse("arn:aws:s3:::bucket", "us-east-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idOfArn() {
        assertThat(PortalRef.idOfArn("arn:aws:workspaces-web:us-east-1:123456789012:portal/" + ID)).isEqualTo(ID);
    }
}
