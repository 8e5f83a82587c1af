import { type Collection, type Db, ObjectId } from 'mongodb';
import { notFound } from '../../shared/errors/catalogue.js';
import { derivedEventId, newEvent } from '../../shared/events/envelope.js';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';
import type { OutboxSender } from '../../shared/outbox/aggregate-store.js';
import { type OutboxEvent, outboxEntries, outboxStoreOf } from '../../shared/outbox/outbox.js';
import { type ImportProblem, MAX_LISTED_PROBLEMS } from './csv-import-plan.js';

/**
 * A catalog import: one CSV file, worked through by catalog-events. QUEUED when asked for,
 * RUNNING while it is read, checked and written, then SUCCEEDED, or FAILED with the problems
 * (a file with a mistake changes nothing). Its ProductImportRequested waits in its outbox.
 */
export type ImportStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

interface ImportDoc {
  _id: ObjectId;
  uploadId: string;
  /** The file's object key. */
  key: string;
  status: ImportStatus;
  /** Data rows in the file (known once it is read). */
  rows: number;
  /** Rows written so far. */
  processedRows: number;
  /** Products written so far, in file order: where a run that was cut off goes on. */
  writtenProducts?: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
  /** All problems found; only the first MAX_LISTED_PROBLEMS are listed. */
  problemCount: number;
  outbox: OutboxEvent[];
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ImportView {
  id: string;
  status: ImportStatus;
  rows: number;
  processedRows: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
  problemCount: number;
  createdAt: string;
  finishedAt: string | null;
}

const CATALOG_IMPORTS = 'catalog_imports';

export const IMPORT_INDEXES: CollectionIndexes = {
  collection: CATALOG_IMPORTS,
  indexes: [
    // One import per uploaded file: asking again answers the same import.
    { key: { uploadId: 1 }, name: 'upload_unique', unique: true },
    { key: { createdAt: -1 }, name: 'newest_first' },
    { key: { 'outbox.0.time': 1 }, name: 'outbox_pending' },
  ],
};

export const IMPORTS_COLLECTION = CATALOG_IMPORTS;

const OBJECT_ID = /^[0-9a-f]{24}$/;

function toView(doc: ImportDoc): ImportView {
  return {
    id: doc._id.toHexString(),
    status: doc.status,
    rows: doc.rows,
    processedRows: doc.processedRows,
    created: doc.created,
    updated: doc.updated,
    problems: doc.problems,
    problemCount: doc.problemCount,
    createdAt: doc.createdAt.toISOString(),
    finishedAt: doc.finishedAt?.toISOString() ?? null,
  };
}

/** An import about to run: its file, and what earlier runs of it wrote. */
export interface ImportStart {
  key: string;
  done: { products: number; processedRows: number; created: number; updated: number };
}

export class ImportStore {
  private readonly imports: Collection<ImportDoc>;

  constructor(
    db: Db,
    private readonly sender: OutboxSender,
  ) {
    this.imports = db.collection<ImportDoc>(CATALOG_IMPORTS);
  }

  /** Queues the import of an uploaded file, once per upload; its event leaves through the outbox. */
  async queue(uploadId: string, key: string): Promise<ImportView> {
    const _id = new ObjectId();
    const now = new Date();
    const importId = _id.toHexString();
    const doc: ImportDoc = {
      _id,
      uploadId,
      key,
      status: 'QUEUED',
      rows: 0,
      processedRows: 0,
      created: 0,
      updated: 0,
      problems: [],
      problemCount: 0,
      outbox: outboxEntries([
        newEvent(
          'ProductImportRequested',
          { importId },
          {
            source: 'catalog',
            subject: importId,
            id: derivedEventId(`import:${importId}`, 'ProductImportRequested'),
          },
        ),
      ]),
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    };
    try {
      await this.imports.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.imports.findOne({ uploadId });
      if (!existing) throw err;
      await this.send(existing);
      return toView(existing);
    }
    await this.send(doc);
    return toView(doc);
  }

  private send(doc: ImportDoc): Promise<void> {
    if (doc.outbox.length === 0) return Promise.resolve();
    return this.sender.send(outboxStoreOf(this.imports), doc._id, doc.outbox);
  }

  async get(id: string): Promise<ImportView> {
    const doc = OBJECT_ID.test(id) ? await this.imports.findOne({ _id: new ObjectId(id) }) : null;
    if (!doc) throw notFound(`No import ${id}`, { id });
    return toView(doc);
  }

  async recent(limit = 10): Promise<ImportView[]> {
    const docs = await this.imports.find().sort({ createdAt: -1 }).limit(limit).toArray();
    return docs.map(toView);
  }

  /**
   * The import to run, moved to RUNNING, with how far an earlier run got (a run cut off by a
   * crash or the function's time limit goes on from there); null when it is over already.
   */
  async start(id: string): Promise<ImportStart | null> {
    const doc = await this.imports.findOneAndUpdate(
      { _id: new ObjectId(id), status: { $in: ['QUEUED', 'RUNNING'] } },
      { $set: { status: 'RUNNING', startedAt: new Date(), updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!doc) return null;
    return {
      key: doc.key,
      done: {
        products: doc.writtenProducts ?? 0,
        processedRows: doc.processedRows,
        created: doc.created,
        updated: doc.updated,
      },
    };
  }

  async progress(
    id: string,
    progress: Pick<ImportDoc, 'rows' | 'processedRows' | 'writtenProducts' | 'created' | 'updated'>,
  ) {
    await this.imports.updateOne(
      { _id: new ObjectId(id), status: 'RUNNING' },
      { $set: { ...progress, updatedAt: new Date() } },
    );
  }

  async succeed(id: string, counts: Pick<ImportDoc, 'rows' | 'created' | 'updated'>) {
    await this.finish(id, { status: 'SUCCEEDED', ...counts, processedRows: counts.rows });
  }

  async fail(id: string, rows: number, problems: readonly ImportProblem[]) {
    await this.finish(id, {
      status: 'FAILED',
      rows,
      problems: problems.slice(0, MAX_LISTED_PROBLEMS),
      problemCount: problems.length,
    });
  }

  private async finish(id: string, set: Partial<ImportDoc>) {
    await this.imports.updateOne(
      { _id: new ObjectId(id), status: { $in: ['QUEUED', 'RUNNING'] } },
      { $set: { ...set, finishedAt: new Date(), updatedAt: new Date() } },
    );
  }
}
