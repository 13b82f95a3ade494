# syntax=docker/dockerfile:1
# workspaces-web-exporter: build the fat jar with the Maven wrapper on a JDK, run it on a JRE as a non-root user,
# started from a JDK AOT cache (JEP 483/514/515) trained at build time by one run against the embedded simulator.
#   docker build -t workspaces-web-exporter .
#   docker run --rm -p 9742:9742 workspaces-web-exporter                      # polls AWS (source: aws)
#   docker run --rm -p 9742:9742 -e SOURCE=simulator workspaces-web-exporter  # a first look: simulated sessions
# scripts/check-deploy.sh checks this file against pom.xml, config.yaml, the Helm chart and the systemd unit.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The tests run in CI (./mvnw verify); the image only packages what CI tested. The cache mount keeps the Maven
# repository (and the Maven the wrapper downloads) between builds.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests package \
 && cp target/workspaces-web-exporter.jar /build/workspaces-web-exporter.jar

FROM eclipse-temurin:25-jre
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
# AOT cache training, in this stage so that the cache matches the JVM that runs it: start the agent once with the
# shipped config against the embedded simulator (SOURCE=simulator; every portal polled once), wait for /-/ready,
# scrape /metrics once, stop it; the JVM writes the cache at exit. The same JVM options as the ENTRYPOINT.
# Start-up with the cache: BENCHMARKS.md.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN SOURCE=simulator java -XX:AOTCacheOutput=/opt/workspaces-web-exporter/app.aot -XX:MaxRAMPercentage=75 \
      -XX:+ExitOnOutOfMemoryError -jar /opt/workspaces-web-exporter/workspaces-web-exporter.jar \
      run --config /etc/workspaces-web-exporter/config.yaml > /tmp/aot-training.log 2>&1 & pid=$!; \
    ok() { exec 3<>/dev/tcp/127.0.0.1/9742 && printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&3 && head -c 12 <&3 | grep -q ' 200$'; }; \
    for _ in $(seq 3000); do ok /-/ready 2>/dev/null && break; sleep 0.1; done; \
    ok /metrics; kill -TERM $pid; wait $pid; \
    for _ in $(seq 100); do [ -s /opt/workspaces-web-exporter/app.aot ] && break; sleep 0.1; done; \
    [ -s /opt/workspaces-web-exporter/app.aot ] || { cat /tmp/aot-training.log; exit 1; }; rm -f /tmp/aot-training.log
# Poll state survives restarts in the volume. STATE_PATH overrides state.path of any mounted config (set it to
# an empty value to keep state in memory only).
ENV STATE_PATH=/var/lib/workspaces-web-exporter/state.json
VOLUME ["/var/lib/workspaces-web-exporter"]
USER 10001:10001
EXPOSE 9742
# The heap follows the container's memory limit; the JVM exits on OutOfMemoryError so the runtime restarts it.
ENTRYPOINT ["java", "-XX:AOTCache=/opt/workspaces-web-exporter/app.aot", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/workspaces-web-exporter/workspaces-web-exporter.jar"]
CMD ["run", "--config", "/etc/workspaces-web-exporter/config.yaml"]
