import { Button } from "@mantine/core";
import { screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { UsersQuery } from "../ipc";
import { useBackendMutation, useBackendQuery } from "../ipc/queries";
import { FakeBackend } from "../test/fake";
import { renderWithProviders } from "../test/render";

const Q: UsersQuery = {
  kind: "service",
  search: null,
  status: null,
  role: null,
  tag: null,
  assumable: false,
  offset: 0,
  limit: 200,
};

function ListCount({ toast = false }: { toast?: boolean }) {
  const { data, error } = useBackendQuery("usersPage", [Q], { meta: { errorToast: toast } });
  if (error) return <p>failed: {error.code}</p>;
  return <p>{data ? `${data.users.length} users` : "loading"}</p>;
}

// Any command works to exercise mutations; a real screen would use e.g. serviceUserCreate.
function ReloadButton() {
  const reload = useBackendMutation("usersPage", { invalidates: ["usersPage"] });
  return <Button onClick={() => reload.mutate([Q])}>Reload</Button>;
}

describe("query defaults", () => {
  test("offline errors are retried", async () => {
    const backend = new FakeBackend().failWith("usersPage", "offline", { times: 2 });
    renderWithProviders(<ListCount />, { backend });
    expect(await screen.findByText("3 users")).toBeInTheDocument();
    expect(backend.callsOf("usersPage")).toHaveLength(3);
  });

  test("permanent errors (session_expired) are not retried", async () => {
    const backend = new FakeBackend().failWith("usersPage", "session_expired");
    renderWithProviders(<ListCount />, { backend });
    expect(await screen.findByText("failed: session_expired")).toBeInTheDocument();
    expect(backend.callsOf("usersPage")).toHaveLength(1);
  });

  test("a query can ask for a toast with the server's message", async () => {
    const backend = new FakeBackend().failWith("usersPage", "FORBIDDEN");
    renderWithProviders(<ListCount toast />, { backend });
    const toast = await screen.findByRole("alert");
    expect(toast).toHaveTextContent("The request failed");
    expect(toast).toHaveTextContent("Your active role does not allow this.");
  });
});

describe("mutations", () => {
  test("an error becomes a toast with the server's message, which stays until dismissed", async () => {
    const backend = new FakeBackend();
    const { user } = renderWithProviders(
      <>
        <ListCount />
        <ReloadButton />
      </>,
      { backend },
    );
    await screen.findByText("3 users");
    backend.failWith("usersPage", "session_expired", { times: 1 });
    await user.click(screen.getByRole("button", { name: "Reload" }));
    const toast = await screen.findByRole("alert");
    expect(toast).toHaveTextContent("Session expired");
    expect(toast).toHaveTextContent(
      "the session of profile 'demo' has ended (it expired or was signed out on the server); sign in again",
    );
    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByRole("alert")).not.toBeInTheDocument());
  });

  test("success refetches the commands it invalidates", async () => {
    const backend = new FakeBackend();
    const { user } = renderWithProviders(
      <>
        <ListCount />
        <ReloadButton />
      </>,
      { backend },
    );
    await screen.findByText("3 users");
    backend.seedUsers([{ userId: "new-bot" }]);
    await user.click(screen.getByRole("button", { name: "Reload" }));
    expect(await screen.findByText("1 users")).toBeInTheDocument();
  });
});
