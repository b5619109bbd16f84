import { Box, Button, ColorSwatch, Group, Menu, Text, Title } from "@mantine/core";
import { useAppInfo, useSession } from "../app/session";
import { cssColour, environmentColour, environmentLabel } from "../features/environments/environmentColour";
import { useEnvironmentSwitch } from "../features/environments/useEnvironmentSwitch";
import { IdentityBar } from "../features/identity/IdentityBar";
import { arrowsIntoMenu } from "../features/identity/menuKeyboard";
import { REFUSED_BANNER_HEIGHT, RefusedBanner, useRefusedIdentity } from "../features/identity/RefusedBanner";
import { PaletteButton } from "../features/palette/PaletteButton";
import { SessionEndingPrompt } from "../features/session/SessionEndingPrompt";
import { SessionEndLine } from "../features/session/SessionEndLine";
import { SessionStatus } from "../features/session/SessionStatus";
import { UpdatesMenu } from "../features/updates/UpdatesMenu";
import type { EnvironmentView } from "../gen/bindings";
import { useBackendQuery } from "../ipc/queries";
import { ellipsis, truncatedLabel } from "./truncatedLabel";

/** The top row's height, and the production banner's under it. */
export const TOP_BAR_ROW_HEIGHT = 52;
export const PRODUCTION_BANNER_HEIGHT = 28;

/** The header's height: the production banner adds a line (`<AppShell header={{ height }}>`). */
export function useTopBarHeight(): number {
  const { data: session } = useSession();
  const refused = useRefusedIdentity();
  return (
    TOP_BAR_ROW_HEIGHT +
    (session?.environment?.production ? PRODUCTION_BANNER_HEIGHT : 0) +
    (refused ? REFUSED_BANNER_HEIGHT : 0)
  );
}

/**
 * The app's header: name and version, the environment switcher (coloured per environment,
 * production red), who is signed in with which role, and the identity bar when acting as an
 * assumed service user. In production a red banner runs under it.
 */
export function TopBar() {
  const { data: info } = useAppInfo();
  const { data: session } = useSession();
  const env = session?.environment;
  const refused = useRefusedIdentity();
  const height = useTopBarHeight();
  return (
    <Box>
      <Group h={TOP_BAR_ROW_HEIGHT} px="md" justify="space-between" wrap="nowrap" gap="sm">
        {/* The name gives way (truncated) before the controls on the right do. */}
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <Title
            order={1}
            size="h4"
            title={info?.productName}
            style={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", minWidth: 0 }}
          >
            {info?.productName ?? "Amorphic Service Users Desktop"}
          </Title>
          {/* The version is also the menu with "Check for updates…". */}
          {info && <UpdatesMenu version={info.version} />}
          <PaletteButton />
        </Group>
        <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0, maxWidth: "calc(100% - 160px)" }}>
          <IdentityBar />
          {env && (
            // The group's label names the switcher for tests (`[aria-label="environment"]`).
            <Box
              role="group"
              aria-label="environment"
              style={{ display: "flex", minWidth: 0, flexShrink: 1 }}
            >
              <EnvironmentSwitcher current={env} />
            </Box>
          )}
          <SessionStatus />
        </Group>
      </Group>
      {env?.production && <ProductionBanner name={env.name} />}
      {refused && <RefusedBanner identity={refused} />}
      <SessionEndingPrompt top={height} />
    </Box>
  );
}

/** Red, under the top bar, whenever the current environment is production. */
export function ProductionBanner({ name }: { name: string }) {
  return (
    <Box
      role="note"
      aria-label="Production environment"
      h={PRODUCTION_BANNER_HEIGHT}
      px="md"
      bg="red.9"
      c="white"
      style={{ display: "flex", alignItems: "center" }}
    >
      <Text size="sm" fw={700} c="white">
        Production: {name}. Changes here affect real users and data.
      </Text>
    </Box>
  );
}

/** The current environment, coloured; its menu switches to another one. */
function EnvironmentSwitcher({ current }: { current: EnvironmentView }) {
  const environments = useBackendQuery("environmentsList", []);
  const use = useEnvironmentSwitch();
  return (
    // Opening refetches: an environment added from the CLI shows up too.
    <Menu
      position="bottom-end"
      withinPortal
      withInitialFocusPlaceholder={false}
      onOpen={() => void environments.refetch()}
    >
      <Menu.Target>
        <Button
          onKeyDown={arrowsIntoMenu}
          size="compact-md"
          color={environmentColour(current)}
          aria-label={`${environmentLabel(current)}: switch environment`}
          title={`${environmentLabel(current)}: ${current.baseUrl}`}
          loading={use.isPending}
          maw={240}
          styles={truncatedLabel}
        >
          <span style={ellipsis}>{environmentLabel(current)}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <SessionEndLine />
        <Menu.Label>Switch environment</Menu.Label>
        {environments.error && <Menu.Item disabled>{environments.error.message}</Menu.Item>}
        {(environments.data ?? []).map((e) => (
          <Menu.Item
            key={e.name}
            disabled={e.name === current.name}
            onClick={() => use.mutate([e.name])}
            leftSection={<ColorSwatch color={cssColour(environmentColour(e))} size={12} />}
            rightSection={
              e.signedIn ? undefined : (
                <Text span size="xs" c="dimmed">
                  not signed in
                </Text>
              )
            }
          >
            {environmentLabel(e)}
            {e.name === current.name ? " (current)" : ""}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
