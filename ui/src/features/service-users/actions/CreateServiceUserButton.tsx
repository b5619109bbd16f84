// "New service user": only with a super-admin role active (otherwise the button says why). The
// dialog's code (the form) loads the first time the button is pressed.
import { useState } from "react";
import { lazyOnFirstOpen } from "../../../app/lazy";
import { useBackendQuery } from "../../../ipc/queries";
import { GuardedButton } from "./GuardedButton";
import { CREATE_NEEDS_SUPER_ADMIN, firstReason, useOfflineReason } from "./policy";

const CreateServiceUserDialog = lazyOnFirstOpen(
  () => import("./CreateServiceUserDialog").then((m) => m.CreateServiceUserDialog),
  (props) => props.opened,
  (props) => ({ ...props, opened: false }),
);

export function CreateServiceUserButton() {
  const [opened, setOpened] = useState(false);
  const access = useBackendQuery("myAccess", []);
  const offline = useOfflineReason();
  const reason = firstReason(
    access.error && `Could not check your role: ${access.error.message}`,
    access.data && !access.data.isSuperAdmin && CREATE_NEEDS_SUPER_ADMIN,
    offline,
    access.isPending && "Checking your role…",
  );
  return (
    <>
      <GuardedButton reason={reason} onClick={() => setOpened(true)}>
        New service user
      </GuardedButton>
      <CreateServiceUserDialog opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}
