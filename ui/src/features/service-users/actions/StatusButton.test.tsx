import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { ServiceUserDrawer } from "../detail/ServiceUserDrawer";

async function open(backend = new FakeBackend()) {
  const r = renderWithProviders(<ServiceUserDrawer userId="etl-bot" onClose={() => {}} />, { backend });
  await screen.findByRole("heading", { name: "ETL bot" });
  r.queryClient.setQueryData(["usersPage", { kind: "service" }], { users: [], offset: 0, hasMore: false });
  return r;
}

describe("Enable / Disable", { timeout: 30_000 }, () => {
  test("disable asks first, naming the environment; then the status follows", async () => {
    const { user, backend, queryClient } = await open();
    await user.click(screen.getByRole("button", { name: "Disable" }));
    const dialog = await screen.findByRole("dialog", { name: "Disable etl-bot?" });
    expect(within(dialog).getByText("demo")).toBeInTheDocument();
    expect(within(dialog).queryByRole("textbox")).toBeNull();
    await user.click(within(dialog).getByRole("button", { name: "Disable etl-bot" }));
    await waitFor(() => expect(screen.getByLabelText("status")).toHaveTextContent("disabled"));
    expect(backend.callsOf("serviceUserDisable")).toEqual([["etl-bot"]]);
    expect(queryClient.getQueryState(["usersPage", { kind: "service" }])?.isInvalidated).toBe(true);
    expect(screen.getByRole("button", { name: "Assume" })).toHaveAttribute("aria-disabled", "true");

    await user.click(screen.getByRole("button", { name: "Enable" }));
    const enable = await screen.findByRole("dialog", { name: "Enable etl-bot?" });
    await user.click(within(enable).getByRole("button", { name: "Enable etl-bot" }));
    await waitFor(() => expect(screen.getByLabelText("status")).toHaveTextContent("enabled"));
  });

  test("cancel changes nothing", async () => {
    const { user, backend } = await open();
    await user.click(screen.getByRole("button", { name: "Disable" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Disable etl-bot?" })).getByRole("button", {
        name: "Cancel",
      }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Disable etl-bot?" })).toBeNull());
    expect(backend.callsOf("serviceUserDisable")).toEqual([]);
  });

  test("production: disabling asks for the service user's id", async () => {
    const { user, backend } = await open(scenarios.production());
    await user.click(screen.getByRole("button", { name: "Disable" }));
    const dialog = await screen.findByRole("dialog", { name: "Disable etl-bot?" });
    expect(within(dialog).getByText("prod-eu (production)")).toBeInTheDocument();
    const confirm = within(dialog).getByRole("button", { name: "Disable etl-bot" });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }), "report-bot");
    expect(confirm).toBeDisabled();
    await user.clear(within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }));
    await user.type(
      within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }),
      "etl-bot{Enter}",
    );
    await waitFor(() => expect(backend.callsOf("serviceUserDisable")).toEqual([["etl-bot"]]));
  });

  test("a refusal: the server's message as a toast, the dialog stays", async () => {
    const { user } = await open(
      new FakeBackend().failWith("serviceUserDisable", "NO_ACCESS_TO_SERVICE_USER"),
    );
    await user.click(screen.getByRole("button", { name: "Disable" }));
    const dialog = await screen.findByRole("dialog", { name: "Disable etl-bot?" });
    await user.click(within(dialog).getByRole("button", { name: "Disable etl-bot" }));
    expect(await screen.findByText(/You do not have access to this service user/)).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Disable etl-bot?" })).toBeInTheDocument();
  });
});
