import { Badge, Group, Text, Title, Tooltip } from "@mantine/core";
import type { AppInfo, SessionView } from "../ipc";

export function TopBar({ info, session }: { info: AppInfo | null; session: SessionView | null }) {
  const env = session?.environment;
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Title order={1} size="h4">
          {info?.productName ?? "Amorphic Service Users Desktop"}
        </Title>
        {info && (
          <Badge variant="light" color="gray" aria-label="app version">
            v{info.version}
          </Badge>
        )}
      </Group>
      <Group gap="sm" wrap="nowrap">
        {env && (
          <Tooltip label={env.baseUrl}>
            <Badge
              size="lg"
              variant="filled"
              color={env.production ? "red" : (env.colour ?? "indigo")}
              aria-label="environment"
            >
              {env.production ? `${env.name} (production)` : env.name}
            </Badge>
          </Tooltip>
        )}
        {session?.userId ? (
          <Text size="sm" aria-label="signed in as">
            <Text span fw={600}>
              {session.userId}
            </Text>
            {session.roleId && (
              <Text span c="dimmed">
                {" "}
                as {session.roleId}
              </Text>
            )}
          </Text>
        ) : (
          session && (
            <Text size="sm" c="dimmed">
              Not signed in
            </Text>
          )
        )}
      </Group>
    </Group>
  );
}
