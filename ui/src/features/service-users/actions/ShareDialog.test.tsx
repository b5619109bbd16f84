import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { ServiceUserDrawer } from "../detail/ServiceUserDrawer";

async function openShare(backend = new FakeBackend(), userId = "report-bot") {
  const r = renderWithProviders(<ServiceUserDrawer userId={userId} onClose={() => {}} />, { backend });
  await r.user.click(await screen.findByRole("tab", { name: "Who can act" }));
  await r.user.click(await screen.findByRole("button", { name: "Share…" }));
  const dialog = await screen.findByRole("dialog", { name: `Share ${userId}` });
  return { ...r, dialog };
}

// The open dropdown's options as text (role queries over the whole drawer are slow in jsdom).
const optionNames = (input: HTMLElement) => {
  const list = document.getElementById(input.getAttribute("aria-controls") ?? "");
  return [...(list?.querySelectorAll('[role="option"]') ?? [])].map((o) => o.textContent);
};

describe("Share dialog", { timeout: 30_000 }, () => {
  test("offers regular users only (never service users) and tags; access fixed to Owner", async () => {
    const { user, dialog } = await openShare();
    expect(within(dialog).getByRole("textbox", { name: "Access" })).toHaveValue("Owner");
    expect(within(dialog).getByRole("textbox", { name: "Access" })).toHaveAttribute("readonly");
    expect(within(dialog).getByText(/shared with Owner access only/)).toBeInTheDocument();
    const users = within(dialog).getByRole("combobox", { name: "Users" });
    await user.click(users);
    // alice and carol already own report-bot; no service user appears.
    await waitFor(() => expect(optionNames(users)).toEqual(["Bob Builder (bob)", "Dave Departed (dave)"]));
    await user.keyboard("{Escape}");
    const tags = within(dialog).getByRole("combobox", { name: "Tags" });
    await user.click(tags);
    await waitFor(() =>
      expect(optionNames(tags)).toEqual(["team-data (team: data)", "team-finance (team: finance)"]),
    );
  });

  test("searching asks the backend for regular users", async () => {
    const { user, dialog, backend } = await openShare();
    const users = within(dialog).getByRole("combobox", { name: "Users" });
    await user.type(users, "bob");
    await waitFor(() => expect(optionNames(users)).toEqual(["Bob Builder (bob)"]));
    const last = backend.callsOf("usersPage").at(-1)?.[0];
    expect(last).toMatchObject({ kind: "regular", search: "bob" });
  });

  test("shares with a user and a tag, then the tables follow", async () => {
    const { user, dialog, backend } = await openShare();
    const share = within(dialog).getByRole("button", { name: "Share" });
    expect(share).toBeDisabled();
    await user.click(within(dialog).getByRole("combobox", { name: "Users" }));
    await user.click(await screen.findByRole("option", { name: "Bob Builder (bob)" }));
    await user.click(within(dialog).getByRole("combobox", { name: "Tags" }));
    await user.click(await screen.findByRole("option", { name: /team-data/ }));
    await user.click(share);
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Share report-bot" })).toBeNull());
    expect(backend.callsOf("serviceUserShare")).toEqual([["report-bot", ["bob"], ["team-data"]]]);
    const owners = await screen.findByRole("table", { name: "Owners" });
    await waitFor(() => expect(within(owners).getByRole("row", { name: /bob/ })).toBeInTheDocument());
    expect(screen.getByRole("table", { name: "Owners through tags" })).toHaveTextContent("#team-data");
    expect(await screen.findByText("report-bot is now shared with bob, tag team-data.")).toBeInTheDocument();
  });

  test("CANNOT_SHARE_WITH_SERVICE_USER: the server's message stays, the dialog too", async () => {
    const backend = new FakeBackend().failWith("serviceUserShare", "CANNOT_SHARE_WITH_SERVICE_USER");
    const { user, dialog } = await openShare(backend);
    await user.click(within(dialog).getByRole("combobox", { name: "Users" }));
    await user.click(await screen.findByRole("option", { name: "Bob Builder (bob)" }));
    await user.click(within(dialog).getByRole("button", { name: "Share" }));
    const toast = await screen.findByText(
      "A service user cannot be shared with another service user; share it with regular users or tags.",
    );
    expect(toast.closest("[data-error-code]")).toHaveAttribute(
      "data-error-code",
      "CANNOT_SHARE_WITH_SERVICE_USER",
    );
    expect(screen.getByRole("dialog", { name: "Share report-bot" })).toBeInTheDocument();
  });

  test("offline: sharing fails with the offline message", async () => {
    const backend = new FakeBackend().failWith("serviceUserShare", "offline");
    const { user, dialog } = await openShare(backend);
    await user.click(within(dialog).getByRole("combobox", { name: "Tags" }));
    await user.click(await screen.findByRole("option", { name: /team-finance/ }));
    await user.click(within(dialog).getByRole("button", { name: "Share" }));
    expect(await screen.findByText(/cannot reach the server/)).toBeInTheDocument();
  });
});
