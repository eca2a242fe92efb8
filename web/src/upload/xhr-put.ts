/**
 * One PUT of a file or a slice of it straight to storage, with XMLHttpRequest: in today's browsers only XHR
 * reports upload progress (a streaming fetch body needs HTTP/2 and does not count bytes sent). The ETag is read
 * from the answer (the bucket's CORS rule exposes it) for a multipart completion.
 */
export class StorageRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'StorageRefused';
  }
}

/** No answer at all: the connection dropped, or the storage could not be reached. */
export class NetworkFailure extends Error {
  constructor() {
    super('The connection to the storage was lost');
    this.name = 'NetworkFailure';
  }
}

export class PutAborted extends Error {
  constructor() {
    super('The upload was stopped');
    this.name = 'AbortError';
  }
}

export function putBlob(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (bytesSent: number) => void,
  signal: AbortSignal,
): Promise<{ etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new PutAborted());
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    const abort = () => xhr.abort();
    signal.addEventListener('abort', abort, { once: true });
    const done = () => signal.removeEventListener('abort', abort);
    xhr.onload = () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ etag: xhr.getResponseHeader('etag') ?? undefined });
        return;
      }
      const text = xhr.responseText ?? '';
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
      reject(
        new StorageRefused(
          xhr.status,
          `The storage refused the upload (${xhr.status}${code ? ` ${code}` : ''})${message ? `: ${message}` : ''}`,
        ),
      );
    };
    xhr.onerror = () => {
      done();
      reject(new NetworkFailure());
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      done();
      reject(new PutAborted());
    };
    xhr.send(body);
  });
}
