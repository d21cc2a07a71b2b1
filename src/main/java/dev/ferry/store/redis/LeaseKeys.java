package dev.ferry.store.redis;

/**
 * Where partition leases live. A lease and its fencing counter carry their partition's hash tag, so
 * that the partition's own scripts (delivery's fenced writes) can read the lease atomically on
 * Redis Cluster; the member list carries the metadata's tag.
 *
 * @param prefix {@code storage.redis.keyPrefix}, e.g. {@code ferry:}
 */
public record LeaseKeys(String prefix) {
  String members() {
    return prefix + "{" + prefix + "meta}:members";
  }

  String lease(int partition) {
    return partitionTag(partition) + ":lease";
  }

  String fence(int partition) {
    return partitionTag(partition) + ":fence";
  }

  private String partitionTag(int partition) {
    return prefix + "{" + prefix + "p" + partition + "}";
  }
}
