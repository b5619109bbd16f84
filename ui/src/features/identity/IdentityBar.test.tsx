import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { IdentityBar } from "./IdentityBar";

const NOW = new Date("2026-11-27T10:00:00Z").getTime();

/** alice acts as etl-bot (Data engineers), its token ending `secondsLeft` from `from` (the clock). */
function actingAs(secondsLeft = 42 * 60, from = Date.now()) {
  const backend = scenarios.actingAs();
  const [etl] = backend.data.identities;
  etl.issuedAt = new Date(from + secondsLeft * 1000 - 60 * 60_000).toISOString();
  etl.expiresAt = new Date(from + secondsLeft * 1000).toISOString();
  return backend;
}

const bar = () => screen.getByRole("group", { name: "Identity" });

afterEach(() => {
  vi.useRealTimers();
});

describe("IdentityBar", () => {
  test("counts down live: mm:ss, orange under 10 minutes; expired: no countdown, Assume again", async () => {
    // Only the clock and the interval are fake: the fake backend and user events run as usual.
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    vi.setSystemTime(NOW);
    renderWithProviders(<IdentityBar />, { backend: actingAs(10 * 60 + 5, NOW) });
    const timer = await screen.findByRole("timer", { name: "time left" });
    expect(timer).toHaveTextContent("10:05");
    expect(timer).toHaveAttribute("data-urgency", "ok");

    act(() => vi.advanceTimersByTime(6_000));
    expect(screen.getByRole("timer", { name: "time left" })).toHaveTextContent("09:59");
    expect(screen.getByRole("timer", { name: "time left" })).toHaveAttribute("data-urgency", "warning");
    expect(screen.getByRole("timer", { name: "time left" }).style.getPropertyValue("--badge-bg")).toContain(
      "orange",
    );

    expect(bar()).toHaveAttribute("data-state", "expiring");

    act(() => vi.advanceTimersByTime(10 * 60_000));
    expect(bar()).toHaveAttribute("data-state", "expired");
    expect(screen.queryByRole("timer", { name: "time left" })).not.toBeInTheDocument();
    const expired = within(bar()).getByRole("status");
    expect(expired).toHaveTextContent("expired");
    expect(expired.style.getPropertyValue("--badge-bg")).toContain("red");
    expect(within(bar()).queryByRole("button", { name: "Renew" })).not.toBeInTheDocument();
    expect(within(bar()).getByRole("button", { name: "Assume again" })).toBeInTheDocument();
    expect(within(bar()).getByRole("button", { name: "Forget" })).toBeInTheDocument();
    expect(within(bar()).getByRole("button", { name: "etl-bot" })).toBeInTheDocument();
  });

  test("shows who the window acts as, and with which role", async () => {
    renderWithProviders(<IdentityBar />, { backend: actingAs() });
    const bar = await screen.findByRole("group", { name: "Identity" });
    expect(within(bar).getByRole("button", { name: "Acting as etl-bot" })).toBeInTheDocument();
    await waitFor(() =>
      expect(within(bar).getByRole("button", { name: /switch role/ })).toHaveTextContent(
        "Role: Data engineers",
      ),
    );
  });

  test("nothing at all without assumed identities", async () => {
    const { backend } = renderWithProviders(<IdentityBar />, { backend: scenarios.signedIn() });
    await waitFor(() => expect(backend.callsOf("identitiesList")).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Identity" })).not.toBeInTheDocument();
  });

  test("Renew asks for a new token with the same role and length", async () => {
    const backend = actingAs(5 * 60);
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: "Renew" }));
    await waitFor(() =>
      expect(screen.getByRole("timer", { name: "time left" })).toHaveAttribute("data-urgency", "ok"),
    );
    expect(backend.callsOf("identityReassume")).toEqual([["etl-bot"]]);
    expect(await screen.findByText(/Renewed etl-bot for 60 minutes/)).toBeInTheDocument();
  });

  test("Forget confirms, naming the environment, then forgets the identity", async () => {
    const backend = actingAs();
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: "Forget" }));
    const dialog = await screen.findByRole("dialog", { name: "Forget etl-bot?" });
    expect(dialog).toHaveTextContent("Environment:demo");
    expect(dialog).toHaveTextContent(
      "the window acts as you (alice) again. You can assume etl-bot again later.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Forget" }));
    await waitFor(() => expect(screen.queryByRole("group", { name: "Identity" })).not.toBeInTheDocument());
    expect(backend.callsOf("identityForget")).toEqual([["etl-bot"]]);
  });

  test("role switch assumes again with another of the service user's roles", async () => {
    const backend = actingAs();
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: /switch role/ }));
    const menu = await screen.findByRole("menu");
    expect(await within(menu).findByRole("menuitem", { name: "Data engineers (current)" })).toBeDisabled();
    await user.click(within(menu).getByRole("menuitem", { name: "Default users" }));
    await waitFor(() =>
      expect(screen.getByRole("button", { name: /switch role/ })).toHaveTextContent("Role: Default users"),
    );
    expect(backend.callsOf("assume")).toEqual([["etl-bot", "SystemRole-DefaultUsers", 60]]);
  });

  test("switches between assumed identities and back to yourself", async () => {
    const backend = actingAs();
    backend.data.identities.push({
      ...backend.data.identities[0],
      serviceUserId: "report-bot",
      roleId: "role-analysts",
    });
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: "Acting as etl-bot" }));
    await user.click(await screen.findByRole("menuitem", { name: /^Act as report-bot/ }));
    expect(await screen.findByRole("button", { name: "Acting as report-bot" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Acting as report-bot" }));
    await user.click(await screen.findByRole("menuitem", { name: "Act as yourself (alice)" }));
    await user.click(await screen.findByRole("button", { name: "Assumed identities (2)" }));
    expect(await screen.findByRole("menuitem", { name: /^Act as etl-bot/ })).toBeInTheDocument();
    expect(backend.callsOf("identityActivate")).toEqual([["report-bot"], [null]]);
  });
});
