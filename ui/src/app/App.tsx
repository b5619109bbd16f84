import { AppShell, Badge, Group, NavLink, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { type AppInfo, tauriBackend } from "../ipc";

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    tauriBackend.appInfo().then(setInfo, (e: unknown) => setError(String(e)));
  }, []);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h4">
            {info?.productName ?? "Amorphic Service Users Desktop"}
          </Title>
          {info && (
            <Badge variant="light" aria-label="app version">
              v{info.version}
            </Badge>
          )}
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <Text size="xs" c="dimmed" tt="uppercase" fw={700} px="sm" py={4}>
          Users and Access
        </Text>
        <NavLink label="Service users" active />
        <NavLink label="All users" />
        <NavLink label="Access tokens" />
        <NavLink label="Environments" />
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="xs">
          <Title order={2} size="h3">
            Service users
          </Title>
          <Text c="dimmed">
            Non-human accounts for machine-to-machine automation. Sign in to an environment to list, create,
            share and assume them.
          </Text>
          {error && (
            <Text c="red" role="alert">
              Could not reach the app core: {error}
            </Text>
          )}
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
