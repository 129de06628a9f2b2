/**
 * Build step (`npm run build`, after tsc): stores the parses of the YAML specs for a faster start
 * (see parsed-yaml.ts). Run from `dist/`, so the store lands beside the compiled loader.
 */
import { adminApiSpecPath, exportApiSpecPath } from './load-spec.js';
import { storeYamlParse } from './parsed-yaml.js';

for (const path of [exportApiSpecPath(), adminApiSpecPath()]) storeYamlParse(path);
