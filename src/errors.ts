/**
 * Every error a client can see, in one registry: a stable code (never reworded once published in
 * docs/protocol.md), the HTTP status for routes and the WebSocket close code used when the error closes the socket.
 */
export const ERRORS = {
  bad_frame: { http: 400, close: null, message: 'The frame is not valid JSON or does not match the protocol.' },
  unknown_frame: { http: 400, close: null, message: 'Unknown frame type.' },
  frame_too_large: { http: 413, close: 1009, message: 'The frame is larger than the server accepts.' },
  message_too_long: { http: 413, close: null, message: 'The message is longer than the server accepts.' },
  hello_required: { http: 400, close: null, message: 'Send a "hello" frame first.' },
  already_greeted: { http: 400, close: null, message: 'This socket already sent "hello".' },
  session_invalid: { http: 401, close: null, message: 'The session token is invalid or expired; a new conversation was started.' },
  identity_invalid: { http: 401, close: null, message: 'The shopper identity is not signed by this shop (user hash mismatch); continuing as an anonymous visitor.' },
  /** Closes the socket only when a new conversation is refused (nothing else can happen on it). */
  rate_limited: { http: 429, close: 1008, message: 'Too many messages; wait a moment and try again.' },
  unknown_choice: { http: 404, close: null, message: 'That option is no longer available.' },
  unknown_message: { http: 404, close: null, message: 'No such message in this conversation.' },
  origin_forbidden: { http: 403, close: null, message: 'This page may not embed the chat (origin not allowed).' },
  too_many_sockets: { http: 429, close: 1008, message: 'Too many connections for this conversation.' },
  hello_timeout: { http: 408, close: 4408, message: 'No "hello" frame arrived in time; reconnect and send it first.' },
  login_required: { http: 401, close: null, message: 'Log in at /agent/login first.' },
  role_forbidden: { http: 403, close: null, message: 'Your role does not allow this; ask an admin.' },
  knowledge_invalid: { http: 400, close: null, message: 'The edit would leave errors in the knowledge base; nothing was written.' },
  not_found: { http: 404, close: null, message: 'Not found.' },
  internal: { http: 500, close: 1011, message: 'Something went wrong on our side; please try again.' },
  unavailable: { http: 503, close: 1013, message: 'The server is starting or shutting down.' },
} as const satisfies Record<string, { http: number; close: number | null; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AtentoError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;

  constructor(code: ErrorCode, message: string = ERRORS[code].message) {
    super(message);
    this.name = 'AtentoError';
    this.code = code;
    this.httpStatus = ERRORS[code].http;
  }
}
