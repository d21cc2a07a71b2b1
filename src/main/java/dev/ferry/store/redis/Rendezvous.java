package dev.ferry.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which live replica should own each partition: rendezvous (highest random weight) hashing with
 * bounded loads. Every replica computes the same answer from the same member list without talking
 * to the others. Each partition goes to the member that ranks it highest among those that hold
 * fewer than {@code ceil(P / n)} partitions so far (partitions taken in order), so no replica owns
 * more than its fair share rounded up; plain rendezvous hashing would give one of 8 replicas twice
 * the partitions of another. When a replica joins or leaves, mostly the partitions it wins or held
 * move; the caps move a few more (measured in {@code PartitionLeasesTest}).
 */
final class Rendezvous {
  private Rendezvous() {}

  /**
   * The owner of every partition, indexed by partition; all null when there are no members.
   *
   * @param members live replica ids, in any order
   */
  static String[] assign(List<String> members, int partitions) {
    String[] owners = new String[partitions];
    if (members.isEmpty()) return owners;
    List<String> sorted = members.stream().sorted().toList();
    long[] seeds = new long[sorted.size()];
    for (int m = 0; m < seeds.length; m++) seeds[m] = fnv1a(sorted.get(m));
    int cap = (partitions + sorted.size() - 1) / sorted.size();
    int[] load = new int[sorted.size()];
    for (int p = 0; p < partitions; p++) {
      int best = -1;
      long bestWeight = 0;
      for (int m = 0; m < seeds.length; m++) {
        if (load[m] >= cap) continue;
        long weight = mix(seeds[m] ^ (p * 0x9E3779B97F4A7C15L));
        if (best < 0 || Long.compareUnsigned(weight, bestWeight) > 0) {
          best = m;
          bestWeight = weight;
        }
      }
      load[best]++;
      owners[p] = sorted.get(best);
    }
    return owners;
  }

  private static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: spreads nearby inputs (partition numbers) over the whole range. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
