import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { ActingAsPage } from "./ActingAsPage";

const tokenRows = () =>
  within(screen.getByRole("table", { name: "Access tokens" }))
    .getAllByRole("row")
    .map((r) => r.getAttribute("data-token-id"))
    .filter(Boolean);

describe("ActingAsPage", () => {
  test("acting as yourself: says how to act as a service user", async () => {
    renderWithProviders(<ActingAsPage />, { backend: scenarios.signedIn() });
    expect(await screen.findByText("You act as yourself")).toBeInTheDocument();
  });

  test("creates a datasource as the service user and lists it", async () => {
    const { user, backend } = renderWithProviders(<ActingAsPage />, { backend: scenarios.actingAs() });
    expect(await screen.findByRole("heading", { name: "Acting as etl-bot" })).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "Datasources" });
    expect(within(table).getByText("clickstream-s3")).toBeInTheDocument();

    await user.type(screen.getByRole("textbox", { name: /^Datasource name/ }), "sales-raw");
    await user.click(screen.getByRole("button", { name: "Create datasource" }));
    expect(await within(table).findByText("sales-raw")).toBeInTheDocument();
    expect(backend.callsOf("datasourceCreateAs")).toEqual([["etl-bot", "sales-raw", "s3"]]);
    expect(screen.getByRole("textbox", { name: /^Datasource name/ })).toHaveValue("");
  });

  test("a refused datasource shows the server's message in a toast", async () => {
    const backend = scenarios.actingAs().failWith("datasourceCreateAs", "FORBIDDEN");
    const { user } = renderWithProviders(<ActingAsPage />, { backend });
    await user.type(await screen.findByRole("textbox", { name: /^Datasource name/ }), "x");
    await user.click(screen.getByRole("button", { name: "Create datasource" }));
    expect(await screen.findByText("Your active role does not allow this.")).toBeInTheDocument();
  });

  test("an expired token: the lists say why in place", async () => {
    const backend = scenarios.actingAs();
    backend.data.identities[0].expiresAt = new Date(Date.now() - 1000).toISOString();
    renderWithProviders(<ActingAsPage />, { backend });
    expect(await screen.findByRole("alert", { name: /The token expired/ })).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByText(/the assumed token of 'etl-bot' expired/)).toHaveLength(2),
    );
  });

  test("a new token's secret is shown once, copied through Rust, and gone after closing", async () => {
    const { user, backend, queryClient } = renderWithProviders(<ActingAsPage />, {
      backend: scenarios.actingAs(),
    });
    await screen.findByRole("table", { name: "Access tokens" });
    expect(tokenRows()).toEqual(["tok-etl-nightly"]);

    await user.click(screen.getByRole("button", { name: "New access token" }));
    const form = await screen.findByRole("dialog", { name: "New access token for etl-bot" });
    await user.type(within(form).getByRole("textbox", { name: /^Token name/ }), "ci");
    await user.type(within(form).getByRole("textbox", { name: /^Description/ }), "CI pipeline");
    await user.clear(within(form).getByRole("textbox", { name: /^Expires in/ }));
    await user.type(within(form).getByRole("textbox", { name: /^Expires in/ }), "7");
    await user.click(within(form).getByRole("button", { name: "Create token" }));

    const dialog = await screen.findByRole("dialog", { name: "Access token created" });
    const box = within(dialog).getByRole("region", { name: "New token secret" });
    const secret = box.textContent ?? "";
    expect(secret).toMatch(/^amo_pat_/);
    expect(dialog).toHaveTextContent("it is shown only once");
    const [[, input]] = backend.callsOf("accessTokenCreateAs");
    expect(input).toEqual({
      name: "ci",
      description: "CI pipeline",
      roleId: "role-data-engineers",
      expiresInDays: 7,
    });

    await user.click(within(dialog).getByRole("button", { name: "Copy" }));
    expect(
      await within(dialog).findByText("Copied. The clipboard is cleared after a minute."),
    ).toBeInTheDocument();
    expect(backend.callsOf("clipboardCopySecret")).toEqual([[secret]]);

    // Closing asks first; going back shows the secret again.
    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(await within(dialog).findByText("Copied it?")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Back to the secret" }));
    expect(within(dialog).getByRole("region", { name: "New token secret" })).toHaveTextContent(secret);
    await user.keyboard("{Escape}");
    expect(await within(dialog).findByText("Copied it?")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Yes, close" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByText(secret)).not.toBeInTheDocument();
    // No cache keeps it: the mutations that carried it are dropped, no query ever held it.
    const cached = () =>
      JSON.stringify([
        queryClient
          .getMutationCache()
          .getAll()
          .map((m) => m.state),
        queryClient
          .getQueryCache()
          .getAll()
          .map((q) => q.state.data),
      ]);
    await waitFor(() => expect(cached()).not.toContain(secret));
    await waitFor(() => expect(tokenRows()).toHaveLength(2));
    expect(screen.getByRole("table", { name: "Access tokens" })).toHaveTextContent("CI pipeline");

    // Opening the dialog again starts from an empty form: the secret is gone for good.
    await user.click(screen.getByRole("button", { name: "New access token" }));
    const again = await screen.findByRole("dialog", { name: "New access token for etl-bot" });
    expect(within(again).getByRole("textbox", { name: /^Token name/ })).toHaveValue("");
    expect(document.body.textContent).not.toContain(secret);
  });

  test("closing without copying warns that the secret cannot be shown again", async () => {
    const { user } = renderWithProviders(<ActingAsPage />, { backend: scenarios.actingAs() });
    await user.click(await screen.findByRole("button", { name: "New access token" }));
    await user.type(await screen.findByRole("textbox", { name: /^Token name/ }), "ci");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    await user.click(await screen.findByRole("button", { name: "Done" }));
    expect(await screen.findByText(/You have not copied the secret/)).toBeInTheDocument();
  });

  test("a refused token shows the server's message in the form", async () => {
    const backend = scenarios.actingAs().failWith("accessTokenCreateAs", "INVALID_EXPIRY");
    const { user } = renderWithProviders(<ActingAsPage />, { backend });
    await user.click(await screen.findByRole("button", { name: "New access token" }));
    await user.type(await screen.findByRole("textbox", { name: /^Token name/ }), "ci");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The expiry is out of range");
    expect(screen.getByRole("dialog", { name: "New access token for etl-bot" })).toBeInTheDocument();
  });

  test("deletes a token after confirming", async () => {
    const { user, backend } = renderWithProviders(<ActingAsPage />, { backend: scenarios.actingAs() });
    await user.click(await screen.findByRole("button", { name: "Delete token nightly-loader" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete the access token nightly-loader?" });
    expect(dialog).toHaveTextContent("Environment:demo");
    await user.click(within(dialog).getByRole("button", { name: "Delete token" }));
    expect(await screen.findByText("No access tokens")).toBeInTheDocument();
    expect(backend.callsOf("accessTokenDeleteAs")).toEqual([["etl-bot", "tok-etl-nightly"]]);
  });
});
