import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, test } from "vitest";
import { TopBar } from "../../components/TopBar";
import { FakeBackend } from "../../test/fake";
import { fakeUpdates } from "../../test/fake/commands/updates";
import { renderWithProviders } from "../../test/render";
import { progressText } from "./UpdatesDialog";
import { closeUpdatesDialog } from "./updatesDialogStore";

const NEWER = {
  version: "0.1.1",
  currentVersion: "0.1.0",
  notes: "Faster search.\nA Diagnostics page.",
  date: "2026-12-08T02:00:00Z",
};

async function openDialog() {
  const r = renderWithProviders(<TopBar />, { backend: r0 });
  await r.user.click(await screen.findByRole("button", { name: /^v0\.1\.0:/ }));
  await r.user.click(await screen.findByRole("menuitem", { name: "Check for updates…" }));
  const dialog = await screen.findByRole("dialog", { name: "Updates" });
  await waitFor(() => expect(within(dialog).getByTestId("current-version")).toHaveTextContent("0.1.0"));
  return { ...r, dialog };
}

let r0 = new FakeBackend();

afterEach(() => {
  closeUpdatesDialog();
  r0 = new FakeBackend();
});

describe("Check for updates", () => {
  test("the version menu opens the dialog, and a check says up to date", async () => {
    const { user, dialog, backend } = await openDialog();
    await user.click(within(dialog).getByRole("button", { name: "Check for updates" }));
    expect(await within(dialog).findByRole("status")).toHaveTextContent(
      "Amorphic Service Users Desktop is up to date (version 0.1.0).",
    );
    expect(backend.calls.filter((c) => c.command === "updateCheck")).toHaveLength(1);
    expect(backend.calls.some((c) => c.command === "updateInstall")).toBe(false);
  });

  test("a newer version shows its release notes and installs only on consent", async () => {
    fakeUpdates(r0).check = { kind: "available", update: NEWER };
    const { user, dialog, backend } = await openDialog();
    await user.click(within(dialog).getByRole("button", { name: "Check for updates" }));
    const found = await within(dialog).findByRole("region", { name: "available update" });
    expect(found).toHaveTextContent("Version 0.1.1 is available (you have 0.1.0).");
    expect(within(found).getByTestId("release-notes")).toHaveTextContent(
      "Faster search. A Diagnostics page.",
    );
    expect(backend.calls.some((c) => c.command === "updateInstall")).toBe(false);
    await user.click(within(found).getByRole("button", { name: "Install and restart" }));
    expect(await within(dialog).findByText("Version 0.1.1 is installed. Restarting…")).toBeInTheDocument();
    expect(backend.calls.filter((c) => c.command === "updateInstall")).toHaveLength(1);
  });

  test("an update a background check found marks the version and is shown when the dialog opens", async () => {
    fakeUpdates(r0).status.available = NEWER;
    const { user } = renderWithProviders(<TopBar />, { backend: r0 });
    await user.click(await screen.findByRole("button", { name: "v0.1.0: update 0.1.1 available" }));
    await user.click(await screen.findByRole("menuitem", { name: "Check for updates…" }));
    const dialog = await screen.findByRole("dialog", { name: "Updates" });
    expect(await within(dialog).findByTestId("available-version")).toHaveTextContent("0.1.1");
    expect(within(dialog).getByTestId("release-notes")).toHaveTextContent("Faster search.");
  });

  test("a refused signature is shown with the message naming what failed; nothing restarts", async () => {
    const u = fakeUpdates(r0);
    u.check = { kind: "available", update: NEWER };
    u.install = {
      kind: "failed",
      problem: {
        code: "signature_invalid",
        message:
          "The update to 0.1.1 was refused: its signature check failed (Signature verification failed). Nothing was installed.",
      },
    };
    const { user, dialog } = await openDialog();
    await user.click(within(dialog).getByRole("button", { name: "Check for updates" }));
    await user.click(await within(dialog).findByRole("button", { name: "Install and restart" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Update refused: bad signature");
    expect(alert).toHaveTextContent("signature check failed");
    expect(alert).toHaveAttribute("data-problem-code", "signature_invalid");
    expect(within(dialog).queryByText(/Restarting/)).not.toBeInTheDocument();
  });

  test("updates turned off by the environment: said, and no check button to press", async () => {
    const u = fakeUpdates(r0);
    Object.assign(u.status, {
      enabled: false,
      automatic: false,
      managed: true,
      disabledReason: "Updates are turned off on this computer (AMORPHIC_SU_UPDATES=off).",
    });
    const { dialog } = await openDialog();
    expect(await within(dialog).findByRole("note")).toHaveTextContent("AMORPHIC_SU_UPDATES=off");
    expect(within(dialog).getByRole("button", { name: "Check for updates" })).toBeDisabled();
    expect(within(dialog).queryByRole("switch")).not.toBeInTheDocument();
  });

  test("the automatic-check setting is saved; locked when the environment decides", async () => {
    const { user, dialog, backend } = await openDialog();
    const toggle = await within(dialog).findByRole("switch", { name: /Check for updates automatically/ });
    expect(toggle).toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(fakeUpdates(backend).status.automatic).toBe(false);
  });

  test("a managed desktop's setting cannot be changed here", async () => {
    Object.assign(fakeUpdates(r0).status, { managed: true, automatic: true });
    const { dialog } = await openDialog();
    const toggle = await within(dialog).findByRole("switch", { name: /Check for updates automatically/ });
    expect(toggle).toBeDisabled();
    expect(dialog).toHaveTextContent("Set by your administrator (AMORPHIC_SU_UPDATES)");
  });
});

describe("progressText", () => {
  test("download share, then installing and restarting", () => {
    expect(progressText(null).label).toBe("Starting the download…");
    expect(progressText({ phase: "downloading", downloaded: 1048576, total: 4194304 })).toEqual({
      label: "Downloading… 25% (1.0 of 4.0 MiB)",
      value: 25,
    });
    expect(progressText({ phase: "downloading", downloaded: 2097152, total: null })).toEqual({
      label: "Downloading… 2.0 MiB",
      value: null,
    });
    expect(progressText({ phase: "installing", downloaded: 1, total: 1 }).label).toBe("Installing…");
    expect(progressText({ phase: "restarting", downloaded: 1, total: 1 }).label).toBe("Restarting…");
  });
});
