/**
 * The TypeScript SDK end to end against a running server (tests/sdk/test_typescript_sdk.py
 * starts one and passes MAINTRAC_BASE_URL, ending in /v1, and MAINTRAC_TOKEN for a fresh
 * tenant): create work orders, list them two at a time to the end, move one through
 * open -> in_progress -> complete, and get the 409 problem of a final work order as an
 * ApiProblem; then create an asset (replayed by its idempotency key), rename it with its
 * ETag (a stale one is a 412), give it a meter and a reading, and round-trip a sync pull.
 * The test runs against the packed package (`import ... from "@maintrac/client"` replaces
 * `../index.js`), and `tsc` compiles it first, so every call is checked against the contract.
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ApiProblem,
  createMaintracClient,
  type MaintracClient,
  type Problem,
  type Schemas,
  unwrap,
} from "../index.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run through tests/sdk/test_typescript_sdk.py)`);
  }
  return value;
}

const api: MaintracClient = createMaintracClient({
  baseUrl: env("MAINTRAC_BASE_URL"),
  token: env("MAINTRAC_TOKEN"),
});

type WorkOrder = Schemas["WorkOrder"];
type WorkOrderStatus = Schemas["WorkOrderStatus"];

async function setStatus(id: string, status: WorkOrderStatus): Promise<WorkOrder> {
  return unwrap(
    await api.PATCH("/work-orders/{workOrderId}", {
      params: { path: { workOrderId: id } },
      body: { status },
    }),
  );
}

test("create, page to the end, change status, and a 409 as ApiProblem", async () => {
  const created: WorkOrder[] = [];
  for (let i = 1; i <= 5; i++) {
    const result = await api.POST("/work-orders", {
      body: { title: `SDK check ${i}`, priority: "high", dueAt: "2026-12-01T16:00:00Z" },
      params: { header: { "Idempotency-Key": `ts-sdk-${i}-${Date.now()}` } },
    });
    assert.equal(result.response.status, 201);
    const workOrder = unwrap(result);
    assert.equal(workOrder.status, "open");
    assert.equal(workOrder.title, `SDK check ${i}`);
    created.push(workOrder);
  }

  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = unwrap(
      await api.GET("/work-orders", {
        params: { query: cursor === undefined ? { limit: 2 } : { limit: 2, cursor } },
      }),
    );
    pages += 1;
    assert.ok(page.data.length <= 2);
    seen.push(...page.data.map((workOrder) => workOrder.id));
    if (!page.hasMore) {
      assert.equal(page.nextCursor, null);
      break;
    }
    assert.ok(page.nextCursor, "a page with more after it has a cursor");
    cursor = page.nextCursor;
  }
  assert.equal(pages, 3);
  assert.deepEqual(
    [...seen].sort(),
    created.map((workOrder) => workOrder.id).sort(),
    "every work order exactly once",
  );

  const first = created[0];
  assert.ok(first);
  const started = await setStatus(first.id, "in_progress");
  assert.equal(started.status, "in_progress");
  assert.equal(started.completedAt, null);
  const completed = await setStatus(first.id, "complete");
  assert.equal(completed.status, "complete");
  assert.ok(completed.completedAt, "completing sets completedAt");

  // The typed error of one call: `error` is the contract's Problem.
  const refused = await api.PATCH("/work-orders/{workOrderId}", {
    params: { path: { workOrderId: first.id } },
    body: { status: "in_progress" },
  });
  assert.equal(refused.response.status, 409);
  assert.match(refused.response.headers.get("content-type") ?? "", /^application\/problem\+json/);
  const problem: Problem | undefined = refused.error;
  assert.equal(problem?.code, "invalid_status_transition");

  // The same through unwrap: an ApiProblem carrying it.
  await assert.rejects(
    async () => setStatus(first.id, "in_progress"),
    (error: unknown) => {
      assert.ok(error instanceof ApiProblem);
      assert.equal(error.status, 409);
      assert.equal(error.code, "invalid_status_transition");
      assert.equal(error.type, "/problems/invalid-status-transition");
      const allowed: WorkOrderStatus[] | undefined = error.problem.allowedStatuses;
      assert.deepEqual(allowed, []);
      return true;
    },
  );
});

test("an asset with a meter and a reading, idempotency, ETags, and a sync pull", async () => {
  const key = `ts-sdk-asset-${Date.now()}`;
  const body = { name: "Boiler 2", code: `TS-${Date.now()}`, location: "Plant room B" };
  const created = await api.POST("/assets", { body, params: { header: { "Idempotency-Key": key } } });
  assert.equal(created.response.status, 201);
  const asset = unwrap(created);
  const replayed = await api.POST("/assets", { body, params: { header: { "Idempotency-Key": key } } });
  assert.equal(replayed.response.headers.get("Idempotent-Replayed"), "true");
  assert.equal(unwrap(replayed).id, asset.id);

  const etag = created.response.headers.get("ETag");
  assert.ok(etag, "a create returns the ETag");
  const renamed = await api.PATCH("/assets/{assetId}", {
    params: { path: { assetId: asset.id }, header: { "If-Match": etag } },
    body: { name: "Boiler 2 (B)" },
  });
  assert.equal(unwrap(renamed).name, "Boiler 2 (B)");
  await assert.rejects(
    async () =>
      unwrap(
        await api.PATCH("/assets/{assetId}", {
          params: { path: { assetId: asset.id }, header: { "If-Match": etag } },
          body: { name: "Boiler 2 (C)" },
        }),
      ),
    (error: unknown) => {
      assert.ok(error instanceof ApiProblem);
      assert.equal(error.status, 412);
      assert.equal(error.code, "precondition_failed");
      return true;
    },
  );

  const meter: Schemas["Meter"] = unwrap(
    await api.POST("/meters", {
      body: { assetId: asset.id, name: "Run hours", unit: "h", kind: "cumulative" },
    }),
  );
  assert.equal(meter.assetId, asset.id);
  const reading: Schemas["Reading"] = unwrap(
    await api.POST("/meters/{meterId}/readings", {
      params: { path: { meterId: meter.id } },
      body: { value: 1492.5, note: "TS SDK reading" },
    }),
  );
  assert.equal(reading.meterId, meter.id);
  const readings = unwrap(
    await api.GET("/meters/{meterId}/readings", { params: { path: { meterId: meter.id } } }),
  );
  assert.deepEqual(
    readings.data.map((r) => r.id),
    [reading.id],
  );

  // A first (full) pull holds them; a change made after it comes in the next pull.
  const full = unwrap(await api.POST("/sync/pull", { body: { lastPulledAt: null, schemaVersion: 1 } }));
  const ids = (records: { id: string }[] | undefined): string[] => (records ?? []).map((r) => r.id);
  assert.ok(ids(full.changes.assets?.updated).includes(asset.id));
  assert.ok(ids(full.changes.meters?.updated).includes(meter.id));
  assert.ok(ids(full.changes.asset_readings?.updated).includes(reading.id));
  const current = await api.GET("/assets/{assetId}", { params: { path: { assetId: asset.id } } });
  unwrap(
    await api.PATCH("/assets/{assetId}", {
      params: { path: { assetId: asset.id }, header: { "If-Match": current.response.headers.get("ETag") ?? "*" } },
      body: { name: "Boiler 2 (synced)" },
    }),
  );
  const next = unwrap(
    await api.POST("/sync/pull", { body: { lastPulledAt: full.timestamp, schemaVersion: 1 } }),
  );
  assert.ok(next.timestamp >= full.timestamp);
  const synced = (next.changes.assets?.updated ?? []).filter((r) => r.id === asset.id);
  assert.deepEqual(
    synced.map((r) => r.name),
    ["Boiler 2 (synced)"],
  );
});

// Compile-time checks only (never called): the contract rejects these at `tsc`.
export function contractRejects(client: MaintracClient): void {
  void client.PATCH("/work-orders/{workOrderId}", {
    params: { path: { workOrderId: "x" } },
    // @ts-expect-error "done" is not a WorkOrderStatus
    body: { status: "done" },
  });
  // @ts-expect-error a work order needs a title
  void client.POST("/work-orders", { body: { priority: "high" } });
  // @ts-expect-error there is no such path
  void client.GET("/work-order");
}
