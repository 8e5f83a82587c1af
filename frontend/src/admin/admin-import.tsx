import { useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { CATALOG_LIMITS } from '../../../shared/limits/limits.js';
import { ErrorAlert, StatusMessage } from '../components/messages.js';
import {
  ExportProductsMutation,
  ImportFields,
  ImportProductsMutation,
  ProductImportQuery,
} from '../graphql/documents.js';
import { type ResultOf, readFragment } from '../graphql/graphql.js';
import { useSession } from '../session/session.js';
import { errorMessage } from '../utils/errors.js';
import { uploadFile } from './upload.js';

type Import = ResultOf<typeof ImportFields>;

const LAYOUT = [
  'Handle',
  'Title',
  'Body',
  'Category',
  'Collections',
  'Option1 Name',
  'Option1 Value',
  'Option2 Name',
  'Option2 Value',
  'Option3 Name',
  'Option3 Value',
  'Variant SKU',
  'Variant Price',
  'Currency',
  'Variant Inventory Qty',
];

/**
 * The catalog as a CSV file: an import (the file goes straight to object storage, then the
 * platform checks every row before it writes anything, and this page follows its progress)
 * and an export in the same layout.
 */
export function ImportSection() {
  return (
    <>
      <ImportForm />
      <ExportButton />
    </>
  );
}

function ImportForm() {
  const { client } = useSession();
  const [importId, setImportId] = useState<string>();
  const [sending, setSending] = useState<{ sent: number; total: number }>();
  const [error, setError] = useState<string>();
  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">Import products from a CSV file</h2>
      <p>
        One row per variant; the rows of a product share its <strong>Handle</strong> and its own
        columns are read from its first row. Importing a file again updates the products it names
        and never duplicates them. Columns:
      </p>
      <p class="csv-layout">
        <code>{LAYOUT.join(', ')}</code>
      </p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const file = new FormData(form).get('file');
          if (!(file instanceof File) || file.size === 0) {
            setError('Choose a CSV file first');
            return;
          }
          if (file.size > CATALOG_LIMITS.csvMaxBytes) {
            setError('A catalog file has at most 50 MB');
            return;
          }
          setError(undefined);
          setImportId(undefined);
          try {
            const uploadId = await uploadFile(client, 'PRODUCT_CSV', file, (sent, total) =>
              setSending({ sent, total }),
            );
            const result = await client.urql
              .mutation(ImportProductsMutation, { uploadId })
              .toPromise();
            if (!result.data) throw new Error(errorMessage(result.error));
            setImportId(readFragment(ImportFields, result.data.importProducts).id);
            form.reset();
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          } finally {
            setSending(undefined);
          }
        }}
      >
        <div class="field">
          <label for="import-file">CSV file (at most 50 MB)</label>
          <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        {sending && (
          <p role="status">
            <label for="import-sending">Sending the file </label>
            <progress id="import-sending" max={sending.total} value={sending.sent} />
          </p>
        )}
        <ErrorAlert message={error} />
        <button type="submit" class="button button-primary" disabled={sending !== undefined}>
          Import
        </button>
      </form>
      {importId && <ImportProgress id={importId} />}
    </section>
  );
}

/** "1 product", "2 products". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

const STATUS_TEXT: Record<Import['status'], string> = {
  QUEUED: 'Waiting to start',
  RUNNING: 'Importing',
  SUCCEEDED: 'Done',
  FAILED: 'Not imported: the file has problems, and nothing of it was written',
};

/** An import as it goes: polled every second until it is over, its problems in a table. */
function ImportProgress({ id }: { id: string }) {
  const [result, reexecute] = useQuery({
    query: ProductImportQuery,
    variables: { id },
    requestPolicy: 'network-only',
  });
  const job = result.data?.productImport
    ? readFragment(ImportFields, result.data.productImport)
    : undefined;
  const over = job?.status === 'SUCCEEDED' || job?.status === 'FAILED';
  useEffect(() => {
    if (over) return;
    const timer = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), 1_000);
    return () => clearTimeout(timer);
  }, [result.data, over, reexecute]);
  if (!job) return <p role="status">Starting the import…</p>;
  return (
    <div class="import-progress">
      <p role="status" aria-live="polite">
        <strong>{STATUS_TEXT[job.status]}</strong>
        {job.status === 'SUCCEEDED' &&
          `: ${count(job.created, 'product')} created, ${job.updated} updated (${count(job.rows, 'row')}).`}
      </p>
      {job.status === 'RUNNING' && job.rows > 0 && (
        <p>
          <label for="import-rows">
            {job.processedRows} of {job.rows} rows written{' '}
          </label>
          <progress id="import-rows" max={job.rows} value={job.processedRows} />
        </p>
      )}
      {job.status === 'FAILED' && (
        <table class="import-problems">
          <caption>
            {job.problemCount === 1 ? '1 problem' : `${job.problemCount} problems`}
            {job.problemCount > job.problems.length && ` (the first ${job.problems.length})`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {job.problems.map((problem, i) => (
              <tr key={i}>
                <td>{problem.row ?? 'the file'}</td>
                <td>{problem.column ?? '—'}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ExportButton() {
  const { client } = useSession();
  const [link, setLink] = useState<{ url: string; products: number; variants: number }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export the catalog</h2>
      <p>The whole catalog as a CSV file in the same layout, to edit and import back.</p>
      <button
        type="button"
        class="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          const result = await client.urql.mutation(ExportProductsMutation, {}).toPromise();
          setBusy(false);
          if (!result.data) setError(errorMessage(result.error));
          else {
            setError(undefined);
            setLink(result.data.exportProducts);
          }
        }}
      >
        {busy ? 'Exporting…' : 'Export as CSV'}
      </button>
      <ErrorAlert message={error} />
      {link && (
        <StatusMessage>
          <a href={link.url} download>
            Download the catalog
          </a>{' '}
          ({link.products} products, {link.variants} variants; the link works for 15 minutes)
        </StatusMessage>
      )}
    </section>
  );
}
