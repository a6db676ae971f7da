/** Query parameters through which database and Redis clients also take secrets. */
const SECRET_PARAMETERS = ['password', 'sslpassword', 'pass'];

/** A connection URL fit for logs and error messages: its password never leaves, wherever it was written. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const name of SECRET_PARAMETERS) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
