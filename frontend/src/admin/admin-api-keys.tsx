import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { Field } from '../components/field.js';
import { ErrorAlert, Loading, StatusMessage } from '../components/messages.js';
import { ApiKeysQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from '../graphql/documents.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formatDateTime } from '../utils/format.js';

/** What each permission lets a program do, as the form explains it. */
const PERMISSIONS = [
  ['catalog:write', 'Change the catalog: products, variants, pictures, collections, imports'],
  ['orders:read', "Read the shop's orders"],
  ['orders:write', 'Change orders'],
  ['settings:write', "Change the shop's settings"],
  ['webhooks:write', 'Manage webhooks'],
] as const;

/** API keys for programs: made here with named permissions, shown once, revoked here. */
export function ApiKeysSection() {
  const { client } = useSession();
  const [result, reexecute] = useQuery({ query: ApiKeysQuery, requestPolicy: 'cache-and-network' });
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const [status, setStatus] = useState('');
  const keys = result.data?.apiKeys ?? [];
  return (
    <>
      <form
        class="create-api-key"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const data = new FormData(form);
          const permissions = data.getAll('permission').map(String);
          const answer = await client.urql
            .mutation(CreateApiKeyMutation, {
              name: String(data.get('name') ?? '').trim(),
              permissions,
            })
            .toPromise();
          if (!answer.data) {
            setError(errorMessage(answer.error));
            return;
          }
          setError(undefined);
          setCreated({
            name: answer.data.createApiKey.name,
            key: answer.data.createApiKey.key ?? '',
          });
          form.reset();
          reexecute({ requestPolicy: 'network-only' });
        }}
      >
        <h2>Create an API key</h2>
        <Field
          id="api-key-name"
          name="name"
          label="Name"
          required
          maxLength={100}
          hint="Who uses it: Warehouse sync"
        />
        <fieldset>
          <legend>Permissions</legend>
          {PERMISSIONS.map(([name, what]) => (
            <div class="checkbox" key={name}>
              <input type="checkbox" id={`permission-${name}`} name="permission" value={name} />
              <label for={`permission-${name}`}>
                <code>{name}</code>: {what}
              </label>
            </div>
          ))}
        </fieldset>
        <ErrorAlert message={error} />
        <button type="submit" class="button button-primary">
          Create key
        </button>
      </form>
      {created && (
        <div class="new-api-key" role="status">
          <p>
            The key for {created.name}. Copy it now: it is shown only this once, and kept only as a
            hash.
          </p>
          <code class="api-key">{created.key}</code>
        </div>
      )}
      <h2>Keys in force</h2>
      {result.fetching && !result.data && <Loading what="API keys" />}
      <StatusMessage>{status}</StatusMessage>
      {keys.length === 0 && !result.fetching && <p>No API key yet.</p>}
      <ul class="api-key-list">
        {keys.map((key) => (
          <li key={key.id}>
            <h3>{key.name}</h3>
            <p>
              {key.permissions.join(', ')}. Made {formatDateTime(key.createdAt)};{' '}
              {key.lastUsedAt ? `last used ${formatDateTime(key.lastUsedAt)}` : 'never used'}.
            </p>
            <button
              type="button"
              class="button"
              aria-label={`Revoke the key ${key.name}`}
              onClick={async () => {
                const answer = await client.urql
                  .mutation(RevokeApiKeyMutation, { id: key.id })
                  .toPromise();
                if (!answer.data) {
                  setError(errorMessage(answer.error));
                  return;
                }
                setStatus(`Revoked the key ${key.name}: it is refused from now on.`);
                reexecute({ requestPolicy: 'network-only' });
              }}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
