// Shared pieces of the workflow suite: an Express app on 127.0.0.1:0 serving workflows with the official
// @upstash/workflow SDK (its `serve`, unchanged), the SDK's Client, and small probes of Ferry's run endpoints.
import { once } from 'node:events';
import express from 'express';
import { serve, serveMany } from '@upstash/workflow/express';
import { Client as WorkflowClient } from '@upstash/workflow';
import { Client as QStashClient } from '@upstash/qstash';
import { env } from '../lib/harness.mjs';

/** The workflow SDK's client, as an application that starts runs would build it. */
export function workflowClient() {
  return new WorkflowClient({ baseUrl: env.ferryUrl, token: env.token });
}

/**
 * Starts an Express app serving each {@code routes[path] = [routeFunction, serveOptions]} with `serve`. The
 * endpoint publishes its steps to Ferry and verifies every delivery's signature (the signing keys are in the
 * environment, where `serve` reads them).
 */
export async function startApp(routes, many = {}) {
  const app = express();
  app.use(express.json());
  for (const [path, [routeFunction, options]] of Object.entries(routes)) {
    app.use(path, serve(routeFunction, {
      qstashClient: new QStashClient({ baseUrl: env.ferryUrl, token: env.token }),
      ...options,
    }));
  }
  // `serveMany` (what `context.invoke` needs): many[path] = {name: createWorkflow(...)}, served at path/name
  for (const [path, workflows] of Object.entries(many)) {
    app.use(path, serveMany(workflows, {
      qstashClient: new QStashClient({ baseUrl: env.ferryUrl, token: env.token }),
    }));
  }
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    url: (path) => base + path,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** GET /v2/workflows/runs/{id}: the run's step list (what the SDK fetches lazily), or the status. */
export async function runSteps(runId) {
  const res = await fetch(`${env.ferryUrl}/v2/workflows/runs/${runId}`, {
    headers: { Authorization: `Bearer ${env.token}` },
  });
  return { status: res.status, body: await res.json() };
}

/** Counts calls per key, to show each step's code ran once (or as often as retried). */
export function counter() {
  const counts = new Map();
  return {
    add: (key) => counts.set(key, (counts.get(key) ?? 0) + 1),
    get: (key) => counts.get(key) ?? 0,
  };
}
