import { MongoClient, MongoServerError } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import { waitUntil } from './net.js';

/** The name of the one-node replica set the local mongod runs as. */
export const REPLICA_SET = 'orderly';

/** What `hello` says about the member, and the member address its stored config names. */
export interface MemberState {
  setName?: string;
  isWritablePrimary: boolean;
  /** The host of the stored config's only member, when there is a stored config. */
  configuredHost?: string;
}

export type ReplicaSetStep =
  | { step: 'ready' }
  /** No config yet: a fresh data directory. */
  | { step: 'initiate' }
  /** The stored config names another address (the server moved port): rewrite it. */
  | { step: 'readdress'; from: string }
  /** Configured for this address; an election is under way. */
  | { step: 'wait' };

/**
 * What to do next to have a writable primary at `address`. A replica-set member recognises
 * itself by the host in its stored config, so a server restarted on another port stays
 * without a primary until the config names the new address.
 */
export function nextReplicaSetStep(state: MemberState, address: string): ReplicaSetStep {
  if (state.configuredHost === undefined) return { step: 'initiate' };
  if (state.configuredHost !== address) return { step: 'readdress', from: state.configuredHost };
  return state.isWritablePrimary ? { step: 'ready' } : { step: 'wait' };
}

async function memberState(client: MongoClient): Promise<MemberState> {
  const admin = client.db('admin');
  const hello = await admin.command({ hello: 1 });
  const config = await admin.command({ replSetGetConfig: 1 }).then(
    (reply) => reply.config as { members: { host: string }[]; version: number },
    (err: unknown) => {
      // 94 NotYetInitialized: a data directory that never had a config.
      if (err instanceof MongoServerError && err.code === 94) return undefined;
      throw err;
    },
  );
  return {
    ...(typeof hello.setName === 'string' ? { setName: hello.setName } : {}),
    isWritablePrimary: hello.isWritablePrimary === true,
    ...(config?.members[0] ? { configuredHost: config.members[0].host } : {}),
  };
}

/**
 * Makes the mongod at `host:port` (started with `--replSet orderly`) the writable primary of
 * its one-node replica set: initiates it on a fresh data directory ("already initiated" on a
 * restart is fine), rewrites the member address when the server came back on another port,
 * then waits for the election. Talks to the member directly, since there is no primary yet.
 */
export async function ensureReplicaSetPrimary(
  logger: Logger,
  host: string,
  port: number,
  timeoutMs = 60_000,
): Promise<void> {
  const address = `${host}:${port}`;
  const client = new MongoClient(`mongodb://${address}/?directConnection=true`, {
    serverSelectionTimeoutMS: 2_000,
  });
  try {
    const admin = client.db('admin');
    await waitUntil(
      async () => {
        const next = nextReplicaSetStep(await memberState(client), address);
        switch (next.step) {
          case 'ready':
            return true;
          case 'initiate':
            logger.info({ replicaSet: REPLICA_SET, member: address }, 'initiating the replica set');
            await admin
              .command({
                replSetInitiate: { _id: REPLICA_SET, members: [{ _id: 0, host: address }] },
              })
              .catch((err: unknown) => {
                // 23 AlreadyInitialized: another caller got there first.
                if (!(err instanceof MongoServerError && err.code === 23)) throw err;
              });
            return false;
          case 'readdress': {
            logger.warn(
              { from: next.from, to: address },
              'the replica set config names the old address; rewriting it (forced reconfig)',
            );
            const { config } = await admin.command({ replSetGetConfig: 1 });
            config.members[0].host = address;
            config.version += 1;
            await admin.command({ replSetReconfig: config, force: true });
            return false;
          }
          case 'wait':
            return false;
        }
      },
      { what: `a writable primary of replica set ${REPLICA_SET} at ${address}`, timeoutMs },
    );
  } finally {
    await client.close();
  }
}
