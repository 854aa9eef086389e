// Redaction of secrets in text and documents, before cluster data leaves for a model provider or the
// store. Pure: no I/O, no state beyond the patterns it was built with. Two passes:
// - text: patterns for secrets that carry their own shape (private keys, JWTs, cloud and vendor keys,
//   bearer and basic credentials, passwords in URLs, SAS signatures) or sit after a name that says
//   what they are (`DB_PASSWORD=...`, `password: ...`, `AccountKey=...;`), plus configured extras;
// - documents: string values under keys named like a secret (`password`, `apiKey`, `token`...), and
//   `value` of an env entry whose `name` is (`{ name: DB_PASSWORD, value: ... }`), are replaced whole;
//   every other string gets the text pass.
// Only the secret is replaced, with `[redacted]`, so the line keeps its meaning ("the password in
// DATABASE_URL is set") and the model can still reason about it. Redaction is best effort: a secret
// with no shape and no telling name (a bare random string in a log line) passes.

export const REDACTED = '[redacted]';

/**
 * Values after a secret-looking name that carry no secret and do carry meaning: MySQL's "(using
 * password: YES)", flags, placeholders (`${DB_PASSWORD}`, `<set>`, `***`) and references.
 */
const NOT_A_SECRET =
  /^["']?(?:yes|no|true|false|null|none|nil|on|off|set|unset|empty|\*+|<[^>]*>|\$\{[^}]*\}?|\$[A-Z_][A-Z0-9_]*)["']?\)?$/i;

/** Names that say their value is a secret: env vars, YAML/JSON keys, connection-string fields. */
const SECRET_NAME =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|access[-_]?key|secret[-_]?key|private[-_]?key(?:[-_]?id)?|client[-_]?secret|credentials?|auth[-_]?token|accountkey|sharedaccesskey|dsn|connection[-_]?string|session[-_]?key|signing[-_]?key|encryption[-_]?key|webhook[-_]?url)$/i;

interface Rule {
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const RULES: Rule[] = [
  // PEM private keys, in text or JSON-escaped (a GCP service-account file's "private_key").
  {
    pattern: /-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    replace: (_m, kind: string) =>
      `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`,
  },
  // JWTs: three base64url parts, the first two JSON objects ("eyJ").
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  // user:password@ in any URL (postgres://, amqp://, https://, redis://...): the password goes.
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)([^\s@/]+)@/gi, replace: `$1${REDACTED}@` },
  // Authorization schemes with a credential after them.
  { pattern: /\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, replace: `$1$2${REDACTED}` },
  // Cloud keys. AWS access key ids; GCP API keys and OAuth access tokens; Azure SAS signatures.
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: REDACTED },
  { pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g, replace: REDACTED },
  { pattern: /([?&]sig=)[^&\s"']+/gi, replace: `$1${REDACTED}` },
  // Vendor tokens with a recognisable prefix: GitHub, Slack, Stripe, Anthropic/OpenAI-style, Foxhound.
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, replace: REDACTED },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: REDACTED },
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, replace: REDACTED },
  { pattern: /\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  { pattern: /\bfh_[A-Za-z0-9_-]{32,}/g, replace: REDACTED },
  // name=value, name: value, "name": "value" where the name says secret: env dumps, kubectl describe
  // (`DB_PASSWORD:  hunter2`), YAML, JSON, connection strings (`Password=...;`, `AccountKey=...;`).
  {
    pattern:
      /(["']?)\b([A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key(?:[-_]?id)?|client[-_]?secret|credentials?|accountkey|sharedaccesskey|dsn))\1(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&"'}]+)/gi,
    // The name must end in the secret word: `secretName: my-tls` and `tokenExpirationSeconds: 600` pass.
    replace: (match, quote: string, name: string, sep: string, value: string) => {
      if (value.includes(REDACTED) || NOT_A_SECRET.test(value)) return match;
      const wrap = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${quote}${name}${quote}${sep}${wrap}${REDACTED}${wrap}`;
    },
  },
];

export interface Redactor {
  /** The text with every secret the patterns recognise replaced. */
  text(text: string): string;
  /** A copy of a JSON-like value: secret-named fields replaced whole, every other string through `text`. */
  value<T>(value: T): T;
}

/** Builds a redactor; `extraPatterns` (already validated, global) replace their whole match. */
export function createRedactor(extraPatterns: readonly RegExp[] = []): Redactor {
  const rules = [...RULES, ...extraPatterns.map((pattern) => ({ pattern, replace: REDACTED }))];
  const text = (input: string): string => {
    let out = input;
    for (const rule of rules) {
      rule.pattern.lastIndex = 0;
      out =
        typeof rule.replace === 'string'
          ? out.replace(rule.pattern, rule.replace)
          : out.replace(rule.pattern, rule.replace);
    }
    return out;
  };
  const value = <T>(input: T): T => redactValue(input, text) as T;
  return { text, value };
}

function redactValue(input: unknown, text: (s: string) => string, depth = 0): unknown {
  if (typeof input === 'string') return text(input);
  // Deeper than any Kubernetes object or event: left as text of its JSON would be, redacted whole.
  if (depth > 64) return text(JSON.stringify(input) ?? '');
  if (Array.isArray(input)) return input.map((item) => redactValue(item, text, depth + 1));
  if (input === null || typeof input !== 'object') return input;
  const record = input as Record<string, unknown>;
  // An env entry (`{ name, value }`) whose name says secret.
  const envSecret =
    typeof record.name === 'string' && typeof record.value === 'string' && SECRET_NAME.test(record.name);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string' && (SECRET_NAME.test(key) || (envSecret && key === 'value')))
      out[key] = REDACTED;
    else out[key] = redactValue(item, text, depth + 1);
  }
  return out;
}

/**
 * Extra patterns from configuration: a JSON array of regular expressions, each a source
 * (`"corp-[0-9a-f]{32}"`) or a `/source/flags` literal (`"/internal-token-\\w+/i"`); each match is
 * replaced whole. Throws naming the first one that is not valid.
 */
export function parseRedactPatterns(raw: string | undefined): RegExp[] {
  if (raw === undefined || raw.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch (err) {
    throw new Error('expected a JSON array of regular expressions', { cause: err });
  }
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.length === 0 || p.length > 500)) {
    throw new Error('expected a JSON array of non-empty regular expressions of at most 500 characters');
  }
  if (list.length > 100) throw new Error('at most 100 patterns');
  return (list as string[]).map((source, i) => {
    const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
    const [body, flags] = literal ? [literal[1]!, literal[2]!] : [source, ''];
    try {
      return new RegExp(body, flags.includes('g') ? flags : `${flags}g`);
    } catch (err) {
      throw new Error(`pattern ${i + 1} (${source}) does not compile: ${(err as Error).message}`, {
        cause: err,
      });
    }
  });
}
