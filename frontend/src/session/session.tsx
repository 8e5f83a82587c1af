import { Provider } from '@urql/preact';
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { createShopClient, type ShopClient, type SocketState } from '../graphql/client.js';
import { MeQuery, UserFields } from '../graphql/documents.js';
import { type ResultOf, readFragment } from '../graphql/graphql.js';
import { readStored, removeStored, writeStored } from '../utils/storage.js';

export type User = ResultOf<typeof UserFields>;

const TOKEN_KEY = 'orderly.session';

interface StoredSession {
  token: string;
  user: User;
}

export interface Session {
  user: User | undefined;
  token: string | undefined;
  client: ShopClient;
  /** Starts a session with the token of a login or registration. */
  signIn(token: string, user: User): void;
  /** Ends the session: a new client, and nothing of the account kept in this browser. */
  signOut(): void;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Keys of everything the shop keeps per account in this browser, cleared at logout. */
const accountKeys = new Set<string>();
export function registerAccountKey(key: string): void {
  accountKeys.add(key);
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [stored, setStored] = useState<StoredSession | undefined>(() =>
    readStored<StoredSession | undefined>(TOKEN_KEY, undefined),
  );
  const { route, path } = useLocation();
  const signIn = useCallback((token: string, user: User) => {
    const next = { token, user };
    writeStored(TOKEN_KEY, next);
    setStored(next);
  }, []);
  const signOut = useCallback(() => {
    removeStored(TOKEN_KEY);
    for (const key of accountKeys) removeStored(key);
    setStored(undefined);
  }, []);
  // A token the platform no longer accepts ends the session, and the shopper signs in again.
  // (Through a ref: the router's functions change on every navigation, the client must not.)
  const onRefused = useRef<() => void>(() => undefined);
  onRefused.current = () => {
    signOut();
    route(`/sign-in?next=${encodeURIComponent(path)}`, true);
  };
  const client = useMemo(
    () => createShopClient(stored?.token, () => onRefused.current()),
    [stored?.token],
  );
  useEffect(() => () => client.dispose(), [client]);

  // A login or logout in another tab of this shop applies here too.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === TOKEN_KEY || event.key === null) {
        setStored(readStored<StoredSession | undefined>(TOKEN_KEY, undefined));
      }
    };
    addEventListener('storage', onStorage);
    return () => removeEventListener('storage', onStorage);
  }, []);

  // A stored token may have expired: ask who it belongs to once, and drop it if nobody.
  useEffect(() => {
    if (!stored) return;
    let current = true;
    void client.urql
      .query(MeQuery, {}, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (!current || result.error?.networkError) return;
        const me = result.data?.me ? readFragment(UserFields, result.data.me) : undefined;
        if (!me) signOut();
        else if (me.role !== stored.user.role || me.name !== stored.user.name) {
          signIn(stored.token, me);
        }
      });
    return () => {
      current = false;
    };
  }, [client, stored, signIn, signOut]);

  const session = useMemo<Session>(
    () => ({ user: stored?.user, token: stored?.token, client, signIn, signOut }),
    [stored, client, signIn, signOut],
  );
  return (
    <SessionContext.Provider value={session}>
      <Provider value={client.urql}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The state of the live-update socket, re-rendering on each change. */
export function useSocketState(): SocketState {
  const { client } = useSession();
  const [state, setState] = useState(client.socketState());
  useEffect(() => {
    setState(client.socketState());
    return client.onSocketState(setState);
  }, [client]);
  return state;
}
