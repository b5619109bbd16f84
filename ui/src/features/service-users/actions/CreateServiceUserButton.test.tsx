import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { CreateServiceUserButton } from "./CreateServiceUserButton";

const LIST_KEY = ["usersPage", { kind: "service" }];

async function openDialog(backend = new FakeBackend()) {
  const r = renderWithProviders(<CreateServiceUserButton />, { backend });
  r.queryClient.setQueryData(LIST_KEY, { users: [], offset: 0, hasMore: false, asOf: null });
  r.queryClient.setQueryData(["usersCount", { kind: "service" }], 3);
  const button = await screen.findByRole("button", { name: "New service user" });
  await waitFor(() => expect(button).not.toHaveAttribute("aria-disabled"));
  await r.user.click(button);
  const dialog = await screen.findByRole("dialog", { name: "New service user" });
  return { ...r, dialog };
}

describe("Create a service user", { timeout: 30_000 }, () => {
  test("without a super-admin role the button is disabled and says why", async () => {
    renderWithProviders(<CreateServiceUserButton />, { backend: scenarios.notSuperAdmin() });
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "New service user" })).toHaveAccessibleDescription(
        "Only a super-admin role can create service users. Switch role in the top bar.",
      ),
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "New service user" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  test("the form mirrors the server's rules before sending anything", async () => {
    const { user, dialog, backend } = await openDialog();
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(within(dialog).getByText("Enter an id")).toBeInTheDocument();
    expect(within(dialog).getByText("Enter a display name")).toBeInTheDocument();
    const id = within(dialog).getByRole("textbox", { name: "User id" });
    await user.type(id, "ab");
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(within(dialog).getByText("The id must be 3-64 characters long")).toBeInTheDocument();
    await user.clear(id);
    await user.type(id, "bad id!");
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(
      within(dialog).getByText("Use only letters, digits, dot, underscore and hyphen"),
    ).toBeInTheDocument();
    await user.clear(id);
    await user.click(id);
    await user.paste("x".repeat(65));
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(within(dialog).getByText("The id must be 3-64 characters long")).toBeInTheDocument();
    expect(backend.callsOf("serviceUserCreate")).toEqual([]);
  });

  test("creates with the roles picked from the admin's own, then refreshes the list", async () => {
    const { user, dialog, backend, queryClient } = await openDialog();
    await user.type(within(dialog).getByRole("textbox", { name: "User id" }), "ml-bot");
    await user.type(within(dialog).getByRole("textbox", { name: "Display name" }), "ML bot");
    await user.type(within(dialog).getByRole("textbox", { name: "Description" }), "Trains models");
    await user.click(within(dialog).getByRole("combobox", { name: "Roles" }));
    const options = (await screen.findAllByRole("option")).map((o) => o.textContent);
    expect(options).toEqual([
      "SystemRole-SuperAdmin (Super admin)",
      "SystemRole-SystemAdministrators (System administrators)",
      "role-data-engineers (Data engineers)",
    ]);
    await user.click(screen.getByRole("option", { name: /role-data-engineers/ }));
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "New service user" })).toBeNull());
    expect(backend.callsOf("serviceUserCreate")).toEqual([
      [
        {
          userId: "ml-bot",
          displayName: "ML bot",
          description: "Trains models",
          roles: ["role-data-engineers"],
        },
      ],
    ]);
    expect(
      await screen.findByText(/ml-bot was created with Default users, Data engineers/),
    ).toBeInTheDocument();
    expect(queryClient.getQueryState(LIST_KEY)?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(["usersCount", { kind: "service" }])?.isInvalidated).toBe(true);
  });

  test("an id taken (ignoring case): the server's message next to the field", async () => {
    const { user, dialog } = await openDialog();
    await user.type(within(dialog).getByRole("textbox", { name: "User id" }), "ETL-bot");
    await user.type(within(dialog).getByRole("textbox", { name: "Display name" }), "Copy");
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(
      await within(dialog).findByText("A user with this id (ignoring case) already exists; pick another id."),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: "User id" })).toHaveAttribute("aria-invalid", "true");
  });

  test("offline: the button says why; a request that fails offline becomes a toast", async () => {
    renderWithProviders(<CreateServiceUserButton />, { backend: scenarios.offline() });
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "New service user" })).toHaveAccessibleDescription(/Offline/),
    );
  });

  test("a create that fails offline shows the offline toast and keeps the form", async () => {
    const { user, dialog } = await openDialog(new FakeBackend().failWith("serviceUserCreate", "offline"));
    await user.type(within(dialog).getByRole("textbox", { name: "User id" }), "ml-bot");
    await user.type(within(dialog).getByRole("textbox", { name: "Display name" }), "ML bot");
    await user.click(within(dialog).getByRole("button", { name: "Create" }));
    const toast = await screen.findByText(/cannot reach the server/);
    expect(toast.closest("[data-error-code]")).toHaveAttribute("data-error-code", "offline");
    expect(within(dialog).getByRole("textbox", { name: "User id" })).toHaveValue("ml-bot");
  });
});
