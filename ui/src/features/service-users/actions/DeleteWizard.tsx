// Deleting a service user, as a short wizard: disable it first (the server requires it) -> the
// user who receives what it owns (enabled regular users only) -> every resource that will move ->
// confirm (naming the environment; the id typed in production) -> what moved.
import {
  Alert,
  Button,
  Group,
  Modal,
  Radio,
  ScrollArea,
  Stack,
  Stepper,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { notifyError, notifySuccess } from "../../../app/notify";
import {
  ConfirmEnvironment,
  EnvironmentBadge,
  useConfirmReady,
  useNestedDialog,
} from "../../../components/ConfirmDialog";
import type { DeletedView, UserView } from "../../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../../ipc/queries";
import { ResourceTable } from "../detail/ResourcesTab";
import { Empty, LoadError, LoadingRows } from "../detail/states";
import { AFTER } from "./invalidation";
import classes from "./readable.module.css";
import { regularUsersQuery, userLabel } from "./ShareDialog";

/** The queries about one user, dropped once it no longer exists. */
const PER_USER = [
  "userGet",
  "serviceUserShares",
  "serviceUserOwnedResources",
  "serviceUserAccessTokens",
] as const;

export function DeleteWizard({
  user,
  opened,
  onClose,
  onDeleted,
}: {
  user: UserView;
  opened: boolean;
  onClose: () => void;
  /** After the last step is closed: the user no longer exists. */
  onDeleted: () => void;
}) {
  useNestedDialog(opened);
  const [deleted, setDeleted] = useState<DeletedView | null>(null);
  const queryClient = useQueryClient();
  const finish = () => {
    setDeleted(null);
    onDeleted();
    // After the drawer has let go of them (removing an observed query would refetch it).
    setTimeout(() => {
      for (const c of PER_USER) queryClient.removeQueries({ queryKey: [c, user.userId] });
    }, 0);
  };
  return (
    <Modal
      opened={opened}
      onClose={deleted ? finish : onClose}
      title={`Delete ${user.userId}`}
      centered
      size="lg"
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <Wizard user={user} onCancel={onClose} deleted={deleted} onDeleted={setDeleted} onFinish={finish} />
    </Modal>
  );
}

function Wizard({
  user,
  onCancel,
  deleted,
  onDeleted,
  onFinish,
}: {
  user: UserView;
  onCancel: () => void;
  deleted: DeletedView | null;
  onDeleted: (d: DeletedView) => void;
  onFinish: () => void;
}) {
  const [step, setStep] = useState(user.enabled ? 0 : 1);
  const [mustDisable, setMustDisable] = useState<string | null>(null);
  const [transferTo, setTransferTo] = useState<string | null>(null);
  const [transferError, setTransferError] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const ready = useConfirmReady(user.userId, typed);

  const disable = useBackendMutation("serviceUserDisable", {
    invalidates: AFTER.status,
    onSuccess: () => {
      setMustDisable(null);
      notifySuccess(`${user.userId} is disabled.`);
      setStep(1);
    },
  });
  const remove = useBackendMutation("serviceUserDelete", {
    invalidates: AFTER.delete,
    meta: { errorToast: false },
    onSuccess: (d) => {
      notifySuccess(`${d.userId} was deleted; what it owned moved to ${d.transferredTo}.`, "Deleted");
      onDeleted(d);
      setStep(4);
    },
    onError: (e) => {
      if (e.code === "MUST_DISABLE_FIRST") {
        setMustDisable(e.message);
        setStep(0);
      } else if (e.code === "INVALID_TRANSFER_USER" || e.code === "TRANSFER_USER_REQUIRED") {
        setTransferError(e.message);
        setStep(1);
      } else {
        notifyError(e, `Could not delete ${user.userId}`);
      }
    },
  });

  const showDisable = user.enabled || mustDisable !== null;
  return (
    <Stack gap="md" className={classes.errors}>
      <Stepper active={step} size="xs" allowNextStepsSelect={false}>
        <Stepper.Step label="Disable" />
        <Stepper.Step label="Transfer to" />
        <Stepper.Step label="Resources" />
        <Stepper.Step label="Confirm" />
      </Stepper>

      {step === 0 && (
        <Stack gap="sm">
          {mustDisable && (
            <Alert color="yellow" role="alert" title="Disable it first">
              {mustDisable}
            </Alert>
          )}
          <Group gap="xs">
            <Text size="sm">Environment:</Text>
            <EnvironmentBadge />
          </Group>
          <Text size="sm">
            {showDisable
              ? `${user.userId} is enabled. A service user must be disabled before it can be deleted: disabling stops its tokens and access tokens at once.`
              : `${user.userId} is disabled.`}
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            {showDisable ? (
              <Button color="red" loading={disable.isPending} onClick={() => disable.mutate([user.userId])}>
                Disable {user.userId}
              </Button>
            ) : (
              <Button onClick={() => setStep(1)}>Next</Button>
            )}
          </Group>
        </Stack>
      )}

      {step === 1 && (
        <TransferStep
          value={transferTo}
          onChange={(v) => {
            setTransferTo(v);
            setTransferError(null);
          }}
          error={transferError}
          onBack={user.enabled ? () => setStep(0) : onCancel}
          backLabel={user.enabled ? "Back" : "Cancel"}
          onNext={() => setStep(2)}
        />
      )}

      {step === 2 && transferTo && (
        <ResourcesStep
          user={user}
          transferTo={transferTo}
          onBack={() => setStep(1)}
          onNext={() => setStep(3)}
        />
      )}

      {step === 3 && transferTo && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready && !remove.isPending) remove.mutate([user.userId, transferTo]);
          }}
        >
          <Stack gap="sm">
            <Text size="sm">
              Delete {user.userId} for good? Everything it owns moves to {transferTo}; its roles, shares and
              access tokens are removed. This cannot be undone.
            </Text>
            <ConfirmEnvironment typeToConfirm={user.userId} typed={typed} onTyped={setTyped} />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setStep(2)}>
                Back
              </Button>
              <Button type="submit" color="red" disabled={!ready} loading={remove.isPending}>
                Delete {user.userId}
              </Button>
            </Group>
          </Stack>
        </form>
      )}

      {step === 4 && deleted && (
        <Stack gap="sm">
          <Alert
            color="green"
            title={`${deleted.userId} was deleted`}
            role="status"
            styles={{ title: { color: "var(--mantine-color-text)" } }}
          >
            {deleted.transferred.length === 0
              ? `It owned nothing, so nothing moved to ${deleted.transferredTo}.`
              : `${deleted.transferred.length} resource${deleted.transferred.length === 1 ? "" : "s"} moved to ${deleted.transferredTo}.`}
          </Alert>
          {deleted.transferred.length > 0 && (
            <ResourceTable label="Moved resources" resources={deleted.transferred} />
          )}
          <Group justify="flex-end">
            <Button onClick={onFinish}>Done</Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

function TransferStep({
  value,
  onChange,
  error,
  onBack,
  backLabel,
  onNext,
}: {
  value: string | null;
  onChange: (v: string) => void;
  error: string | null;
  onBack: () => void;
  backLabel: string;
  onNext: () => void;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 150);
  const candidates = useBackendQuery("usersPage", [regularUsersQuery(debounced, true)], {
    placeholderData: keepPreviousData,
  });
  const users = (candidates.data?.users ?? []).filter((u) => !u.isServiceUser && u.enabled);
  return (
    <Stack gap="sm">
      <Text size="sm">
        Everything the service user owns moves to the user you pick (enabled regular users only).
      </Text>
      <TextInput
        label="Search users"
        placeholder="Id or name"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        data-autofocus
      />
      {candidates.isPending ? (
        <LoadingRows label="Loading users" />
      ) : candidates.error ? (
        <LoadError title="Could not load users" error={candidates.error} />
      ) : (
        <Radio.Group label="Transfer to" value={value} onChange={onChange} error={error}>
          <ScrollArea.Autosize mah={220} type="auto">
            <Stack gap={6} py={4}>
              {users.length === 0 ? (
                <Empty>No enabled regular user matches.</Empty>
              ) : (
                users.map((u) => <Radio key={u.userId} value={u.userId} label={userLabel(u)} />)
              )}
            </Stack>
          </ScrollArea.Autosize>
          {candidates.data?.hasMore && (
            <Text size="xs" c="dimmed">
              Showing the first {users.length}; type to narrow.
            </Text>
          )}
        </Radio.Group>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onBack}>
          {backLabel}
        </Button>
        <Button onClick={onNext} disabled={!value}>
          Next
        </Button>
      </Group>
    </Stack>
  );
}

function ResourcesStep({
  user,
  transferTo,
  onBack,
  onNext,
}: {
  user: UserView;
  transferTo: string;
  onBack: () => void;
  onNext: () => void;
}) {
  // The preview must be exact: asked again, never from a 30-second-old answer.
  const owned = useBackendQuery("serviceUserOwnedResources", [user.userId], { staleTime: 0 });
  return (
    <Stack gap="sm">
      {owned.isPending ? (
        <LoadingRows label="Loading owned resources" />
      ) : owned.error ? (
        <LoadError title="Could not load the owned resources" error={owned.error} />
      ) : owned.data.resources.length === 0 ? (
        <Text size="sm">
          {user.userId} owns nothing: nothing will move to {transferTo}.
        </Text>
      ) : (
        <>
          <Text size="sm">
            {owned.data.resources.length === 1
              ? `This resource will move to ${transferTo}:`
              : `These ${owned.data.resources.length} resources will move to ${transferTo}:`}
          </Text>
          <ResourceTable label="Resources that will move" resources={owned.data.resources} />
        </>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext} disabled={!owned.data}>
          Next
        </Button>
      </Group>
    </Stack>
  );
}
