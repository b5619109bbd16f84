import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { SignInScreen } from "./SignInScreen";

const ALICE_PAT = "amo_pat_alice_superadmin_demo_00000000000000";

describe("SignInScreen, no environment yet", () => {
  test("adds an environment (a bad URL shows the app core's message), then signs in with a PAT", async () => {
    const { user, backend } = renderWithProviders(<SignInScreen />, { backend: scenarios.noEnvironment() });
    expect(await screen.findByRole("heading", { name: "Add an environment" })).toBeInTheDocument();

    await user.type(screen.getByRole("textbox", { name: /^Name/ }), "staging");
    await user.type(screen.getByRole("textbox", { name: /^Base URL/ }), "not a url");
    await user.click(screen.getByRole("button", { name: "teal" }));
    expect(screen.getByRole("button", { name: "teal" })).toHaveAttribute("aria-pressed", "true");
    await user.click(screen.getByRole("button", { name: "Add environment" }));
    const error = await screen.findByRole("alert");
    expect(error).toHaveTextContent("Invalid input");
    expect(error).toHaveTextContent("'not a url' is not a URL");

    await user.clear(screen.getByRole("textbox", { name: /^Base URL/ }));
    await user.click(screen.getByRole("textbox", { name: /^Base URL/ }));
    await user.paste("https://staging.example.test");
    await user.click(screen.getByRole("button", { name: "Add environment" }));
    await screen.findByRole("form", { name: "Sign in to staging" });
    expect(backend.callsOf("environmentAdd").at(-1)).toEqual([
      {
        name: "staging",
        baseUrl: "https://staging.example.test",
        colour: "teal",
        production: false,
        defaultRole: null,
      },
    ]);

    const token = screen.getByLabelText(/^Personal access token/);
    await user.click(token);
    await user.paste(ALICE_PAT);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    // The form forgets the secret as soon as it is sent.
    expect(token).toHaveValue("");
    await waitFor(() => expect(backend.data.environments[0].signedIn).toBe(true));
    expect(backend.callsOf("signIn")).toEqual([["staging", { kind: "pat", token: ALICE_PAT }]]);
  });

  test("a missing name or URL is said before anything is sent", async () => {
    const { user, backend } = renderWithProviders(<SignInScreen />, { backend: scenarios.noEnvironment() });
    await user.click(await screen.findByRole("button", { name: "Add environment" }));
    expect(screen.getByText("Give the environment a name.")).toBeInTheDocument();
    expect(screen.getByText("Give the API's base URL.")).toBeInTheDocument();
    expect(backend.callsOf("environmentAdd")).toEqual([]);
  });
});

describe("SignInScreen, signed out", () => {
  test("signs in with user id and password; the password leaves the form at once", async () => {
    const { user, backend } = renderWithProviders(<SignInScreen />, { backend: scenarios.signedOut() });
    await user.click(await screen.findByRole("radio", { name: "User id and password" }));
    const userId = screen.getByRole("textbox", { name: /^User id/ });
    expect(userId).toHaveValue("alice");
    const password = screen.getByLabelText(/^Password/);
    await user.click(password);
    await user.paste("alice-demo-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(password).toHaveValue("");
    await waitFor(() => expect(backend.data.environments[0].signedIn).toBe(true));
    expect(backend.callsOf("signIn")).toEqual([
      ["demo", { kind: "password", userId: "alice", password: "alice-demo-password" }],
    ]);
  });

  test("a refused PAT shows the server's UNAUTHENTICATED message and keeps no secret", async () => {
    const { user } = renderWithProviders(<SignInScreen />, { backend: scenarios.signedOut() });
    const token = await screen.findByLabelText(/^Personal access token/);
    await user.click(token);
    await user.paste("amo_pat_nobody_default_demo_0000");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Sign-in refused")).toBeInTheDocument();
    expect(alert).toHaveTextContent("Sign in: the credentials are missing or not valid.");
    expect(alert).toHaveAttribute("data-error-code", "UNAUTHENTICATED");
    expect(token).toHaveValue("");
  });

  test("a locked keychain says so", async () => {
    const backend = scenarios.signedOut().failWith("signIn", "keychain_unavailable");
    const { user } = renderWithProviders(<SignInScreen />, { backend });
    await user.click(await screen.findByLabelText(/^Personal access token/));
    await user.paste(ALICE_PAT);
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Keychain unavailable");
    expect(alert).toHaveTextContent("the OS keychain is not available");
  });

  test("offline: the app core's message", async () => {
    const backend = scenarios.signedOut();
    const { user } = renderWithProviders(<SignInScreen />, { backend });
    await user.click(await screen.findByLabelText(/^Personal access token/));
    await user.paste(ALICE_PAT);
    backend.goOffline();
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Offline");
    expect(alert).toHaveTextContent("cannot reach the server at https://demo.example.test");
  });

  test("an empty secret is refused in place, nothing is sent", async () => {
    const { user, backend } = renderWithProviders(<SignInScreen />, { backend: scenarios.signedOut() });
    await user.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(screen.getByText("Paste a personal access token.")).toBeInTheDocument();
    expect(backend.callsOf("signIn")).toEqual([]);
  });
});

describe("SignInScreen, session expired", () => {
  test("says why, and offers to sign in again", async () => {
    renderWithProviders(<SignInScreen />, { backend: scenarios.sessionExpired() });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Session ended");
    expect(alert).toHaveTextContent("has ended (it expired or was signed out on the server); sign in again");
    expect(screen.getByRole("form", { name: "Sign in to demo" })).toBeInTheDocument();
    // A session is a password sign-in's: the form asks for the password again.
    expect(screen.getByRole("textbox", { name: "User id" })).toHaveValue("alice");
  });
});
