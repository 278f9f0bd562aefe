#!/usr/bin/env node
// Checks KQL queries with Microsoft's own Kusto parser
// (@kusto/language-service-next, found under $CA_DOCTOR_KUSTO_MODULES)
// against the sign-in tables' schemas: no syntax error, no unknown column,
// table or function, no type error.
// Usage: node scripts/check-kql.js SCHEMA_DIR QUERY_FILE...
// SCHEMA_DIR holds one `<Table>.tsv` per table (`Column<TAB>Type` lines).
'use strict';
const fs = require('fs');
const path = require('path');

const modules = process.env.CA_DOCTOR_KUSTO_MODULES;
if (!modules) {
  console.error('check-kql: set CA_DOCTOR_KUSTO_MODULES to the node_modules folder holding @kusto/language-service-next');
  process.exit(2);
}
const service = path.join(modules, '@kusto', 'language-service-next');
require(path.join(service, 'bridge.js'));
require(path.join(service, 'Kusto.Language.Bridge.js'));
/* global Kusto */
const K = Kusto.Language;
const S = K.Symbols;

const [schemaDir, ...files] = process.argv.slice(2);
if (!schemaDir || files.length === 0) {
  console.error('usage: node scripts/check-kql.js SCHEMA_DIR QUERY_FILE...');
  process.exit(2);
}

const types = {
  string: S.ScalarTypes.String,
  datetime: S.ScalarTypes.DateTime,
  dynamic: S.ScalarTypes.Dynamic,
  bool: S.ScalarTypes.Bool,
  boolean: S.ScalarTypes.Bool,
  int: S.ScalarTypes.Int,
  long: S.ScalarTypes.Long,
  real: S.ScalarTypes.Real,
  double: S.ScalarTypes.Real,
  guid: S.ScalarTypes.Guid,
  timespan: S.ScalarTypes.TimeSpan,
  decimal: S.ScalarTypes.Decimal,
};

const tables = fs.readdirSync(schemaDir)
  .filter((name) => name.endsWith('.tsv'))
  .map((name) => {
    const columns = fs.readFileSync(path.join(schemaDir, name), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split('\t'))
      .filter((cells) => cells.length === 2 && cells[0])
      .map(([column, type]) => {
        const scalar = types[type.toLowerCase()];
        if (!scalar) {
          throw new Error(`${name}: column ${column} has a type the check does not know: ${type}`);
        }
        return new S.ColumnSymbol(column, scalar);
      });
    return new S.TableSymbol.$ctor4(path.basename(name, '.tsv'), columns);
  });
const database = new S.DatabaseSymbol.ctor('workspace', tables);
const cluster = new S.ClusterSymbol.ctor('cluster', [database]);
const globals = K.GlobalState.Default.WithCluster(cluster).WithDatabase(database);

let failed = 0;
for (const file of files) {
  const query = fs.readFileSync(file, 'utf8');
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const diagnostics = code.GetDiagnostics();
  for (let i = 0; i < diagnostics.Count; i++) {
    const diagnostic = diagnostics.getItem(i);
    if (String(diagnostic.Severity) === 'Error') {
      failed += 1;
      console.log(`${file}:${diagnostic.Start}: ${diagnostic.Message}`);
    }
  }
}
console.log(`${files.length} queries checked, ${failed} errors`);
process.exit(failed === 0 ? 0 : 1);
