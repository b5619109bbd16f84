import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { ServiceUserDrawer } from "./ServiceUserDrawer";

const LIST_KEY = ["usersPage", { kind: "service" }];

async function open(backend = new FakeBackend(), userId = "etl-bot") {
  const r = renderWithProviders(<ServiceUserDrawer userId={userId} onClose={() => {}} />, { backend });
  // A list page in the cache, to see the mutations make it stale.
  r.queryClient.setQueryData(LIST_KEY, { users: [], offset: 0, hasMore: false, asOf: null });
  const table = await screen.findByRole("table", { name: "Roles" });
  return { ...r, table };
}

const roleIds = (table: HTMLElement) =>
  within(table)
    .getAllByRole("row")
    .map((r) => r.getAttribute("data-role-id"))
    .filter(Boolean);

describe("Roles tab", { timeout: 30_000 }, () => {
  test("lists the roles with names; the default role cannot be detached and says why", async () => {
    const { table } = await open();
    expect(roleIds(table)).toEqual(["SystemRole-DefaultUsers", "role-data-engineers"]);
    await waitFor(() => expect(within(table).getByText("Data engineers")).toBeInTheDocument());
    const detachDefault = screen.getByRole("button", { name: "Detach SystemRole-DefaultUsers" });
    expect(detachDefault).toHaveAttribute("aria-disabled", "true");
    expect(detachDefault).toHaveAccessibleDescription(/default role: every service user keeps it/);
    expect(screen.getByRole("button", { name: "Detach role-data-engineers" })).not.toHaveAttribute(
      "aria-disabled",
    );
  });

  test("attach offers only roles the admin holds, then refreshes the user and the list", async () => {
    const { user, backend, queryClient } = await open();
    const attach = screen.getByRole("button", { name: "Attach role" });
    expect(attach).toHaveAccessibleDescription("Pick a role to attach first.");
    await user.click(screen.getByRole("combobox", { name: "Roles to attach" }));
    const options = (await screen.findAllByRole("option")).map((o) => o.textContent);
    // alice holds SuperAdmin, SystemAdministrators and data engineers (already attached); not analysts.
    expect(options).toEqual([
      "SystemRole-SuperAdmin (Super admin)",
      "SystemRole-SystemAdministrators (System administrators)",
    ]);
    await user.click(screen.getByRole("option", { name: /SystemRole-SystemAdministrators/ }));
    await user.click(screen.getByRole("button", { name: "Attach role" }));
    await waitFor(() =>
      expect(backend.callsOf("serviceUserAttachRoles")).toEqual([
        ["etl-bot", ["SystemRole-SystemAdministrators"]],
      ]),
    );
    expect(
      await screen.findByText("Attached SystemRole-SystemAdministrators to etl-bot."),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(roleIds(screen.getByRole("table", { name: "Roles" }))).toContain(
        "SystemRole-SystemAdministrators",
      ),
    );
    expect(queryClient.getQueryState(LIST_KEY)?.isInvalidated).toBe(true);
  });

  test("a role the admin does not hold cannot be detached, and says why", async () => {
    await open(new FakeBackend(), "report-bot");
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Detach role-analysts" })).toHaveAccessibleDescription(
        /You do not hold role-analysts/,
      ),
    );
  });

  test("detach asks first, naming the environment, then detaches", async () => {
    const { user, backend } = await open();
    await user.click(screen.getByRole("button", { name: "Detach role-data-engineers" }));
    const dialog = await screen.findByRole("dialog", { name: "Detach role-data-engineers?" });
    expect(within(dialog).getByText("demo")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.callsOf("serviceUserDetachRole")).toEqual([]);

    await user.click(screen.getByRole("button", { name: "Detach role-data-engineers" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Detach role-data-engineers?" })).getByRole("button", {
        name: "Detach role-data-engineers",
      }),
    );
    await waitFor(() =>
      expect(roleIds(screen.getByRole("table", { name: "Roles" }))).toEqual(["SystemRole-DefaultUsers"]),
    );
    expect(backend.callsOf("serviceUserDetachRole")).toEqual([["etl-bot", "role-data-engineers"]]);
  });

  test("in production, detaching asks for the service user's id", async () => {
    const { user, backend } = await open(scenarios.production());
    await user.click(screen.getByRole("button", { name: "Detach role-data-engineers" }));
    const dialog = await screen.findByRole("dialog", { name: "Detach role-data-engineers?" });
    expect(within(dialog).getByText("prod-eu (production)")).toBeInTheDocument();
    const confirm = within(dialog).getByRole("button", { name: "Detach role-data-engineers" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }), "etl-bo");
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }), "t");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    await waitFor(() => expect(backend.callsOf("serviceUserDetachRole")).toHaveLength(1));
  });

  test("a refusal shows the server's message as a toast that stays", async () => {
    const backend = new FakeBackend().failWith("serviceUserAttachRoles", "NO_ACCESS_TO_ROLE");
    const { user } = await open(backend);
    await user.click(screen.getByRole("combobox", { name: "Roles to attach" }));
    await user.click(await screen.findByRole("option", { name: /SystemRole-SuperAdmin/ }));
    await user.click(screen.getByRole("button", { name: "Attach role" }));
    expect(
      await screen.findByText("You can only attach or detach roles that are attached to you."),
    ).toBeInTheDocument();
  });

  test("offline: attaching fails with the offline message", async () => {
    const backend = new FakeBackend().failWith("serviceUserAttachRoles", "offline");
    const { user } = await open(backend);
    await user.click(screen.getByRole("combobox", { name: "Roles to attach" }));
    await user.click(await screen.findByRole("option", { name: /SystemRole-SuperAdmin/ }));
    await user.click(screen.getByRole("button", { name: "Attach role" }));
    const toast = await screen.findByText(/cannot reach the server/);
    expect(toast.closest("[data-error-code]")).toHaveAttribute("data-error-code", "offline");
  });
});
