import { screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, test } from "vitest";
import type { UserView } from "../../../gen/bindings";
import type { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { AssumeDialog } from "./AssumeDialog";

// The assume dialog against the session's end (the dialog's own behaviour: AssumeDialog.test.tsx).
function Harness({ su }: { su: UserView }) {
  const [opened, setOpened] = useState(true);
  return <AssumeDialog user={su} opened={opened} onClose={() => setOpened(false)} />;
}

async function openAssume(backend: FakeBackend) {
  const { user: su } = await backend.userGet("etl-bot");
  const r = renderWithProviders(<Harness su={su} />, { backend });
  const dialog = await screen.findByRole("dialog", { name: "Assume etl-bot" });
  return { ...r, dialog };
}

describe("Assume dialog and the session's end", { timeout: 30_000 }, () => {
  test("shows when the token ends, and warns when 180 minutes outlive a session ending sooner", async () => {
    const { user, dialog } = await openAssume(scenarios.passwordSession());
    expect(within(dialog).getByLabelText("token end")).toHaveTextContent(
      /^The token ends at .+\(in 1 hr\.?\)\.$/,
    );
    // The session ends in 42 minutes: the preset 60 outlive it, 15 do not.
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Your session ends first");
    await user.click(within(dialog).getByRole("button", { name: "15 min" }));
    await waitFor(() => expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument());

    await user.click(within(dialog).getByRole("button", { name: "180 min" }));
    expect(within(dialog).getByLabelText("token end")).toHaveTextContent(/\(in 3 hr\.?\)/);
    const warning = await within(dialog).findByRole("alert");
    expect(warning).toHaveTextContent("Your session ends first");
    expect(warning).toHaveTextContent(
      /Your session ends at .+, before this token\. Then the window stops acting as etl-bot/,
    );
  });

  test("no warning without a session end (signed in with an access token)", async () => {
    const { user, dialog, backend } = await openAssume(scenarios.signedIn());
    await waitFor(() => expect(backend.callsOf("sessionStatus").length).toBeGreaterThan(0));
    await user.click(within(dialog).getByRole("button", { name: "180 min" }));
    expect(within(dialog).getByLabelText("token end")).toHaveTextContent(/\(in 3 hr\.?\)/);
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
  });
});
