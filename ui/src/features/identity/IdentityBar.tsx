import { Badge, Button, Group, Menu } from "@mantine/core";
import { useState } from "react";
import { formatExact } from "../../app/dateTime";
import { useSession } from "../../app/session";
import { ellipsis, noShrink, truncatedLabel } from "../../components/truncatedLabel";
import type { IdentityState, IdentityView } from "../../gen/bindings";
import { Countdown } from "./Countdown";
import { ForgetIdentityDialog } from "./ForgetIdentityDialog";
import { useIdentities, useNow } from "./hooks";
import { IdentityMenuItems } from "./IdentityMenu";
import { IdentityRoleMenu } from "./IdentityRoleMenu";
import { refusalWords, stateNow } from "./identityState";
import { arrowsIntoMenu } from "./menuKeyboard";
import { useIdentityActions } from "./useIdentityActions";

/**
 * Right of the top bar: the assumed identity the window acts as, as it stands. Live: its role,
 * a countdown, Renew and Forget (expiring: in orange). Expired: no countdown, Assume again and
 * Forget. Refused by the server: why in a few words (the sentence under the top bar), Assume
 * again only when it can succeed, Forget. When acting as yourself it only offers the identities
 * assumed earlier (if any).
 */
export function IdentityBar() {
  const { data: session } = useSession();
  const signedIn = Boolean(session?.userId) && !session?.problem;
  const { identities, active } = useIdentities(signedIn);
  const actions = useIdentityActions();
  const now = useNow(1000);

  if (!signedIn || identities.length === 0) return null;
  const items = (me?: string) => (
    <IdentityMenuItems
      identities={identities}
      now={now}
      me={me}
      onActivate={(id) => actions.activate.mutate([id])}
      onCheck={() => actions.check.mutate([])}
    />
  );
  if (!active) {
    const refused = identities.filter((i) => stateNow(i, now) === "refused").length;
    return (
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="subtle"
            size="compact-sm"
            loading={actions.check.isPending}
          >
            Assumed identities ({identities.length}){refused > 0 ? `, ${refused} refused` : ""}
          </Button>
        </Menu.Target>
        {items()}
      </Menu>
    );
  }
  return (
    <ActiveIdentity
      identity={active}
      state={stateNow(active, now)}
      menu={items(session?.userId ?? "yourself")}
      actions={actions}
    />
  );
}

const BUTTON_COLOUR: Record<IdentityState, string> = {
  live: "grape",
  // Orange light text is too faint on its tint (WCAG): the countdown and Renew carry the urgency.
  expiring: "grape",
  expired: "red",
  refused: "red",
};

function ActiveIdentity({
  identity,
  state,
  menu,
  actions,
}: {
  identity: IdentityView;
  state: IdentityState;
  menu: React.ReactNode;
  actions: ReturnType<typeof useIdentityActions>;
}) {
  const id = identity.serviceUserId;
  const [forgetting, setForgetting] = useState(false);
  const usable = state === "live" || state === "expiring";
  const canAssumeAgain = state === "expired" || (state === "refused" && identity.canAssumeAgain);
  return (
    <Group
      gap={6}
      wrap="nowrap"
      role="group"
      aria-label="Identity"
      data-identity={id}
      data-state={state}
      style={{ minWidth: 0 }}
    >
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="light"
            color={BUTTON_COLOUR[state]}
            size="compact-sm"
            title={`${usable ? `Acting as ${id}` : id}: switch identity`}
            loading={actions.check.isPending}
            maw={230}
            styles={truncatedLabel}
          >
            <span style={ellipsis}>{usable ? `Acting as ${id}` : id}</span>
          </Button>
        </Menu.Target>
        {menu}
      </Menu>
      {(usable || canAssumeAgain) && <IdentityRoleMenu identity={identity} />}
      {usable && <Countdown expiresAt={identity.expiresAt} />}
      {state === "expired" && (
        <Badge
          color="red"
          variant="filled"
          tt="none"
          role="status"
          style={noShrink}
          title={`The token expired at ${formatExact(identity.expiresAt)}`}
        >
          expired
        </Badge>
      )}
      {state === "refused" && (
        <Badge
          color="red"
          variant="filled"
          tt="none"
          role="status"
          style={noShrink}
          title={identity.refusal?.sentence}
          data-reason={identity.refusal?.reason}
        >
          refused{identity.refusal ? `: ${refusalWords(identity.refusal.reason)}` : ""}
        </Badge>
      )}
      {usable && (
        <Button
          size="compact-sm"
          variant={state === "expiring" ? "filled" : "default"}
          color={state === "expiring" ? "orange" : undefined}
          loading={actions.renew.isPending}
          onClick={() => actions.renew.mutate([id])}
          title={`A new token with the same role, for ${identity.minutes} minutes`}
          style={noShrink}
        >
          Renew
        </Button>
      )}
      {canAssumeAgain && (
        <Button
          size="compact-sm"
          loading={actions.assumeAgain.isPending}
          onClick={() => actions.assumeAgain.mutate([id])}
          title={
            identity.refusal?.reason === "role_detached"
              ? `A new token with ${id}'s default role`
              : `A new token with the same role, for ${identity.minutes} minutes`
          }
          style={noShrink}
        >
          Assume again
        </Button>
      )}
      <Button size="compact-sm" variant="default" onClick={() => setForgetting(true)} style={noShrink}>
        Forget
      </Button>
      <ForgetIdentityDialog
        identity={identity}
        opened={forgetting}
        loading={actions.forget.isPending}
        onConfirm={() => actions.forget.mutate([id], { onSuccess: () => setForgetting(false) })}
        onClose={() => setForgetting(false)}
      />
    </Group>
  );
}
