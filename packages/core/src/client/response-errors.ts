import {
  ApiError,
  type CountersignError,
  InvalidResponseError,
  isErrorCode,
  ServiceUnavailableError,
} from '../errors/index.js';
import { apiErrorBodySchema } from '../protocol/index.js';

/** The first characters of a body, for error details: enough to recognise an HTML page. */
export function bodyExcerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Parses a JSON body, or throws {@link InvalidResponseError}. */
export function parseJsonBody(status: number, contentType: string, text: string): unknown {
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new InvalidResponseError({
      message: `Countersign answered ${status} with content type "${contentType || 'none'}", not JSON`,
      details: { status, contentType, body: bodyExcerpt(text) },
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidResponseError({
      message: `Countersign answered ${status} with a body that is not valid JSON`,
      cause,
      details: { status, body: bodyExcerpt(text) },
    });
  }
}

function readApiError(status: number, text: string): ApiError | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = apiErrorBodySchema.safeParse(json);
  if (!parsed.success || !isErrorCode(parsed.data.error.code)) return undefined;
  const { code, message, details } = parsed.data.error;
  return new ApiError(code, { message, status, details });
}

/**
 * The error for a non-2xx answer: an {@link ApiError} for a well-formed API error body, a
 * {@link ServiceUnavailableError} for 5xx and 408 (with the API error as `cause` when there is one),
 * and an {@link InvalidResponseError} for anything else (an HTML page from a proxy, say).
 */
export function errorForStatus(status: number, text: string): CountersignError {
  const apiError = readApiError(status, text);
  if (status >= 500 || status === 408) {
    return new ServiceUnavailableError({
      message: `Countersign answered ${status}${apiError ? `: ${apiError.message}` : ''}`,
      cause: apiError,
      details: { status },
    });
  }
  if (apiError) return apiError;
  if (status === 429) {
    return new ApiError('rate_limited', { message: 'Countersign rate-limited the call', status });
  }
  return new InvalidResponseError({
    message: `Countersign answered ${status} without a valid error body`,
    details: { status, body: bodyExcerpt(text) },
  });
}
