import { useBackendMutation } from "../../ipc/queries";
import { useResetAfterSwitch } from "./useResetAfterSwitch";

/**
 * Switching the environment the window works in (the top bar's switcher and the command
 * palette): every cached answer belonged to the previous one, so all of them are dropped.
 */
export function useEnvironmentSwitch() {
  const resetAll = useResetAfterSwitch();
  return useBackendMutation("environmentUse", { onSuccess: () => resetAll() });
}
