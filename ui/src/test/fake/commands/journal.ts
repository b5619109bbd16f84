// The journal: the fake's per-service-user history as one journal, newest first, filtered as the
// app core filters it; an export "written" to the given (or a default) path; an intact chain.
import { CONTRACT, type JournalEntryView, type JournalFilter } from "../../../gen/bindings";
import type { FakeBackend } from "../backend";
import { refuse } from "../errors";
import type { CommandHandlers } from "./handler";

/** Every recorded action as a journal entry, oldest first (numbered from 1). */
function journal(fake: FakeBackend): JournalEntryView[] {
  const env = fake.currentEnv()?.name ?? "demo";
  const all = Object.entries(fake.data.history).flatMap(([userId, list]) =>
    list.map((a) => ({ userId, ...a })),
  );
  all.sort((a, b) => a.at.localeCompare(b.at));
  return all.map((a, i) => ({
    seq: i + 1,
    at: a.at,
    environment: env,
    user: a.actor,
    role: fake.data.roleId,
    action: a.action,
    targetId: a.userId,
    targetName: fake.data.users.find((u) => u.userId === a.userId)?.displayName ?? null,
    minutesAsked: null,
    endsAt: null,
    result: "done",
    errorCode: null,
    message: null,
    detail: a.detail,
  }));
}

function selected(fake: FakeBackend, f: JournalFilter): JournalEntryView[] {
  if (f.action && !(CONTRACT.journalActions as readonly string[]).includes(f.action))
    refuse("invalid_input", `action '${f.action}' is not one of ${CONTRACT.journalActions.join(", ")}`);
  const text = f.search?.trim().toLowerCase() ?? "";
  const found = journal(fake)
    .reverse()
    .filter(
      (e) =>
        (!f.serviceUser || e.targetId === f.serviceUser) &&
        (!f.action || e.action === f.action) &&
        (!text ||
          [e.targetId, e.targetName, e.detail, e.role, e.user, e.action].some((v) =>
            v?.toLowerCase().includes(text),
          )),
    );
  return f.limit ? found.slice(0, f.limit) : found;
}

export const journalCommands = {
  async journalList(fake, filter) {
    fake.me();
    return selected(fake, filter);
  },

  async journalExport(fake, filter, format, path) {
    fake.me();
    const entries = selected(fake, filter).length;
    const where = path?.trim() || `/home/alice/Downloads/amorphic-su-journal-demo.${format}`;
    if (!where.startsWith("/") || !where.endsWith(`.${format}`))
      refuse("invalid_input", `export path '${where}' must be absolute and end in .${format}`);
    return { path: where, entries };
  },

  async journalVerify(fake) {
    return { entries: journal(fake).length, brokenSeq: null, reason: null };
  },
} satisfies Partial<CommandHandlers>;
