import type { ShopClient } from '../graphql/client.js';
import { CreateUploadMutation } from '../graphql/documents.js';
import { errorMessage } from '../utils/errors.js';

export type UploadKind = 'PRODUCT_IMAGE' | 'PRODUCT_CSV';

/** How far an upload got, for a progress bar: bytes sent of bytes in all. */
export type UploadProgress = (sent: number, total: number) => void;

/**
 * Sends a file straight to object storage: the platform hands out a presigned URL for exactly
 * this file's size and type, and the browser PUTs the bytes there (XMLHttpRequest, for its
 * progress events). Resolves with the upload's id, to use it; rejects with a message to show.
 */
export async function uploadFile(
  client: ShopClient,
  kind: UploadKind,
  file: File,
  onProgress: UploadProgress = () => undefined,
): Promise<string> {
  const contentType =
    file.type || (kind === 'PRODUCT_CSV' ? 'text/csv' : 'application/octet-stream');
  const ticket = await client.urql
    .mutation(CreateUploadMutation, { input: { kind, contentType, byteSize: file.size } })
    .toPromise();
  const upload = ticket.data?.createUpload;
  if (!upload) throw new Error(errorMessage(ticket.error) || 'The upload could not start');
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    for (const header of upload.headers) request.setRequestHeader(header.name, header.value);
    request.upload.onprogress = (event) => onProgress(event.loaded, event.total || file.size);
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(new Error(`Storage refused the file (${request.status})`));
    request.onerror = () => reject(new Error('The file could not be sent; check the connection'));
    request.send(file);
  });
  onProgress(file.size, file.size);
  return upload.id;
}
