import { screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, test } from "vitest";
import type { UserView } from "../../../gen/bindings";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { AssumeDialog } from "./AssumeDialog";

// The dialog alone (the drawer's Assume button opens it; see ServiceUserDrawer.test.tsx).
function Harness({ su }: { su: UserView }) {
  const [opened, setOpened] = useState(true);
  return <AssumeDialog user={su} opened={opened} onClose={() => setOpened(false)} />;
}

async function openAssume(backend = new FakeBackend()) {
  const { user: su } = await backend.userGet("etl-bot");
  const r = renderWithProviders(<Harness su={su} />, { backend });
  const dialog = await screen.findByRole("dialog", { name: "Assume etl-bot" });
  return { ...r, dialog };
}

describe("Assume dialog", { timeout: 30_000 }, () => {
  test("presets: the default role and 60 minutes; the shortcuts set the length", async () => {
    const { user, dialog } = await openAssume();
    // The role's name joins its id once the roles have loaded.
    await waitFor(() =>
      expect(within(dialog).getByRole("combobox", { name: "Role" })).toHaveValue(
        "SystemRole-DefaultUsers (Default users)",
      ),
    );
    const minutes = within(dialog).getByRole("textbox", { name: "Expiry (minutes)" });
    expect(minutes).toHaveValue("60");
    expect(within(dialog).getByRole("button", { name: "60 min" })).toHaveAttribute("aria-pressed", "true");
    await user.click(within(dialog).getByRole("button", { name: "15 min" }));
    expect(minutes).toHaveValue("15");
    expect(within(dialog).getByRole("button", { name: "15 min" })).toHaveAttribute("aria-pressed", "true");
    await user.click(within(dialog).getByRole("button", { name: "180 min" }));
    expect(minutes).toHaveValue("180");
  });

  test("assumes with the chosen role and length", async () => {
    const { user, dialog, backend, queryClient } = await openAssume();
    queryClient.setQueryData(["identitiesList"], []);
    await user.click(within(dialog).getByRole("combobox", { name: "Role" }));
    await user.click(await screen.findByRole("option", { name: "role-data-engineers (Data engineers)" }));
    await user.click(within(dialog).getByRole("button", { name: "15 min" }));
    await user.click(within(dialog).getByRole("button", { name: "Assume" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Assume etl-bot" })).toBeNull());
    expect(backend.callsOf("assume")).toEqual([["etl-bot", "role-data-engineers", 15]]);
    expect(await screen.findByText(/Acting as etl-bot with Data engineers until/)).toBeInTheDocument();
    expect(queryClient.getQueryState(["identitiesList"])?.isInvalidated).toBe(true);
    expect(backend.data.activeIdentity).toBe("etl-bot");
  });

  test("the length must be 1-180 whole minutes before anything is sent", async () => {
    const { user, dialog, backend } = await openAssume();
    const minutes = within(dialog).getByRole("textbox", { name: "Expiry (minutes)" });
    await user.clear(minutes);
    await user.type(minutes, "181");
    await user.click(within(dialog).getByRole("button", { name: "Assume" }));
    expect(within(dialog).getByText("A whole number of minutes from 1 to 180")).toBeInTheDocument();
    await user.clear(minutes);
    await user.click(within(dialog).getByRole("button", { name: "Assume" }));
    expect(within(dialog).getByText("A whole number of minutes from 1 to 180")).toBeInTheDocument();
    expect(backend.callsOf("assume")).toEqual([]);
  });

  test("INVALID_EXPIRY from the server: its message next to the length", async () => {
    const { user, dialog } = await openAssume(new FakeBackend().failWith("assume", "INVALID_EXPIRY"));
    await user.click(within(dialog).getByRole("button", { name: "Assume" }));
    expect(await within(dialog).findByText(/The expiry is out of range/)).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: "Expiry (minutes)" })).toHaveAttribute(
      "aria-invalid",
      "true",
    );
  });

  test("offline: a toast with the server's message; the dialog stays", async () => {
    const { user, dialog } = await openAssume(new FakeBackend().failWith("assume", "offline"));
    await user.click(within(dialog).getByRole("button", { name: "Assume" }));
    expect(await screen.findByText(/cannot reach the server/)).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "Assume etl-bot" })).toBeInTheDocument();
  });
});
