import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { TopBar } from "../../components/TopBar";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { CreateServiceUserButton } from "../service-users/actions/CreateServiceUserButton";

const who = () => screen.getByLabelText("signed in as");

async function openRoleMenu(backend = scenarios.defaultRoleSession()) {
  const r = renderWithProviders(
    <>
      <TopBar />
      <CreateServiceUserButton />
    </>,
    { backend },
  );
  await waitFor(() => expect(who()).toHaveTextContent(/^alice as /));
  await r.user.click(within(who()).getByRole("button"));
  const menu = await screen.findByRole("menu");
  await waitFor(() => expect(roleItems(menu).length).toBeGreaterThan(0));
  return { ...r, menu };
}

/** The menu's role items (the other items: copy, sign in). */
const roleItems = (menu: HTMLElement) => [...menu.querySelectorAll<HTMLElement>("[data-role-id]")];

describe("RoleMenu", { timeout: 30_000 }, () => {
  test("lists your roles by name, the id on hover, the super-admin, default and active marked", async () => {
    const { menu } = await openRoleMenu();
    const items = roleItems(menu);
    expect(items.map((i) => i.textContent)).toEqual([
      "✓Default users (active)default",
      "Super adminsuper-admin",
      "System administrators",
      "Data engineers",
    ]);
    expect(items[0]).toHaveAccessibleName("Default users (active) default");
    expect(items[1]).toHaveAttribute("title", "SystemRole-SuperAdmin");
    expect(
      within(menu).getByRole("menuitem", { name: /Copy role id SystemRole-DefaultUsers/ }),
    ).toBeInTheDocument();
  });

  test("switching to the super-admin role enables create at once", async () => {
    const { user, menu, backend } = await openRoleMenu();
    const create = screen.getByRole("button", { name: "New service user" });
    await waitFor(() => expect(create).toHaveAttribute("aria-disabled", "true"));
    await user.click(within(menu).getByRole("menuitem", { name: /^Super admin/ }));
    await waitFor(() => expect(who()).toHaveTextContent(/^alice as Super admin$/));
    await waitFor(() => expect(create).not.toHaveAttribute("aria-disabled"));
    expect(backend.callsOf("roleUse")).toEqual([["SystemRole-SuperAdmin"]]);
    expect(backend.currentEnv()?.defaultRole).toBe("SystemRole-SuperAdmin");
    expect(await screen.findByText("You act with Super admin in demo.")).toBeInTheDocument();
  });

  test("a PAT is bound to its role: the menu says so and offers another credential", async () => {
    const { user, menu, backend } = await openRoleMenu(scenarios.patDefaultRole());
    expect(within(menu).getByTestId("role-bound")).toHaveTextContent(
      "You signed in with a personal access token, which is bound to its role (Default users). To act with another role, sign in with a password or with a token of that role.",
    );
    // Only the token's own role stands; the others cannot be chosen.
    expect(roleItems(menu).map((i) => i.hasAttribute("disabled"))).toEqual([false, true, true, true]);
    await user.click(within(menu).getByRole("menuitem", { name: "Sign in with another credential…" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign in to demo" });
    expect(within(dialog).getByRole("textbox", { name: "User id" })).toHaveValue("alice");
    expect(backend.callsOf("roleUse")).toEqual([]);
  });

  test("a refused switch says why in a toast", async () => {
    const backend = scenarios.defaultRoleSession().failWith("roleUse", "ROLE_NOT_ATTACHED", {
      message: "role 'SystemRole-SuperAdmin' is not attached to you; yours are SystemRole-DefaultUsers",
    });
    const { user, menu } = await openRoleMenu(backend);
    await user.click(within(menu).getByRole("menuitem", { name: /^Super admin/ }));
    expect(
      await screen.findByText(/role 'SystemRole-SuperAdmin' is not attached to you/),
    ).toBeInTheDocument();
    expect(screen.getByText("Could not switch role")).toBeInTheDocument();
    expect(who()).toHaveTextContent(/^alice as Default users$/);
  });
});
