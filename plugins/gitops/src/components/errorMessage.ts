import { ResponseError } from '@backstage/errors';

/**
 * The message a user can act on: for a failed backend request, the server's own message
 * (for example why a promotion was refused) rather than the HTTP status line.
 */
export function errorMessage(error: Error): string {
  if (error.name === 'ResponseError') {
    const cause = (error as ResponseError).cause;
    if (cause?.message) {
      return cause.message;
    }
  }
  return error.message;
}
