// Validates an OpenAPI document against the OpenAPI 3.0 schema with
// swagger-parser (npm, installed into web/node_modules by deploy/web.sh),
// resolving every $ref.
//   node openapi_validate.mjs FILE.json
// Exit 0: valid; 1: invalid (the reason on stderr); 2: usage or the package
// is missing.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '..', '..', 'web', 'package.json'));

const file = process.argv[2];
if (!file) { console.error('usage: node openapi_validate.mjs FILE.json'); process.exit(2); }
let SwaggerParser;
try {
  SwaggerParser = require('@apidevtools/swagger-parser');
} catch {
  console.error('@apidevtools/swagger-parser is missing from web/node_modules: run deploy/web.sh');
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(JSON.parse(fs.readFileSync(file, 'utf8')));
  console.log(`valid: OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
} catch (e) {
  console.error(`invalid: ${e.message}`);
  process.exit(1);
}
