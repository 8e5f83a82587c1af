import { type Collection, type Db, ObjectId } from 'mongodb';
import { badUserInput, notFound } from '../../shared/errors/catalogue.js';
import { CATALOG_LIMITS } from '../../shared/limits/limits.js';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import type { ObjectStorage } from '../../shared/storage/object-storage.js';
import { IMAGE_TYPES } from './image-check.js';

/**
 * An upload: the place a browser puts a file's bytes (a product picture, a catalog CSV)
 * straight into object storage through a presigned URL, before the catalog checks and uses
 * it. The URL takes exactly the declared size and type, and only until it expires.
 */
export type UploadKind = 'PRODUCT_IMAGE' | 'PRODUCT_CSV';

export type UploadStatus = 'PENDING' | 'USED' | 'REJECTED';

interface UploadDoc {
  _id: ObjectId;
  kind: UploadKind;
  key: string;
  contentType: string;
  byteSize: number;
  status: UploadStatus;
  /** Why a REJECTED upload was refused. */
  reason?: string;
  /** What used it: the product (a picture) or the import. */
  usedBy?: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface Upload {
  id: string;
  kind: UploadKind;
  key: string;
  contentType: string;
  byteSize: number;
  status: UploadStatus;
  usedBy: string | null;
  expiresAt: Date;
}

/** What a client is given to upload with. */
export interface UploadTicket {
  id: string;
  url: string;
  method: 'PUT';
  headers: { name: string; value: string }[];
  expiresAt: string;
  maxBytes: number;
}

const CATALOG_UPLOADS = 'catalog_uploads';

export const UPLOAD_INDEXES: CollectionIndexes = {
  collection: CATALOG_UPLOADS,
  indexes: [{ key: { status: 1, expiresAt: 1 }, name: 'status_expires' }],
};

/** How long an upload URL takes bytes, and how long the upload may be used after that. */
export const UPLOAD_TTL_SECONDS = 15 * 60;

/** CSV files as browsers and spreadsheets label them. */
export const CSV_TYPES = ['text/csv', 'application/vnd.ms-excel', 'text/plain'] as const;

const RULES: Record<UploadKind, { types: readonly string[]; maxBytes: number; prefix: string }> = {
  PRODUCT_IMAGE: {
    types: IMAGE_TYPES,
    maxBytes: CATALOG_LIMITS.imageMaxBytes,
    prefix: 'media/uploads/',
  },
  PRODUCT_CSV: { types: CSV_TYPES, maxBytes: CATALOG_LIMITS.csvMaxBytes, prefix: 'imports/' },
};

const OBJECT_ID = /^[0-9a-f]{24}$/;

function toUpload(doc: UploadDoc): Upload {
  return {
    id: doc._id.toHexString(),
    kind: doc.kind,
    key: doc.key,
    contentType: doc.contentType,
    byteSize: doc.byteSize,
    status: doc.status,
    usedBy: doc.usedBy ?? null,
    expiresAt: doc.expiresAt,
  };
}

/** Uploads in MongoDB, their URLs from object storage. */
export class UploadStore {
  private readonly uploads: Collection<UploadDoc>;

  constructor(
    db: Db,
    private readonly storage: ObjectStorage,
    /** How long an upload URL takes bytes (and the upload may be used). */
    private readonly ttlSeconds = UPLOAD_TTL_SECONDS,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.uploads = db.collection<UploadDoc>(CATALOG_UPLOADS);
  }

  /** Refuses a type or size the kind does not take before any URL exists. */
  async create(input: {
    kind: UploadKind;
    contentType: string;
    byteSize: number;
  }): Promise<UploadTicket> {
    const rules = RULES[input.kind];
    const contentType = input.contentType.toLowerCase().split(';')[0]?.trim() ?? '';
    if (!rules.types.includes(contentType)) {
      throw badUserInput(
        `A ${describe(input.kind)} is one of ${rules.types.join(', ')}; got ${contentType}`,
        {
          field: 'contentType',
        },
      );
    }
    if (input.byteSize > rules.maxBytes) {
      throw badUserInput(
        `A ${describe(input.kind)} has at most ${rules.maxBytes / (1024 * 1024)} MB; this one has ${(input.byteSize / (1024 * 1024)).toFixed(1)} MB`,
        { field: 'byteSize', limit: rules.maxBytes },
      );
    }
    const _id = new ObjectId();
    const now = this.clock();
    const doc: UploadDoc = {
      _id,
      kind: input.kind,
      key: `${rules.prefix}${_id.toHexString()}`,
      contentType,
      byteSize: input.byteSize,
      status: 'PENDING',
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
      createdAt: now,
    };
    await this.uploads.insertOne(doc);
    const url = await this.storage.presignPut(doc.key, {
      contentType,
      contentLength: input.byteSize,
      expiresInSeconds: this.ttlSeconds,
    });
    return {
      id: _id.toHexString(),
      url,
      method: 'PUT',
      headers: [{ name: 'Content-Type', value: contentType }],
      expiresAt: doc.expiresAt.toISOString(),
      maxBytes: rules.maxBytes,
    };
  }

  /**
   * An upload of this kind that may be used now: PENDING and not expired, or already used by
   * `usedBy` (a repeat of the same request). Anything else is a clear refusal.
   */
  async usable(id: string, kind: UploadKind, usedBy: string): Promise<Upload> {
    const doc = OBJECT_ID.test(id) ? await this.uploads.findOne({ _id: new ObjectId(id) }) : null;
    if (!doc || doc.kind !== kind)
      throw notFound(`No ${describe(kind)} upload ${id}`, { field: 'uploadId' });
    if (doc.status === 'USED' && doc.usedBy === usedBy) return toUpload(doc);
    if (doc.status === 'USED') {
      throw badUserInput(`Upload ${id} was used already; upload the file again`, {
        field: 'uploadId',
        reason: 'USED',
      });
    }
    if (doc.status === 'REJECTED') {
      throw badUserInput(`Upload ${id} was refused: ${doc.reason ?? 'not acceptable'}`, {
        field: 'uploadId',
        reason: 'REJECTED',
      });
    }
    if (doc.expiresAt.getTime() < this.clock().getTime()) {
      throw badUserInput(
        `Upload ${id} expired at ${doc.expiresAt.toISOString()}; ask for a new one`,
        {
          field: 'uploadId',
          reason: 'EXPIRED',
        },
      );
    }
    return toUpload(doc);
  }

  /** Marks it used by `usedBy`; a repeat changes nothing. */
  async markUsed(id: string, usedBy: string): Promise<void> {
    await this.uploads.updateOne(
      { _id: new ObjectId(id), status: { $in: ['PENDING', 'USED'] } },
      { $set: { status: 'USED', usedBy } },
    );
  }

  /** Refuses it for good, with why, and removes its bytes. */
  async reject(upload: Upload, reason: string): Promise<void> {
    await this.uploads.updateOne(
      { _id: new ObjectId(upload.id), status: 'PENDING' },
      { $set: { status: 'REJECTED', reason } },
    );
    await this.storage.delete([upload.key]);
  }
}

function describe(kind: UploadKind): string {
  return kind === 'PRODUCT_IMAGE' ? 'product picture' : 'catalog CSV file';
}
