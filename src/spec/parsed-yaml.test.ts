import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYamlFile, storeYamlParse } from './parsed-yaml.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'parsed-yaml-'));
  directories.push(directory);
  return directory;
}

describe('parsed YAML store', () => {
  it('uses the stored parse only for the very bytes it was made from', () => {
    const directory = scratch();
    const yamlPath = join(directory, 'spec.yaml');
    writeFileSync(yamlPath, 'openapi: 3.0.3\nvalue: 1\n');
    const stored = storeYamlParse(yamlPath, join(directory, 'parsed'));
    // Tamper with the stored parse: when the hash matches, it is what a load returns.
    writeFileSync(stored, JSON.stringify({ ...(JSON.parse(readFileSync(stored, 'utf8')) as object), document: { from: 'store' } }));
    expect(parseYamlFile(yamlPath, join(directory, 'parsed'))).toEqual({ from: 'store' });
    // An edited spec is parsed afresh: the store is stale and ignored.
    writeFileSync(yamlPath, 'openapi: 3.0.3\nvalue: 2\n');
    expect(parseYamlFile(yamlPath, join(directory, 'parsed'))).toEqual({ openapi: '3.0.3', value: 2 });
  });

  it('parses the YAML when there is no store or it is unreadable', () => {
    const directory = scratch();
    const yamlPath = join(directory, 'spec.yaml');
    writeFileSync(yamlPath, 'a: [1, 2]\n');
    expect(parseYamlFile(yamlPath, join(directory, 'absent'))).toEqual({ a: [1, 2] });
    writeFileSync(join(directory, 'spec.yaml.json'), '{not json');
    expect(parseYamlFile(yamlPath, directory)).toEqual({ a: [1, 2] });
  });
});
