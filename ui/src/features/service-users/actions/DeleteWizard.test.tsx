import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { DeleteWizard } from "./DeleteWizard";

// The wizard alone (the drawer's Delete… button opens it; see ServiceUserDrawer.test.tsx).
async function openWizard(backend = new FakeBackend(), userId = "etl-bot") {
  const onClose = vi.fn();
  const onDeleted = vi.fn();
  const { user: su } = await backend.userGet(userId);
  const r = renderWithProviders(<DeleteWizard user={su} opened onClose={onClose} onDeleted={onDeleted} />, {
    backend,
  });
  r.queryClient.setQueryData(["usersPage", { kind: "service" }], { users: [], offset: 0, hasMore: false });
  const dialog = await screen.findByRole("dialog", { name: `Delete ${userId}` });
  return { ...r, dialog, onClose: onDeleted };
}

function disabledEtl(): FakeBackend {
  const backend = new FakeBackend();
  const etl = backend.data.users.find((u) => u.userId === "etl-bot");
  if (etl) etl.enabled = false;
  return backend;
}

describe("Delete wizard", { timeout: 30_000 }, () => {
  test("enabled: disable first -> transfer user -> resources -> confirm -> what moved", async () => {
    const { user, dialog, backend, onClose, queryClient } = await openWizard();
    expect(within(dialog).getByText(/must be disabled before it can be deleted/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Disable etl-bot" }));

    // Transfer: enabled regular users only (dave is disabled; no service user).
    const group = await within(dialog).findByRole("radiogroup", { name: "Transfer to" });
    const choices = within(group)
      .getAllByRole("radio")
      .map((r) => r.getAttribute("value"));
    expect(choices).toEqual(["alice", "bob", "carol"]);
    expect(backend.callsOf("usersPage").at(-1)?.[0]).toMatchObject({ kind: "regular", status: "enabled" });
    expect(within(dialog).getByRole("button", { name: "Next" })).toBeDisabled();
    await user.click(within(group).getByRole("radio", { name: "Bob Builder (bob)" }));
    await user.click(within(dialog).getByRole("button", { name: "Next" }));

    const moving = await within(dialog).findByRole("table", { name: "Resources that will move" });
    expect(moving).toHaveTextContent("orders-jdbc");
    expect(moving).toHaveTextContent("clickstream-s3");
    expect(within(dialog).getByText(/These 2 resources will move to bob/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Next" }));

    expect(within(dialog).getByText("demo")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Delete etl-bot" }));
    const done = await within(dialog).findByRole("table", { name: "Moved resources" });
    expect(done).toHaveTextContent("orders-jdbc");
    expect(within(dialog).getByText("2 resources moved to bob.")).toBeInTheDocument();
    expect(backend.callsOf("serviceUserDelete")).toEqual([["etl-bot", "bob"]]);
    expect(backend.data.datasources.filter((d) => d.owner === "bob").map((d) => d.datasourceId)).toEqual([
      "ds-orders",
      "ds-clicks",
    ]);
    expect(queryClient.getQueryState(["usersPage", { kind: "service" }])?.isInvalidated).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(onClose).toHaveBeenCalled();
  });

  test("already disabled: starts at the transfer user", async () => {
    const { dialog } = await openWizard(disabledEtl());
    expect(await within(dialog).findByRole("radiogroup", { name: "Transfer to" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Disable etl-bot" })).toBeNull();
  });

  test("MUST_DISABLE_FIRST from the server: back to the first step, with its message", async () => {
    // The window thought it was disabled (stale cache); the server knows better.
    const backend = disabledEtl().failWith("serviceUserDelete", "MUST_DISABLE_FIRST");
    const { user, dialog } = await openWizard(backend);
    await user.click(await within(dialog).findByRole("radio", { name: "Alice Admin (alice)" }));
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await within(dialog).findByRole("table", { name: "Resources that will move" });
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await user.click(within(dialog).getByRole("button", { name: "Delete etl-bot" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Disable the service user before deleting it.");
    expect(within(dialog).getByRole("button", { name: "Disable etl-bot" })).toBeInTheDocument();
  });

  test("INVALID_TRANSFER_USER: back to the transfer user, with the server's message", async () => {
    const backend = disabledEtl().failWith("serviceUserDelete", "INVALID_TRANSFER_USER", { times: 1 });
    const { user, dialog } = await openWizard(backend);
    await user.click(await within(dialog).findByRole("radio", { name: "Carol Analyst (carol)" }));
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await within(dialog).findByRole("table", { name: "Resources that will move" });
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await user.click(within(dialog).getByRole("button", { name: "Delete etl-bot" }));
    expect(
      await within(dialog).findByText("The transfer user must be an existing, enabled regular user."),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole("radiogroup", { name: "Transfer to" })).toBeInTheDocument();
  });

  test("production: the last step asks for the service user's id", async () => {
    const backend = scenarios.production();
    const etl = backend.data.users.find((u) => u.userId === "report-bot");
    if (etl) etl.enabled = false;
    const { user, dialog } = await openWizard(backend, "report-bot");
    await user.click(await within(dialog).findByRole("radio", { name: "Alice Admin (alice)" }));
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    expect(
      await within(dialog).findByText(/report-bot owns nothing: nothing will move to alice/),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    expect(within(dialog).getByText("prod-eu (production)")).toBeInTheDocument();
    const del = within(dialog).getByRole("button", { name: "Delete report-bot" });
    expect(del).toBeDisabled();
    await user.type(
      within(dialog).getByRole("textbox", { name: "Type report-bot to confirm" }),
      "report-bot",
    );
    await user.click(del);
    expect(
      await within(dialog).findByText(/It owned nothing, so nothing moved to alice/),
    ).toBeInTheDocument();
  });

  test("offline: deleting fails with the offline message as a toast", async () => {
    const backend = disabledEtl().failWith("serviceUserDelete", "offline");
    const { user, dialog } = await openWizard(backend);
    await user.click(await within(dialog).findByRole("radio", { name: "Bob Builder (bob)" }));
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await within(dialog).findByRole("table", { name: "Resources that will move" });
    await user.click(within(dialog).getByRole("button", { name: "Next" }));
    await user.click(within(dialog).getByRole("button", { name: "Delete etl-bot" }));
    await waitFor(() => expect(screen.getByText(/cannot reach the server/)).toBeInTheDocument());
  });
});
