package dev.ferry.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The admission gate's arithmetic: requests and bytes in flight, and a lone oversized body. */
class AdmissionTest {

  @Test
  void requests_beyond_the_cap_are_refused_until_one_leaves() {
    Admission gate = new Admission(2, 1_000);
    assertNull(gate.enter(10));
    assertNull(gate.enter(10));
    assertEquals(Admission.Refusal.TOO_MANY_REQUESTS, gate.enter(10));
    assertEquals(2, gate.requests());
    gate.leave(10);
    assertNull(gate.enter(10));
  }

  @Test
  void bytes_beyond_the_budget_are_refused_and_a_refusal_takes_nothing() {
    Admission gate = new Admission(100, 1_000);
    assertNull(gate.enter(600));
    assertEquals(Admission.Refusal.TOO_MANY_BYTES, gate.enter(500));
    assertEquals(600, gate.bytes());
    assertEquals(1, gate.requests());
    assertNull(gate.enter(400));
    gate.leave(600);
    gate.leave(400);
    assertEquals(0, gate.bytes());
    assertEquals(0, gate.requests());
  }

  @Test
  void a_body_larger_than_the_whole_budget_gets_in_only_alone() {
    Admission gate = new Admission(100, 1_000);
    assertNull(gate.enter(5_000), "alone, so it is not refused forever");
    assertEquals(Admission.Refusal.TOO_MANY_BYTES, gate.enter(1));
    gate.leave(5_000);
    assertNull(gate.enter(1));
    assertEquals(Admission.Refusal.TOO_MANY_BYTES, gate.enter(5_000));
  }
}
