import { api, plain, queryClient, session, MY } from "../platform";
import { unwrap } from "../api/errors";

/**
 * Acting for an enterprise (代表法人办事). The act-for token identity answers has no refresh token:
 * when the person's session is refreshed (a reload, an expired token) the session asks for a new
 * one for the same enterprise and grant with this call, and acts as the person again if refused.
 */
session.actForCall = async (acting, ownAccessToken) => {
  const { data, response } = await plain.POST("/api/identity/v1/auth/act-for", {
    body: { enterprise_id: acting.enterpriseId, ...(acting.grantId ? { grant_id: acting.grantId } : {}) },
    headers: { Authorization: `Bearer ${ownAccessToken}` },
  });
  return data ? { ok: true, token: data } : { ok: false, status: response.status };
};

/** Personal data cached for the one acting before must not show for the other. */
function dropPersonalQueries(): void {
  queryClient.removeQueries({ queryKey: [MY] });
}

/** Start acting for an enterprise (throws ApiError, e.g. 403 identity.no_valid_grant). */
export async function actFor(enterprise: { id: string; name: string }, grantId?: string): Promise<void> {
  const own = session.ownAccessToken;
  if (!own) throw new Error("not logged in");
  const token = await unwrap(
    api.POST("/api/identity/v1/auth/act-for", {
      body: { enterprise_id: enterprise.id, ...(grantId ? { grant_id: grantId } : {}) },
      headers: { Authorization: `Bearer ${own}` },
    }),
  );
  session.startActing(token, enterprise.name);
  dropPersonalQueries();
}

/** Act as oneself again. */
export function actAsSelf(): void {
  session.stopActing();
  dropPersonalQueries();
}
