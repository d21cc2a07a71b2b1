# Build: the same command as the README's quick start.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# Run: a JRE, a non-root user, data in a volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app ferry && mkdir -p /app/conf /data && chown ferry /data
WORKDIR /app
COPY --from=build /src/target/ferry.jar /app/ferry.jar
COPY conf/ferry.json /app/conf/ferry.json
USER ferry
VOLUME ["/data"]
ENV FERRY_STORAGE_DATA_DIR=/data
EXPOSE 8080
# Tokens and signing keys come from the environment (FERRY_TENANTS_0_TOKENS, ..._CURRENT_SIGNING_KEY, ..._NEXT_SIGNING_KEY).
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ferry.jar", "--config", "/app/conf/ferry.json"]
