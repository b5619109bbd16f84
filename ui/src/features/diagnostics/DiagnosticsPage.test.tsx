import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test, vi } from "vitest";
import { FakeBackend } from "../../test/fake";
import { renderWithProviders } from "../../test/render";
import { DiagnosticsPage } from "./DiagnosticsPage";

const rows = () =>
  within(screen.getByRole("table", { name: "Diagnostics" }))
    .getAllByRole("row")
    .slice(1);

describe("DiagnosticsPage", () => {
  test("shows every check with its status, finding and fix", async () => {
    renderWithProviders(<DiagnosticsPage />);
    await screen.findByRole("table", { name: "Diagnostics" });
    expect(rows()).toHaveLength(10);
    const keychain = rows().find((r) => r.dataset.check === "keychain");
    expect(keychain).toHaveTextContent("Keychain");
    expect(keychain).toHaveTextContent("ok");
    expect(screen.getByText("Nothing failed")).toBeInTheDocument();
    expect(screen.getByTestId("diagnostics-summary")).toHaveTextContent(
      "10 ok, 0 warning(s), 0 failed, 0 skipped",
    );
  });

  test("a failed check leads, with its fix; the checks it needed are skipped", async () => {
    const backend = new FakeBackend();
    backend.data.online = false;
    renderWithProviders(<DiagnosticsPage />, { backend });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("1 check(s) failed");
    expect(alert).toHaveTextContent("Start with Server: start the server");
    const server = rows().find((r) => r.dataset.check === "server");
    expect(server?.dataset.status).toBe("fail");
    expect(server).toHaveTextContent("Fix: start the server");
    expect(rows().filter((r) => r.dataset.status === "skipped")).toHaveLength(5);
  });

  test("Run again runs the checks anew; Copy report copies the report's text", async () => {
    const { user, backend } = renderWithProviders(<DiagnosticsPage />);
    // After user-event's setup, which puts its own clipboard in place.
    const writeText = vi.spyOn(navigator.clipboard, "writeText");
    await screen.findByRole("table", { name: "Diagnostics" });
    expect(backend.callsOf("diagnosticsRun")).toHaveLength(1);
    backend.data.online = false;
    await user.click(screen.getByRole("button", { name: "Run again" }));
    await waitFor(() => expect(backend.callsOf("diagnosticsRun")).toHaveLength(2));
    await screen.findByText("1 check(s) failed");
    await user.click(screen.getByRole("button", { name: "Copy report" }));
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText.mock.calls[0][0]).toContain("amorphic-su doctor: environment");
    expect(writeText.mock.calls[0][0]).toContain("fix: start the server");
  });
});
