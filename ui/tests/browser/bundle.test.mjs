// The production bundle (dist/, what Tauri embeds) must not contain the IPC mock.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { dist, distMock, IPC_MOCK_MARKER } from "./harness.mjs";

const files = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
const containing = (dir, text) => files(dir).filter((f) => readFileSync(f, "latin1").includes(text));

test("the mock build carries the marker (so the next check means something)", () => {
  assert.ok(containing(distMock, IPC_MOCK_MARKER).length > 0);
});

test("dist/ has neither the marker nor the fake backend", () => {
  assert.deepEqual(containing(dist, IPC_MOCK_MARKER), []);
  assert.deepEqual(containing(dist, "__fakeBackend"), []);
  assert.deepEqual(containing(dist, "mockIPC"), []);
});
