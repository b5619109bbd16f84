// Bulk changes: the dry run decides each service user with the same rules as the single-item
// commands (./rules.ts), then no-op or refused in the app core's words; the run sends the
// allowed ones through the single-item commands, one at a time, until cancelled.
import { emit } from "@tauri-apps/api/event";
import {
  type Backend,
  BackendError,
  type BulkActionInput,
  type BulkPlanView,
  type Code,
  type ItemResultView,
  type PlanItemView,
} from "../../../ipc";
import type { FakeBackend } from "../backend";
import { refuse } from "../errors";
import {
  checkAccessible,
  checkAddShares,
  checkAttachRoles,
  checkDelete,
  checkDetachRole,
  checkRemoveShare,
  checkTransferUser,
} from "../rules";
import type { FakeUser } from "../state";
import type { CommandHandlers } from "./handler";

/** The app core's sentence for a refusal (crates/client/src/bulk/decide.rs). */
function reason(code: Code, action: BulkActionInput, message: string): string {
  switch (code) {
    case "NOT_A_SERVICE_USER":
      return "not a service user";
    case "NO_ACCESS_TO_SERVICE_USER":
      return "you have no owner access to this service user";
    case "NO_ACCESS_TO_ROLE":
      return "role" in action ? `you don't hold role ${action.role}` : message;
    case "DEFAULT_ROLE_REQUIRED":
      return "its default role cannot be detached";
    case "LAST_OWNER":
      return "it would be left without an owner";
    case "MUST_DISABLE_FIRST":
      return "must be disabled first";
    case "INVALID_TRANSFER_USER":
      return action.kind === "delete"
        ? `transfer user ${action.transferTo} must be an existing, enabled regular user`
        : message;
    default:
      return message;
  }
}

const DESTRUCTIVE = new Set(["disable", "delete", "detachRole", "unshareUser", "unshareTag"]);

export function describe(a: BulkActionInput): string {
  switch (a.kind) {
    case "enable":
    case "disable":
      return a.kind;
    case "attachRole":
      return `attach role ${a.role}`;
    case "detachRole":
      return `detach role ${a.role}`;
    case "share":
      return `share with ${[...a.users, ...a.tags.map((t) => `tag ${t}`)].join(", ")}`;
    case "unshareUser":
      return `stop sharing with ${a.user}`;
    case "unshareTag":
      return `stop sharing with tag ${a.tag}`;
    case "delete":
      return `delete, transferring to ${a.transferTo}`;
  }
}

/** `null`: allowed; a string: a no-op, why. Throws the refusal. */
function noOpOrThrow(fake: FakeBackend, me: FakeUser, su: FakeUser, a: BulkActionInput): string | null {
  const shares = su.shares ?? { users: [], tags: [] };
  switch (a.kind) {
    case "enable":
      return su.enabled ? "already enabled" : null;
    case "disable":
      return su.enabled ? null : "already disabled";
    case "attachRole":
      checkAttachRoles(me, fake.data.roles, [a.role]);
      return su.roles.includes(a.role) ? `already has role ${a.role}` : null;
    case "detachRole":
      if (!su.roles.includes(a.role)) return `does not have role ${a.role}`;
      checkDetachRole(me, su, a.role);
      return null;
    case "share":
      checkAddShares(fake.data, a.users, a.tags);
      return a.users.every((u) => shares.users.includes(u)) && a.tags.every((t) => shares.tags.includes(t))
        ? "already shared with all of them"
        : null;
    case "unshareUser":
      if (!shares.users.includes(a.user)) return "not shared with it";
      checkRemoveShare(su, { kind: "user", id: a.user });
      return null;
    case "unshareTag":
      if (!shares.tags.includes(a.tag)) return "not shared with it";
      checkRemoveShare(su, { kind: "tag", id: a.tag });
      return null;
    case "delete":
      checkDelete(su);
      checkTransferUser(a.transferTo, fake.find(a.transferTo));
      return null;
  }
}

function decide(fake: FakeBackend, me: FakeUser, a: BulkActionInput, userId: string): PlanItemView {
  const su = fake.find(userId);
  const item = { userId, displayName: su?.displayName ?? null, code: null, reason: null };
  try {
    if (!su) refuse("NOT_FOUND", "not in the local cache: no such service user, or sync first");
    checkAccessible(me, su, userId);
    const noOp = noOpOrThrow(fake, me, su, a);
    return noOp ? { ...item, verdict: "no_op", reason: noOp } : { ...item, verdict: "allowed" };
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    const code = e.code as PlanItemView["code"];
    return { ...item, verdict: "refused", code, reason: reason(e.code, a, e.message) };
  }
}

function plan(fake: FakeBackend, me: FakeUser, a: BulkActionInput, ids: string[]): BulkPlanView {
  const env = fake.currentEnv();
  const items = [...new Set(ids)].map((id) => decide(fake, me, a, id));
  const count = (v: PlanItemView["verdict"]) => items.filter((i) => i.verdict === v).length;
  return {
    title: describe(a),
    items,
    allowed: count("allowed"),
    noOp: count("no_op"),
    refused: count("refused"),
    destructive: DESTRUCTIVE.has(a.kind),
    environment: env?.name ?? "",
    production: env?.production ?? false,
  };
}

/** The single-item command of an action, through the fake (recorded, delayed, failable). */
function sendOne(fake: Backend, a: BulkActionInput, id: string): Promise<unknown> {
  switch (a.kind) {
    case "enable":
      return fake.serviceUserEnable(id);
    case "disable":
      return fake.serviceUserDisable(id);
    case "attachRole":
      return fake.serviceUserAttachRoles(id, [a.role]);
    case "detachRole":
      return fake.serviceUserDetachRole(id, a.role);
    case "share":
      return fake.serviceUserShare(id, a.users, a.tags);
    case "unshareUser":
      return fake.serviceUserUnshare(id, { kind: "user", id: a.user });
    case "unshareTag":
      return fake.serviceUserUnshare(id, { kind: "tag", id: a.tag });
    case "delete":
      return fake.serviceUserDelete(id, a.transferTo);
  }
}

/** Runs cancelled per fake. */
const cancelled = new WeakMap<FakeBackend, Set<string>>();

export const bulkCommands = {
  async bulkPlan(fake, action, selection) {
    const me = fake.me();
    const ids =
      selection.kind === "ids"
        ? selection.ids
        : fake
            .matching({ ...selection.query, kind: "service", offset: 0, limit: 1_000_000 }, me)
            .map((u) => u.userId);
    if (ids.length === 0) refuse("invalid_input", "select at least one service user");
    return plan(fake, me, action, ids);
  },

  async bulkRun(fake, runId, action, ids, confirmEnvironment) {
    const me = fake.me({ write: true });
    const env = fake.currentEnv();
    if (env?.production && DESTRUCTIVE.has(action.kind) && confirmEnvironment !== env.name)
      refuse(
        "invalid_input",
        `'${env.name}' is a production environment: type its name to confirm; nothing was sent`,
      );
    const p = plan(fake, me, action, ids);
    const stop = cancelled.get(fake) ?? new Set<string>();
    cancelled.set(fake, stop);
    const results: ItemResultView[] = [];
    for (const [n, item] of p.items.entries()) {
      let r: ItemResultView;
      if (item.verdict === "no_op")
        r = { userId: item.userId, outcome: "skipped", sent: false, code: null, message: item.reason };
      else if (item.verdict === "refused")
        r = { userId: item.userId, outcome: "refused", sent: false, code: item.code, message: item.reason };
      else if (stop.has(runId))
        r = { userId: item.userId, outcome: "cancelled", sent: false, code: null, message: null };
      else {
        try {
          await sendOne(fake, action, item.userId);
          r = { userId: item.userId, outcome: "done", sent: true, code: null, message: null };
        } catch (e) {
          const err = e as BackendError;
          r = { userId: item.userId, outcome: "refused", sent: true, code: err.code, message: err.message };
        }
      }
      results.push(r);
      const event = { runId, finished: n + 1, total: p.items.length, item: r };
      // The IPC mock build delivers it like Rust's event; component tests have no event plugin.
      emit("bulk-progress-event", event).catch(() => {});
    }
    stop.delete(runId);
    const count = (o: ItemResultView["outcome"]) => results.filter((r) => r.outcome === o).length;
    return {
      title: p.title,
      results,
      done: count("done"),
      refused: count("refused"),
      cancelled: count("cancelled"),
      skipped: count("skipped"),
    };
  },

  async bulkCancel(fake, runId) {
    const stop = cancelled.get(fake) ?? new Set<string>();
    cancelled.set(fake, stop);
    stop.add(runId);
    return true;
  },
} satisfies Partial<CommandHandlers>;
