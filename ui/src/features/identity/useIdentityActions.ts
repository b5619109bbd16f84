import { useQueryClient } from "@tanstack/react-query";
import { formatTimeOfDay } from "../../app/dateTime";
import { notifySuccess } from "../../app/notify";
import { commandKey, useBackendMutation } from "../../ipc/queries";
import { useRoleNames } from "./hooks";

/**
 * What can be done to an assumed identity, with the toasts saying what happened: renew (a new
 * token, same role and length), assume again (after it expired or was refused for a reason
 * that allows it; after a detached role, the service user's default role), forget, act as it,
 * and check every identity with the server now.
 */
export function useIdentityActions() {
  const roleName = useRoleNames();
  const queryClient = useQueryClient();
  const renew = useBackendMutation("identityReassume", {
    invalidates: ["identitiesList"],
    onSuccess: (i) =>
      notifySuccess(
        `Renewed ${i.serviceUserId} for ${i.minutes} minutes, until ${formatTimeOfDay(i.expiresAt)}.`,
      ),
  });
  const assumeAgain = useBackendMutation("identityReassume", {
    invalidates: ["identitiesList", "serviceUserHistory"],
    onSuccess: (i) =>
      notifySuccess(
        `Acting as ${i.serviceUserId} again with ${i.roleName ?? roleName(i.roleId)}, until ${formatTimeOfDay(i.expiresAt)}.`,
        "Assumed again",
      ),
  });
  const forget = useBackendMutation("identityForget", {
    invalidates: ["identitiesList"],
    onSuccess: (_r, [id]) => notifySuccess(`Forgot ${id}: its token left the keychain.`),
  });
  const activate = useBackendMutation("identityActivate", { invalidates: ["identitiesList"] });
  const check = useBackendMutation("identitiesCheck", {
    // The answer is the list as checked: no second call needed.
    onSuccess: (identities) => queryClient.setQueryData(commandKey("identitiesList", []), identities),
  });
  return { renew, assumeAgain, forget, activate, check };
}
