import { ApiError, changePassword, fetchMe, login, logout } from '../api/client.ts';
import { setPortalTimeZone } from '../time/portal-clock.ts';
import type { Me } from '../api/types.ts';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out' | 'error';

/** Why nobody is signed in, so the login page can say so. */
export type SignedOutReason = 'anonymous' | 'expired' | 'signed-out';

/** Who is signed in: asked of the server at start, changed by signing in and out. */
export class Session {
  status = $state<SessionStatus>('loading');
  me = $state.raw<Me | null>(null);
  error = $state.raw<unknown>(null);
  reason = $state<SignedOutReason>('anonymous');

  readonly #permissions = $derived(new Set(this.me?.permissions ?? []));

  /** Whether the signed-in person holds a permission (`users.manage`, …). */
  can(permission: string): boolean {
    return this.#permissions.has(permission);
  }

  /** Asks the server who is signed in; 401 means nobody, anything else unexpected is an error to retry. */
  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      this.#signedIn(await fetchMe());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.#signedOut('anonymous');
      } else {
        this.error = error;
        this.status = 'error';
      }
    }
  }

  /** Signs in; throws the ApiError for the login page to explain. */
  async login(username: string, password: string): Promise<void> {
    this.#signedIn(await login(username, password));
  }

  /** Signs out on the server; a session that is already gone counts as signed out. */
  async logout(): Promise<void> {
    try {
      await logout();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    this.#signedOut('signed-out');
  }

  /** Changes the password; the answer carries the refreshed session. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    this.#signedIn(await changePassword(currentPassword, newPassword));
  }

  /** The server no longer knows this session (expired, revoked, deactivated). */
  expire(): void {
    if (this.status === 'signed-out') return;
    this.#signedOut('expired');
  }

  #signedIn(me: Me): void {
    setPortalTimeZone(me.timeZone);
    this.me = me;
    this.error = null;
    this.status = 'signed-in';
  }

  #signedOut(reason: SignedOutReason): void {
    this.me = null;
    this.reason = reason;
    this.status = 'signed-out';
  }
}
