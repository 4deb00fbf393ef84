import { useState } from "react";
import type { FormInstance } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import type { Application } from "./model";
import { KEYS } from "./queries";

type Path =
  | "/api/intake/v1/applications/{application_id}/notice"
  | "/api/intake/v1/applications/{application_id}/accept"
  | "/api/intake/v1/applications/{application_id}/refuse-acceptance"
  | "/api/intake/v1/applications/{application_id}/hand-over"
  | "/api/intake/v1/applications/{application_id}/deliver"
  | "/api/intake/v1/applications/{application_id}/resubmit"
  | "/api/intake/v1/applications/{application_id}/deficiencies"
  | "/api/intake/v1/applications/{application_id}/withdraw";

/**
 * One step on the case (POST …/<action>): the answer replaces the case on screen, the trace and the
 * work list are read again; a problem goes under the form's fields, the rest above it.
 */
export function useCaseAction(app: Application, form?: FormInstance, fields: string[] = [], aliases: Record<string, string | (string | number)[]> = {}) {
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const run = async (path: Path, body?: unknown): Promise<Application | null> => {
    setBusy(true);
    setMessages([]);
    try {
      const updated = await unwrap(
        // Every action takes the case id in the path and its own body (or none).
        (api.POST as unknown as (p: string, o: object) => Promise<{ data?: Application; error?: unknown; response: Response }>)(path, {
          params: { path: { application_id: app.id } },
          ...(body === undefined ? {} : { body }),
        }),
      );
      queryClient.setQueryData(KEYS.app(app.id), updated);
      await queryClient.invalidateQueries({ queryKey: KEYS.trace(app.id) });
      void queryClient.invalidateQueries({ queryKey: [MY, "window", "applications"] });
      void queryClient.invalidateQueries({ queryKey: KEYS.board });
      return updated;
    } catch (e) {
      if (e instanceof ApiError && e.problem && form) setMessages(applyProblemToForm(form, e.problem, fields, aliases));
      else setMessages([errorText(e)]);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, messages, setMessages };
}
