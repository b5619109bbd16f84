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
    expect(await screen.findByText(/The access token stays valid on the server/)).toBeInTheDocument();
  });

  test("signing out of a session offline warns that it stays valid on the server", async () => {
    const backend = new FakeBackend();
    backend.data.auth = "session";
    backend.data.sessionExpiresAt = "2026-12-08T01:00:00+00:00";
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    backend.data.online = false;
    await user.click(screen.getByRole("button", { name: "Sign out of demo" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign out?" });
    await user.click(within(dialog).getByRole("button", { name: "Sign out" }));
    expect(await screen.findByText("Signed out on this computer only")).toBeInTheDocument();
    expect(
      screen.getByText(
        /could not be ended on the server .*stays valid there until 2026-12-08T01:00:00\+00:00/,
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(row("demo")).toHaveTextContent("not signed in"));
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

  test("edits an environment: URL path, colour, production, default role persist", async () => {
    const backend = twoEnvironments();
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(within(row("demo")).getByRole("button", { name: "Edit demo" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit demo" });
    expect(within(dialog).getByRole("textbox", { name: /^Name/ })).toHaveAttribute("readonly");
    const url = within(dialog).getByRole("textbox", { name: /^Base URL/ });
    expect(url).toHaveValue("https://demo.example.test");
    await user.type(url, "/api");
    // Same server: no sign-out ahead.
    expect(within(dialog).queryByRole("note", { name: "Another server" })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "teal" }));
    const role = within(dialog).getByRole("textbox", { name: /^Default role/ });
    await user.clear(role);
    await user.type(role, "role-data-engineers");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.callsOf("environmentEdit")).toEqual([
      [
        "demo",
        {
          baseUrl: "https://demo.example.test/api",
          colour: "teal",
          production: false,
          defaultRole: "role-data-engineers",
        },
      ],
    ]);
    expect(await screen.findByText("Saved demo.")).toBeInTheDocument();
    await waitFor(() => expect(row("demo")).toHaveTextContent("https://demo.example.test/api"));
    expect(row("demo")).toHaveTextContent("alice");

    await user.click(within(row("demo")).getByRole("button", { name: "Edit demo" }));
    const again = await screen.findByRole("dialog", { name: "Edit demo" });
    expect(within(again).getByRole("button", { name: "teal" })).toHaveAttribute("aria-pressed", "true");
    expect(within(again).getByRole("textbox", { name: /^Default role/ })).toHaveValue("role-data-engineers");
  });

  test("another server: the form warns, and saving signs the environment out", async () => {
    const backend = twoEnvironments();
    const { user } = renderWithProviders(<EnvironmentsPage />, { backend });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(within(row("demo")).getByRole("button", { name: "Edit demo" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit demo" });
    const url = within(dialog).getByRole("textbox", { name: /^Base URL/ });
    await user.clear(url);
    await user.type(url, "https://elsewhere.example.test");
    expect(within(dialog).getByRole("note", { name: "Another server" })).toHaveTextContent(
      "Saving signs you out of demo",
    );
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(
      await screen.findByText(/demo now points to another server, so it was signed out/),
    ).toBeInTheDocument();
    expect(backend.currentEnv()?.signedIn).toBe(false);
  });

  test("a bad URL is refused in the form with the app core's message", async () => {
    const { user, backend } = renderWithProviders(<EnvironmentsPage />, { backend: twoEnvironments() });
    await screen.findByRole("table", { name: "Environments" });
    await user.click(within(row("prod-eu")).getByRole("button", { name: "Edit prod-eu" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit prod-eu" });
    const url = within(dialog).getByRole("textbox", { name: /^Base URL/ });
    await user.clear(url);
    await user.type(url, "prod.example.com");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("'prod.example.com' is not a URL");
    expect(backend.data.environments[1].baseUrl).toBe("https://amorphic.example.com");
  });
});
