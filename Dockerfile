# syntax=docker/dockerfile:1
# Build stage: the fat jar, with dependencies cached in their own layer.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# Run stage: a slim JRE, a non-root user, the database on a volume.
FROM eclipse-temurin:17-jre
RUN groupadd --system backchannel && useradd --system --gid backchannel --home-dir /app backchannel \
    && mkdir -p /app/config /data && chown -R backchannel:backchannel /app /data
WORKDIR /app
COPY --from=build /src/target/backchannel.jar /app/backchannel.jar
COPY config/backchannel.json /app/config/backchannel.json
USER backchannel
ENV BACKCHANNEL_HOST=0.0.0.0 \
    BACKCHANNEL_PORT=8080 \
    BACKCHANNEL_DB=/data/backchannel.db \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Dorg.sqlite.tmpdir=/tmp"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/backchannel.jar", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/backchannel.jar"]
CMD ["serve"]
