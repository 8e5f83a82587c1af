import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { Field, TextAreaField } from '../components/field.js';
import { ErrorAlert, Loading, StatusMessage } from '../components/messages.js';
import { CollectionsQuery, CreateCollectionMutation } from '../graphql/documents.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { formFields } from '../utils/form.js';

/** The shop's collections, each linking to its page, and a form to make one. */
export function CollectionsSection() {
  const { client } = useSession();
  const [result, reexecute] = useQuery({
    query: CollectionsQuery,
    requestPolicy: 'cache-and-network',
  });
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState('');
  const collections = result.data?.collections ?? [];
  return (
    <>
      <form
        class="create-collection"
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const fields = formFields(form);
          const answer = await client.urql
            .mutation(CreateCollectionMutation, {
              input: {
                title: fields.text('title'),
                description: fields.text('description'),
                ...(fields.text('slug') ? { slug: fields.text('slug') } : {}),
              },
            })
            .toPromise();
          if (!answer.data) {
            setError(errorMessage(answer.error));
            return;
          }
          setError(undefined);
          setStatus(`Created the collection ${answer.data.createCollection.title}`);
          form.reset();
          reexecute({ requestPolicy: 'network-only' });
        }}
      >
        <h2>Create a collection</h2>
        <div class="form-grid">
          <Field id="collection-title" name="title" label="Title" required maxLength={100} />
          <Field
            id="collection-slug"
            name="slug"
            label="Address (optional)"
            hint="Made from the title when empty: /collections/summer-essentials"
            maxLength={100}
          />
        </div>
        <TextAreaField
          id="collection-description"
          name="description"
          label="Description"
          rows={2}
        />
        <ErrorAlert message={error} />
        <StatusMessage>{status}</StatusMessage>
        <button type="submit" class="button button-primary">
          Create collection
        </button>
      </form>
      <h2>Collections</h2>
      <p class="hint">A product joins collections from its own editor, on the Products page.</p>
      {result.fetching && !result.data && <Loading what="collections" />}
      <ul class="collection-list">
        {collections.map((collection) => (
          <li key={collection.id} class="collection-card">
            <h3>
              <a href={`/collections/${encodeURIComponent(collection.slug)}`}>{collection.title}</a>
            </h3>
            <p>{collection.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
