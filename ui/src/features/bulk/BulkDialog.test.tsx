import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { UsersQuery } from "../../ipc";
import { FakeBackend } from "../../test/fake";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { BulkActionBar } from "./BulkActionBar";
import type { RowSelection } from "./useRowSelection";

const QUERY: UsersQuery = {
  kind: "service",
  search: null,
  status: null,
  role: null,
  tag: null,
  assumable: false,
  offset: 0,
  limit: 0,
};

function selection(ids: string[], allMatching = false): RowSelection {
  return {
    ids: new Set(ids),
    allMatching,
    isSelected: (id) => allMatching || ids.includes(id),
    toggle: () => {},
    selectAllMatching: () => {},
    clear: () => {},
  };
}

async function openAction(user: ReturnType<typeof renderWithProviders>["user"], action: string) {
  await user.click(screen.getByRole("button", { name: "Bulk action" }));
  await user.click(await screen.findByRole("menuitem", { name: `${action}...` }));
  return screen.findByRole("dialog");
}

function rows(table: HTMLElement, attr: string) {
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((r) => [r.getAttribute("data-user-id"), r.getAttribute(attr)]);
}

describe("bulk changes", { timeout: 30_000 }, () => {
  test("a dry run of all matching shows the refused one before anything is sent, then the results", async () => {
    const { user, backend } = renderWithProviders(
      <BulkActionBar selection={selection([], true)} query={QUERY} matching={3} />,
    );
    expect(screen.getByTestId("bulk-selected")).toHaveTextContent("all 3 matching selected");
    const dialog = await openAction(user, "Disable");
    await user.click(within(dialog).getByRole("button", { name: "Dry run" }));
    const plan = await within(dialog).findByTestId("bulk-plan");
    expect(rows(plan, "data-verdict")).toEqual([
      ["etl-bot", "allowed"],
      ["finance-bot", "refused"],
      ["report-bot", "allowed"],
    ]);
    expect(within(plan).getByText("NO_ACCESS_TO_SERVICE_USER")).toBeInTheDocument();
    expect(within(plan).getByText("you have no owner access to this service user")).toBeInTheDocument();
    expect(backend.callsOf("serviceUserDisable")).toEqual([]);

    await user.click(within(dialog).getByRole("button", { name: "Send 2 changes" }));
    const results = await within(dialog).findByTestId("bulk-results");
    expect(rows(results, "data-outcome")).toEqual([
      ["etl-bot", "done"],
      ["finance-bot", "refused"],
      ["report-bot", "done"],
    ]);
    expect(backend.callsOf("serviceUserDisable")).toEqual([["etl-bot"], ["report-bot"]]);
    expect(backend.find("etl-bot")?.enabled).toBe(false);
    await user.click(within(dialog).getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Saved to /home/alice/Downloads/bulk-results.csv")).toBeInTheDocument();
    const [[fileName, contents]] = backend.callsOf("saveDownload") as [[string, string]];
    expect(fileName).toBe("bulk-results.csv");
    expect(contents).toMatch(/^userId,outcome,sent,code,message\r\netl-bot,done,yes,,\r\n/);
  });

  test("a bulk delete in production needs the environment's name and a transfer user", async () => {
    const backend = scenarios.production();
    const etl = backend.find("etl-bot");
    if (etl) etl.enabled = false;
    const { user } = renderWithProviders(
      <BulkActionBar selection={selection(["etl-bot", "report-bot"])} query={QUERY} matching={3} />,
      { backend },
    );
    const dialog = await openAction(user, "Delete");
    expect(within(dialog).getByRole("button", { name: "Dry run" })).toBeDisabled();
    await user.click(within(dialog).getByRole("combobox", { name: "Transfer what they own to" }));
    await user.click(await screen.findByRole("option", { name: /bob/i }));
    await user.click(within(dialog).getByRole("button", { name: "Dry run" }));
    const plan = await within(dialog).findByTestId("bulk-plan");
    expect(rows(plan, "data-verdict")).toEqual([
      ["etl-bot", "allowed"],
      ["report-bot", "refused"],
    ]);
    expect(within(plan).getByText("must be disabled first")).toBeInTheDocument();
    const send = within(dialog).getByRole("button", { name: "Send 1 change" });
    expect(send).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type prod-eu to confirm" }), "prod-eu");
    await user.click(send);
    const results = await within(dialog).findByTestId("bulk-results");
    expect(rows(results, "data-outcome")).toEqual([
      ["etl-bot", "done"],
      ["report-bot", "refused"],
    ]);
    expect(backend.callsOf("serviceUserDelete")).toEqual([["etl-bot", "bob"]]);
    expect(backend.find("etl-bot")).toBeUndefined();
  });

  test("cancel stops the items not started", async () => {
    const backend = new FakeBackend().slow("serviceUserEnable", 150);
    for (const id of ["etl-bot", "report-bot"]) {
      const u = backend.find(id);
      if (u) u.enabled = false;
    }
    const { user } = renderWithProviders(
      <BulkActionBar selection={selection(["etl-bot", "report-bot"])} query={QUERY} matching={3} />,
      { backend },
    );
    const dialog = await openAction(user, "Enable");
    await user.click(within(dialog).getByRole("button", { name: "Dry run" }));
    await user.click(await within(dialog).findByRole("button", { name: "Send 2 changes" }));
    await user.click(await within(dialog).findByRole("button", { name: "Cancel" }));
    const results = await within(dialog).findByTestId("bulk-results");
    expect(rows(results, "data-outcome")).toEqual([
      ["etl-bot", "done"],
      ["report-bot", "cancelled"],
    ]);
    await waitFor(() => expect(backend.callsOf("serviceUserEnable")).toEqual([["etl-bot"]]));
  });
});
