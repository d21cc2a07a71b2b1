package dev.ferry.model;

/** One URL-group endpoint; {@code name} is optional (null). */
public record Endpoint(String name, String url) {}
