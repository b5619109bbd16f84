import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

/**
 * After signing in or out, or switching or removing an environment, every cached answer belongs
 * to another session: drop them all (screens show skeletons, not the previous environment's data).
 */
export function useResetAfterSwitch(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.resetQueries(), [queryClient]);
}
