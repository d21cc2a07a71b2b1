package dev.ferry.tools;

import dev.ferry.store.embedded.StoreCorruptedException;
import dev.ferry.store.embedded.StoreRepair;
import java.nio.file.Path;

/**
 * {@code ferry repair-store --data-dir DIR}: run by an operator (Ferry stopped) after Ferry refused
 * to start on a damaged store. See {@link StoreRepair}. Exit status 0 repaired, 1 could not repair,
 * 2 bad arguments.
 */
public final class RepairStoreCommand {
  private RepairStoreCommand() {}

  public static int run(String[] args) {
    if (args.length != 2 || !args[0].equals("--data-dir")) {
      System.err.println(
          "usage: ferry repair-store --data-dir DIR   (with Ferry stopped; keep a copy of DIR first)");
      return 2;
    }
    Path dir = Path.of(args[1]);
    try {
      StoreRepair.repair(dir);
      System.out.println(
          "ferry repair-store: "
              + dir
              + " repaired: every record that passed its checksum was kept,"
              + " damaged write-ahead-log records were dropped (see "
              + dir.resolve("LOG")
              + "). Start Ferry again.");
      return 0;
    } catch (StoreCorruptedException e) {
      System.err.println(
          "ferry repair-store: cannot repair "
              + dir
              + ": the damage is in a table file, which cannot"
              + " be salvaged record by record; restore the directory from a backup. RocksDB found: "
              + e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("ferry repair-store: cannot repair " + dir + ": " + e);
      return 1;
    }
  }
}
