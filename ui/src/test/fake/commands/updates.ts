// In-app updates: the status, a check and an install answer what the test set with
// `fakeUpdates(fake)`; by default updates are on and there is nothing newer.
import type { UpdateCheckView, UpdateInstallView, UpdateStatusView } from "../../../ipc";
import type { FakeBackend } from "../backend";
import type { CommandHandlers } from "./handler";

export type FakeUpdates = {
  status: UpdateStatusView;
  /** What the next "Check for updates" answers (the current version is up to date by default). */
  check: UpdateCheckView | null;
  install: UpdateInstallView | null;
};

const byFake = new WeakMap<FakeBackend, FakeUpdates>();

/** The fake's update state, for tests to set. */
export function fakeUpdates(fake: FakeBackend): FakeUpdates {
  let u = byFake.get(fake);
  if (!u) {
    u = {
      status: {
        currentVersion: fake.data.appInfo.version,
        enabled: true,
        automatic: true,
        managed: false,
        disabledReason: null,
        endpoint: "https://example.invalid/amorphic-su-desktop/releases/latest/download/latest.json",
        available: null,
        lastChecked: null,
      },
      check: null,
      install: null,
    };
    byFake.set(fake, u);
  }
  return u;
}

export const updateCommands = {
  async updateStatus(fake) {
    return fakeUpdates(fake).status;
  },

  async updateCheck(fake) {
    const u = fakeUpdates(fake);
    const answer = u.check ?? { kind: "upToDate", currentVersion: u.status.currentVersion };
    u.status.lastChecked = new Date().toISOString();
    if (answer.kind === "available") u.status.available = answer.update;
    return answer;
  },

  async updateInstall(fake) {
    const u = fakeUpdates(fake);
    if (u.install) return u.install;
    const version = u.status.available?.version;
    if (!version)
      return {
        kind: "failed",
        problem: { code: "no_update", message: "There is no update to install: check for updates first." },
      };
    return { kind: "restarting", version };
  },

  async updateSetAutomatic(fake, automatic) {
    const u = fakeUpdates(fake);
    u.status.automatic = automatic;
    return u.status;
  },
} satisfies Partial<CommandHandlers>;
