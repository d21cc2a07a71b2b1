package dev.ferry.model;

/**
 * A tenant's two signing keys: {@code current} signs every delivery, {@code next} takes over on
 * rotation.
 */
public record SigningKeys(String current, String next) {}
