/**
 * YAML parsed ahead of time. Parsing the two specs with `yaml` took about 250 ms of a 900 ms
 * cold start; `npm run build` stores each parse as JSON beside the compiled code
 * (`dist/src/spec/parsed/`), keyed by the SHA-256 of the YAML text. A load reads the YAML, hashes
 * it, and uses the stored parse only when the hashes agree: an edited spec is parsed afresh, so
 * the YAML stays the one source of truth and the cache can never be stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Where the build stores parses: `parsed/` beside this module (absent under the sources). */
export const PARSED_DIR = join(dirname(fileURLToPath(import.meta.url)), 'parsed');

interface StoredParse {
  readonly sha256: string;
  readonly document: unknown;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function storedPath(yamlPath: string, directory: string): string {
  return join(directory, `${basename(yamlPath)}.json`);
}

/** The parse of a YAML file: the stored one when it was made from these very bytes, else parsed now. */
export function parseYamlFile(yamlPath: string, directory: string = PARSED_DIR): unknown {
  const text = readFileSync(yamlPath, 'utf8');
  const stored = readStored(storedPath(yamlPath, directory));
  return stored !== undefined && stored.sha256 === digest(text) ? stored.document : parse(text);
}

/** Stores the parse of a YAML file for {@link parseYamlFile} (the build does this). */
export function storeYamlParse(yamlPath: string, directory: string = PARSED_DIR): string {
  const text = readFileSync(yamlPath, 'utf8');
  mkdirSync(directory, { recursive: true });
  const path = storedPath(yamlPath, directory);
  const stored: StoredParse = { sha256: digest(text), document: parse(text) };
  writeFileSync(path, JSON.stringify(stored));
  return path;
}

function readStored(path: string): StoredParse | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value === 'object' && value !== null && 'sha256' in value && typeof value.sha256 === 'string' && 'document' in value) {
      return { sha256: value.sha256, document: value.document };
    }
  } catch {
    // An unreadable store is no store: the YAML is parsed instead.
  }
  return undefined;
}
