import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../test/fake";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { EnvironmentsPage } from "./EnvironmentsPage";

/** demo (current, signed in) and prod-eu (production, not signed in). */
function twoEnvironments(): FakeBackend {
  const backend = new FakeBackend();
  backend.data.environments.push({
    name: "prod-eu",
    baseUrl: "https://amorphic.example.com",
    colour: null,
    production: true,
    userId: null,
    defaultRole: null,
    signedIn: false,
  });
  return backend;
}

const row = (name: string) => {
  const r = screen.getAllByRole("row").find((tr) => tr.getAttribute("data-environment") === name);
  if (!r) throw new Error(`no row for ${name}`);
  return r;
};

describe("EnvironmentsPage", () => {
  test("lists the environments: current, production in words, who is signed in", async () => {
    renderWithProviders(<EnvironmentsPage />, { backend: twoEnvironments() });
    await screen.findByRole("table", { name: "Environments" });
    expect(row("demo")).toHaveTextContent("current");
    expect(row("demo")).toHaveTextContent("alice");
    expect(row("prod-eu")).toHaveTextContent("prod-eu (production)");
    expect(row("prod-eu")).toHaveTextContent("not signed in");
    expect(within(row("demo")).queryByRole("button", { name: "Use demo" })).not.toBeInTheDocument();
  });

  test("adds a production environment (red, no colour choice)", async () => {
    const { user, backend } = renderWithProviders(<EnvironmentsPage />);
    await user.click(await screen.findByRole("button", { name: "Add environment" }));
    const dialog = await screen.findByRole("dialog", { name: "Add environment" });
    await user.type(within(dialog).getByRole("textbox", { name: /^Name/ }), "prod");
    await user.click(within(dialog).getByRole("textbox", { name: /^Base URL/ }));
    await user.paste("https://prod.example.test");
    await user.click(within(dialog).getByRole("switch", { name: /Production environment/ }));
    expect(within(dialog).getByText("Production environments are always red.")).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "teal" })).not.toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox", { name: /^Default role/ }), "SystemRole-SuperAdmin");
    await user.click(within(dialog).getByRole("button", { name: "Add environment" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.callsOf("environmentAdd")).toEqual([
      [
        {
          name: "prod",
          baseUrl: "https://prod.example.test",
          colour: null,
          production: true,
          defaultRole: "SystemRole-SuperAdmin",
        },
      ],
    ]);
    expect(await screen.findByText("prod (production)")).toBeInTheDocument();
  });

  test("switches to another environment", async () => {
    const backend = twoEnvironments();
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(within(row("prod-eu")).getByRole("button", { name: "Use prod-eu" }));
    await waitFor(() => expect(row("prod-eu")).toHaveTextContent("current"));
    expect(backend.callsOf("environmentUse")).toEqual([["prod-eu"]]);
  });

  test("signs in to another environment from its row", async () => {
    const backend = twoEnvironments();
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(within(row("prod-eu")).getByRole("button", { name: "Sign in to prod-eu" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign in to prod-eu" });
    await user.click(within(dialog).getByLabelText(/^Personal access token/));
    await user.paste("amo_pat_alice_superadmin_demo_0000");
    await user.click(within(dialog).getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.data.currentEnvironment).toBe("prod-eu");
    await waitFor(() => expect(row("prod-eu")).toHaveTextContent("alice"));
  });

  test("signs out after confirming", async () => {
    const { user, backend } = renderWithProviders(<EnvironmentsPage />);
    await screen.findByRole("table", { name: "Environments" });
    await user.click(screen.getByRole("button", { name: "Sign out of demo" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out?" });
    expect(dialog).toHaveTextContent("Environment:demo");
    await user.click(within(dialog).getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(row("demo")).toHaveTextContent("not signed in"));
    expect(backend.callsOf("signOut")).toEqual([[]]);
  });

  test("removing a production environment asks for its name", async () => {
    const backend = twoEnvironments();
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(screen.getByRole("button", { name: "Remove prod-eu" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove prod-eu?" });
    const remove = within(dialog).getByRole("button", { name: "Remove" });
    expect(remove).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type prod-eu to confirm" }), "prod-eu");
    await user.click(remove);
    await waitFor(() => expect(screen.queryByText("prod-eu (production)")).not.toBeInTheDocument());
    expect(backend.callsOf("environmentRemove")).toEqual([["prod-eu"]]);
  });

  test("removing another environment needs only the confirmation", async () => {
    const { user, backend } = renderWithProviders(<EnvironmentsPage />);
    await screen.findByRole("table", { name: "Environments" });
    await user.click(screen.getByRole("button", { name: "Remove demo" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove demo?" });
    await user.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(await screen.findByText("No environment yet")).toBeInTheDocument();
    expect(backend.callsOf("environmentRemove")).toEqual([["demo"]]);
  });

  test("an error listing them shows in place", async () => {
    const backend = scenarios.signedIn().failWith("environmentsList", "config_error", {
      message: "the configuration failed: bad TOML",
    });
    renderWithProviders(<EnvironmentsPage />, { backend });
    expect(await screen.findByRole("alert")).toHaveTextContent("the configuration failed: bad TOML");
  });
});
