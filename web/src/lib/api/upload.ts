import { ApiError, type ApiIssue } from './client.ts';

/** Reads the API's error body from a finished XMLHttpRequest, as `request` does for fetch. */
function xhrError(xhr: XMLHttpRequest): ApiError {
  let code = 'http';
  let message = '';
  let issues: ApiIssue[] = [];
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: unknown; message?: unknown; issues?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body.error?.issues)) {
      issues = (body.error.issues as { path?: unknown; message?: unknown }[]).map((i) => ({
        path: typeof i.path === 'string' ? i.path : '',
        message: typeof i.message === 'string' ? i.message : '',
      }));
    }
  } catch {
    // Not the API's JSON error body (a proxy's page, a 413 from a gateway): the status alone.
  }
  return new ApiError(xhr.status, code, message, issues);
}

/**
 * POSTs a multipart form to `url` and resolves with the JSON answer. XMLHttpRequest rather than fetch,
 * because only it reports upload progress: `onprogress` gets the share sent (0–1), then null while the
 * server reads the file.
 */
export function uploadForm<T>(url: string, form: FormData, onprogress: (share: number | null) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    // An already-aborted signal never fires 'abort', so without this the upload would go ahead.
    if (signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onprogress(event.total ? event.loaded / event.total : 1);
    };
    xhr.upload.onload = () => onprogress(null);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch (cause) {
          reject(new ApiError(xhr.status, 'bad_response', cause instanceof Error ? cause.message : ''));
        }
      } else reject(xhrError(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
