import { Menu, Text } from "@mantine/core";
import type { IdentityView } from "../../gen/bindings";
import { useRedText } from "../environments/environmentColour";
import { useRoleNames } from "./hooks";
import { stateLabel, stateNow } from "./identityState";

/**
 * The assumed identities as a menu's items: act as one (each with its role, or its state when
 * it is not live), act as yourself, and ask the server about them now.
 */
export function IdentityMenuItems({
  identities,
  now,
  me,
  onActivate,
  onCheck,
}: {
  identities: IdentityView[];
  now: number;
  /** Acting as an identity: the item that goes back to yourself names you. */
  me?: string;
  onActivate: (userId: string | null) => void;
  onCheck: () => void;
}) {
  const roleName = useRoleNames();
  const red = useRedText();
  return (
    <Menu.Dropdown>
      <Menu.Label>Assumed identities</Menu.Label>
      {identities.map((i) => {
        const label = stateLabel(i, now);
        const bad = label !== null && stateNow(i, now) !== "expiring";
        return (
          <Menu.Item key={i.serviceUserId} disabled={i.active} onClick={() => onActivate(i.serviceUserId)}>
            {i.active ? `${i.serviceUserId} (active)` : `Act as ${i.serviceUserId}`}{" "}
            <Text span size="xs" c={bad ? red : "dimmed"}>
              ({label ?? i.roleName ?? roleName(i.roleId)})
            </Text>
          </Menu.Item>
        );
      })}
      {me && (
        <>
          <Menu.Divider />
          <Menu.Item onClick={() => onActivate(null)}>Act as yourself ({me})</Menu.Item>
        </>
      )}
      <Menu.Divider />
      <Menu.Item onClick={onCheck}>Check with the server</Menu.Item>
    </Menu.Dropdown>
  );
}
