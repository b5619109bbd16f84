import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../test/fake";
import { renderWithProviders } from "../test/render";
import { scenarios } from "../test/scenarios";
import { TopBar } from "./TopBar";

describe("TopBar", () => {
  test("signed in: the environment, who is signed in with which role, no banner, no identity", async () => {
    renderWithProviders(<TopBar />);
    // The role's name, once the roles have loaded.
    await waitFor(() =>
      expect(screen.getByLabelText("signed in as")).toHaveTextContent(/^alice as Super admin$/),
    );
    expect(screen.getByRole("button", { name: /switch environment/ })).toHaveTextContent(/^demo$/);
    expect(screen.queryByRole("note", { name: "Production environment" })).not.toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Identity" })).not.toBeInTheDocument();
  });

  test("production: red switcher named as such, and a red banner under the bar", async () => {
    renderWithProviders(<TopBar />, { backend: scenarios.production() });
    const banner = await screen.findByRole("note", { name: "Production environment" });
    expect(banner).toHaveTextContent("Production: prod-eu. Changes here affect real users and data.");
    const env = screen.getByRole("button", { name: /switch environment/ });
    expect(env).toHaveTextContent(/^prod-eu \(production\)$/);
    expect(env.style.getPropertyValue("--button-bg")).toContain("red");
  });

  test("an environment's own colour colours the switcher", async () => {
    const backend = new FakeBackend();
    backend.data.environments[0].colour = "teal";
    renderWithProviders(<TopBar />, { backend });
    await screen.findByLabelText("signed in as");
    expect(
      screen.getByRole("button", { name: /switch environment/ }).style.getPropertyValue("--button-bg"),
    ).toContain("teal");
  });

  test("the switcher changes the environment", async () => {
    const backend = new FakeBackend();
    backend.data.environments.push({
      name: "staging",
      baseUrl: "https://staging.example.test",
      colour: "grape",
      production: false,
      userId: "alice",
      defaultRole: null,
      signedIn: true,
    });
    const { user } = renderWithProviders(<TopBar />, { backend });
    await user.click(await screen.findByRole("button", { name: /switch environment/ }));
    const menu = await screen.findByRole("menu");
    expect(within(menu).getByRole("menuitem", { name: /demo \(current\)/ })).toBeDisabled();
    await user.click(within(menu).getByRole("menuitem", { name: /staging/ }));
    await waitFor(() =>
      expect(screen.getByRole("button", { name: /switch environment/ })).toHaveTextContent("staging"),
    );
    expect(backend.callsOf("environmentUse")).toEqual([["staging"]]);
  });

  test("not signed in: says so", async () => {
    renderWithProviders(<TopBar />, { backend: scenarios.signedOut() });
    expect(await screen.findByText("Not signed in")).toBeInTheDocument();
    expect(screen.queryByLabelText("signed in as")).not.toBeInTheDocument();
  });
});
