/**
 * Loads `openapi/export-api.yaml`, the Export API description as Pleo publishes it (see the
 * provenance comment at the top of that file), and its normalized form (see ./quirks.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIV3 } from 'openapi-types';
import { parseYamlFile } from './parsed-yaml.js';
import { normalizeSpec } from './quirks.js';

const SPEC_FILE = join('openapi', 'export-api.yaml');
const ADMIN_SPEC_FILE = join('openapi', 'admin-api.yaml');
const FIXTURE_SCHEMA_FILE = join('openapi', 'fixture-document.schema.json');

/** This module's directory: `src/spec/` under vitest, `dist/src/spec/` once compiled. */
const MODULE_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * Absolute path of `openapi/export-api.yaml`, found by walking up from `fromDir` (default: this module's directory).
 * @example readFileSync(exportApiSpecPath(), 'utf8')
 */
export function exportApiSpecPath(fromDir: string = MODULE_DIR): string {
  return findUp(SPEC_FILE, fromDir);
}

/** Absolute path of `openapi/admin-api.yaml`, the mock's own control plane (found like the Export API's). */
export function adminApiSpecPath(fromDir: string = MODULE_DIR): string {
  return findUp(ADMIN_SPEC_FILE, fromDir);
}

/** Absolute path of `openapi/fixture-document.schema.json`, the published JSON Schema of fixture documents. */
export function fixtureDocumentSchemaPath(fromDir: string = MODULE_DIR): string {
  return findUp(FIXTURE_SCHEMA_FILE, fromDir);
}

/**
 * The JSON Schema of fixture documents; a fresh copy on each call.
 * @example new Ajv().compile(loadFixtureDocumentSchema())
 */
export function loadFixtureDocumentSchema(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(fixtureDocumentSchemaPath(), 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${fixtureDocumentSchemaPath()} is not a JSON Schema object`);
  return parsed;
}

function findUp(file: string, fromDir: string): string {
  // Walking up covers both layouts: the sources (src/spec -> root) and the published package,
  // which ships `openapi/` beside `dist/` (dist/src/spec -> root). The walk stops at the first
  // package.json, so a missing file can never be answered by some other project's spec further up.
  for (let dir = fromDir; ; ) {
    const candidate = join(dir, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (existsSync(join(dir, 'package.json')) || parent === dir) {
      throw new Error(`Cannot find ${file}: looked in every directory from ${fromDir} up to ${dir}`);
    }
    dir = parent;
  }
}

/**
 * The Export API description exactly as written in the YAML file (quirks included); a fresh copy on each call.
 * @example const raw = loadExportApiSpec(); raw.info.version // '32.4.0'
 */
export function loadExportApiSpec(): OpenAPIV3.Document {
  // A copy, not the cached object: openapi-backend dereferences the definition it is given in
  // place, so a caller must always get a document it may change.
  return structuredClone(cachedSpec(exportApiSpecPath()));
}

/**
 * The admin API description (written by this project, no quirks); a fresh copy on each call.
 * @example new OpenAPIBackend({ definition: loadAdminApiSpec() })
 */
export function loadAdminApiSpec(): OpenAPIV3.Document {
  return structuredClone(cachedSpec(adminApiSpecPath()));
}

/**
 * The Export API description with the published spec's quirks corrected; what validation should use.
 * @example new OpenAPIBackend({ definition: loadNormalizedExportApiSpec() })
 */
export function loadNormalizedExportApiSpec(): OpenAPIV3.Document {
  // normalizeSpec deep-copies and never mutates, so it can read the frozen cache directly.
  return normalizeSpec(cachedSpec(exportApiSpecPath()));
}

// Each file is read and parsed once per process. The parses are deep-frozen so that no code
// path can corrupt them for later callers; this cache is the module's only state.
const cache = new Map<string, OpenAPIV3.Document>();

function cachedSpec(path: string): OpenAPIV3.Document {
  let document = cache.get(path);
  if (document === undefined) {
    document = deepFreeze(readSpec(path));
    cache.set(path, document);
  }
  return document;
}

function readSpec(path: string): OpenAPIV3.Document {
  const parsed = parseYamlFile(path);
  if (!isOpenApi30Document(parsed)) {
    throw new Error(`${path} is not an OpenAPI 3.0 document (expected an "openapi: 3.0.x" field and a "paths" map)`);
  }
  return parsed;
}

/** A minimal structural check: enough to catch the wrong file, not a full OpenAPI validation. */
function isOpenApi30Document(value: unknown): value is OpenAPIV3.Document {
  return isRecord(value) && typeof value.openapi === 'string' && value.openapi.startsWith('3.0') && isRecord(value.paths);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
