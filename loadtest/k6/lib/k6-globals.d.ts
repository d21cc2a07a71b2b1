// Globals that k6 provides but @types/k6 does not declare. Used only by the type check (tsc); k6 never reads this file.
// Kept deliberately small: k6 has no DOM and no Node.js APIs, so tsconfig.json loads neither, and a script that
// reaches for fetch(), process or require() fails the type check instead of failing at run time.

declare global {
  /** k6's console: writes to k6's log (stderr), with the VU's context. */
  var console: {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    debug(...data: unknown[]): void;
  };
}

export {};
