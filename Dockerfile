# syntax=docker/dockerfile:1
# Build stage: the fat jar, with dependencies cached in their own layer.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# Run stage: a slim JRE, a fixed non-root user (uid/gid 10001, so bind mounts can be chowned to
# it), the database on a volume.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 backchannel \
    && useradd --system --uid 10001 --gid backchannel --home-dir /app --shell /usr/sbin/nologin backchannel \
    && mkdir -p /app/config /data \
    && chown -R backchannel:backchannel /app /data
WORKDIR /app
COPY --from=build /src/target/backchannel.jar /app/backchannel.jar
COPY config/backchannel.json /app/config/backchannel.json
USER backchannel
# The environment overrides config/backchannel.json (which listens on 127.0.0.1 only).
ENV BACKCHANNEL_HOST=0.0.0.0 \
    BACKCHANNEL_PORT=8080 \
    BACKCHANNEL_DB=/data/backchannel.db
VOLUME ["/data"]
EXPOSE 8080
# A small, short-lived JVM that asks GET /health/ready (database and writer) of the server.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-jar", "/app/backchannel.jar", "healthcheck"]
# SIGTERM: streams end, open requests finish, the writer drains, the WAL is checkpointed, exit 0.
# Give it more than Docker's 10 s default: docker run --stop-timeout 30 (docs/operations.md).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dorg.sqlite.tmpdir=/tmp", "-jar", "/app/backchannel.jar"]
CMD ["serve"]
