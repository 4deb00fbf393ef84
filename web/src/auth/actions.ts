import { plain, queryClient, session } from "../platform";
import { unwrap } from "../api/errors";

/** Log in with a phone, resident ID, passport number or staff username; throws ApiError. */
export async function login(username: string, password: string): Promise<void> {
  const tokens = await unwrap(plain.POST("/api/identity/v1/auth/login", { body: { username, password } }));
  queryClient.clear();
  session.setTokens(tokens);
}

/** End the login session at identity (its refresh-token family) and here, in every tab. */
export async function logout(): Promise<void> {
  const refreshToken = session.refreshToken;
  if (refreshToken) {
    try {
      await plain.POST("/api/identity/v1/auth/logout", { body: { refresh_token: refreshToken } });
    } catch {
      // Offline: the tokens are forgotten here anyway, and the refresh token expires on its own.
    }
  }
  session.clear(true);
  queryClient.clear();
}
