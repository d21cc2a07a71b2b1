# Build: the same command as the README's quick start.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# Run: a JRE, a non-root user, data in a volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --gid 0 --home-dir /app ferry \
 && mkdir -p /app/conf /data && chown 10001:0 /data && chmod 0770 /data
WORKDIR /app
COPY --from=build /src/target/ferry.jar /app/ferry.jar
COPY conf/ferry.json /app/conf/ferry.json
USER 10001
VOLUME ["/data"]
ENV FERRY_STORAGE_DATA_DIR=/data
# 8080: the QStash API (http.port); 9090: /metrics and /health/* (metrics.port), for monitoring only
EXPOSE 8080 9090
# Tokens and signing keys come from the environment (FERRY_TENANTS_0_TOKENS, ..._CURRENT_SIGNING_KEY, ..._NEXT_SIGNING_KEY).
# Readiness over plain bash (the JRE image has no curl): HTTP/1.0 GET /health/ready, healthy on a 200 status line.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FERRY_HTTP_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == *' 200 '* ]]"]
# Container-aware heap: the JVM reads the cgroup memory limit; the heap takes 70% of it and the rest is left to
# RocksDB's native memory, thread stacks and metaspace. More flags can be added with JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:InitialRAMPercentage=25", "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/ferry.jar", "--config", "/app/conf/ferry.json"]
