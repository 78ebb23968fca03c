export { CountersignError, type CountersignErrorOptions } from './countersign-error.js';
export {
  ERROR_HTTP_STATUS,
  type ErrorCode,
  httpStatusForCode,
  isErrorCode,
  isWireErrorCode,
  LOCAL_ERROR_CODES,
  type LocalErrorCode,
  WIRE_ERROR_CODES,
  type WireErrorCode,
} from './error-codes.js';
export {
  ApiError,
  CancelledError,
  ExpiredError,
  FingerprintMismatchError,
  InvalidResponseError,
  PolicyInvalidError,
  RejectedError,
  ServiceUnavailableError,
} from './errors.js';
export { invalidOptions } from './invalid-options.js';
export { type ReceiptFailure, ReceiptInvalidError } from './receipt-invalid-error.js';
