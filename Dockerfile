# syntax=docker/dockerfile:1
# workspaces-web-exporter: build the fat jar with the Maven wrapper on a JDK, run it on a JRE as a non-root user.
#   docker build -t workspaces-web-exporter .
#   docker run --rm -p 9742:9742 workspaces-web-exporter                      # polls AWS (source: aws)
#   docker run --rm -p 9742:9742 -e SOURCE=simulator workspaces-web-exporter  # a first look: simulated sessions
# scripts/check-deploy.sh checks this file against pom.xml, config.yaml, the Helm chart and the systemd unit.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /build
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The tests run in CI (./mvnw verify); the image only packages what CI tested. The cache mount keeps the Maven
# repository (and the Maven the wrapper downloads) between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
 && cp target/workspaces-web-exporter.jar /build/workspaces-web-exporter.jar

FROM eclipse-temurin:21-jre
# A fixed numeric user, so Kubernetes can check runAsNonRoot (the Helm chart runs as 10001 too).
RUN groupadd --system --gid 10001 wwe \
 && useradd --system --uid 10001 --gid wwe --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin wwe \
 && mkdir -p /etc/workspaces-web-exporter /var/lib/workspaces-web-exporter \
 && chown wwe:wwe /var/lib/workspaces-web-exporter \
 && chmod 0700 /var/lib/workspaces-web-exporter
COPY --from=build /build/workspaces-web-exporter.jar /opt/workspaces-web-exporter/workspaces-web-exporter.jar
# The documented config, with source: aws (the repository's copy says simulator, for a first look without AWS);
# mount your own over it.
COPY config.yaml /etc/workspaces-web-exporter/config.yaml
RUN sed -i 's/^source: simulator$/source: aws/' /etc/workspaces-web-exporter/config.yaml \
 && grep -qx 'source: aws' /etc/workspaces-web-exporter/config.yaml
# Poll state survives restarts in the volume. STATE_PATH overrides state.path of any mounted config (set it to
# an empty value to keep state in memory only).
ENV STATE_PATH=/var/lib/workspaces-web-exporter/state.json
VOLUME ["/var/lib/workspaces-web-exporter"]
USER 10001:10001
EXPOSE 9742
# The heap follows the container's memory limit; the JVM exits on OutOfMemoryError so the runtime restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/workspaces-web-exporter/workspaces-web-exporter.jar"]
CMD ["run", "--config", "/etc/workspaces-web-exporter/config.yaml"]
