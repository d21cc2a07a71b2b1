package dev.ferry.bench;

import java.util.List;

/**
 * One workload of the bench, measured on its instrument and on Ferry. It adds its rows to {@code
 * rows} before it starts measuring, so a failure part-way leaves the runs measured so far (and a
 * note) in the table.
 */
interface Workload {
  void run(Lab lab, List<Row> rows);
}
