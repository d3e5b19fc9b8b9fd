// sql.js (SQLite built with Emscripten): create a table, insert rows, query with aggregates and
// with JavaScript functions that SQLite's wasm calls back.
// The glue reads sql-wasm.wasm from node_modules and instantiates it with WebAssembly.instantiate;
// `node sqljs-demo.mjs debug` uses the package's debug build instead (sql-wasm-debug.wasm, whose
// exports have their C names, such as sqlite3_step, and whose glue checks its assertions).
const build = process.argv[2] === 'debug' ? 'sql.js/dist/sql-wasm-debug.js' : 'sql.js';
const { default: initSqlJs } = await import(build);

const SQL = await initSqlJs();
const db = new SQL.Database();
db.run('CREATE TABLE fruit (name TEXT, color TEXT, grams INTEGER, price REAL)');
const insert = db.prepare('INSERT INTO fruit VALUES (?, ?, ?, ?)');
for (const row of [['apple', 'red', 182, 0.5], ['banana', 'yellow', 118, 0.25], ['cherry', 'red', 8, 0.05], ['lemon', 'yellow', 58, 0.4], ['plum', 'purple', 66, 0.3]]) {
  insert.run(row);
}
insert.free();

for (const { columns, values } of db.exec('SELECT color, count(*), sum(grams), round(avg(price), 3) FROM fruit GROUP BY color ORDER BY color')) {
  console.log(columns.join(' | '));
  for (const v of values) console.log(v.join(' | '));
}
const stmt = db.prepare('SELECT name, grams * 2 AS double FROM fruit WHERE grams > $min ORDER BY name');
stmt.bind({ $min: 50 });
while (stmt.step()) console.log(JSON.stringify(stmt.getAsObject()));
stmt.free();
// JavaScript functions called back from SQLite's wasm, once per row.
db.create_function('js_label', (name, grams) => `${name.toUpperCase()}:${grams}`);
db.create_function('js_fails', () => {
  throw new Error('thrown in a JavaScript callback');
});
console.log(db.exec('SELECT js_label(name, grams) FROM fruit ORDER BY grams DESC LIMIT 3')[0].values.flat().join(' '));
try {
  db.exec('SELECT js_fails() FROM fruit');
} catch (e) {
  console.log('callback error:', e.message);
}
console.log('sqlite', db.exec('SELECT sqlite_version()')[0].values[0][0]);
console.log('printf', db.exec("SELECT printf('%08.3f|%x|%s', 3.14159, 255, upper('wasm'))")[0].values[0][0]);
try {
  db.exec('SELECT * FROM missing');
} catch (e) {
  console.log('error:', e.message);
}
const bytes = db.export();
console.log('database file:', bytes.length, 'bytes, header', new TextDecoder().decode(bytes.subarray(0, 15)));
db.close();
