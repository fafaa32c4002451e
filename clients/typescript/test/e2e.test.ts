/**
 * The TypeScript SDK end to end against a running server (tests/sdk/test_typescript_sdk.py
 * starts one and passes MAINTRAC_BASE_URL, ending in /v1, and MAINTRAC_TOKEN for a fresh
 * tenant): create work orders, list them two at a time to the end, move one through
 * open -> in_progress -> complete, and get the 409 problem of a final work order as an
 * ApiProblem. `tsc` compiles it first, so every call here is checked against the contract.
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
