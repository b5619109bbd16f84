import { Alert, Button, Group, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useSession } from "./session";
import { useSync } from "./sync";
import { Time } from "./Time";

/**
 * "Offline: showing the cache as of 10:42" while the server cannot be reached (the session or
 * the last sync says so). Reads keep working from the cache; changes fail until it is back.
 */
export function OfflineBanner() {
  const { data: session } = useSession();
  const sync = useSync({ enabled: false });
  const queryClient = useQueryClient();
  const offline = (session?.online === false && Boolean(session.environment)) || sync.data?.online === false;
  if (!offline) return null;
  const asOf = sync.data?.asOf;
  return (
    <Alert color="yellow" role="status" title="Offline" py="xs">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">
          {asOf ? (
            <>
              Showing the cache as of <Time value={asOf} format="timeOfDay" />.
            </>
          ) : (
            "Showing the cache of the last sync."
          )}{" "}
          Changes are disabled until the server is back.
        </Text>
        <Button
          size="xs"
          variant="default"
          loading={sync.isFetching}
          onClick={async () => {
            await sync.refresh();
            await queryClient.invalidateQueries({ queryKey: ["sessionStatus"] });
          }}
        >
          Retry
        </Button>
      </Group>
    </Alert>
  );
}
