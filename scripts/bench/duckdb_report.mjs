// duckdb_report.mjs - the report pipeline in DuckDB (@duckdb/node-api), for
// scripts/bench/realcsv.sh: the same work as polars_report.mjs on a one-GPU
// AIMeter CSV (units stripped, per-metric n/avg/min/max/std/p50/p95/p99 and
// mode at 0.01, trapezoid energy of the power columns, Pearson matrix over
// the rows and its top pairs), in SQL on 2 threads.
// usage: node duckdb_report.mjs FILE.csv OUT.json   (NODE_PATH: its modules)
import { createRequire } from "module";
import { writeFileSync } from "fs";
import { correlation } from "./corr_result.mjs";
const require = createRequire(process.env.NODE_PATH + "/");
const { DuckDBInstance } = require("@duckdb/node-api");

const [file, out] = process.argv.slice(2);
const SKIP = new Set(["timestamp", "task_name", "name", "index"]);
const POWER = { "power.draw [W]": "gpu0", cpu_power: "cpu", dram_power: "dram" };
const q = (c) => '"' + c.replace(/"/g, '""') + '"';
const db = await DuckDBInstance.create(":memory:", { threads: "2" });
const con = await db.connect();
const all = async (sql) => (await con.runAndReadAll(sql)).getRowObjects();
const src = `read_csv('${file.replace(/'/g, "''")}', all_varchar = true, header = true)`;
const cols = (await all(`DESCRIBE SELECT * FROM ${src}`)).map((r) => r.column_name);
const metrics = cols.filter((c) => !SKIP.has(c));
await con.run(`CREATE TABLE d AS SELECT epoch(strptime(timestamp, '%Y-%m-%d %H:%M:%S.%f')) AS t, ` +
	metrics.map((c) => `CAST(regexp_extract(${q(c)}, '^\\s*([-+0-9.eE]+)', 1) AS DOUBLE) AS ${q(c)}`)
		.join(", ") + ` FROM ${src}`);
await con.run(`UPDATE d SET t = t - (SELECT min(t) FROM d)`);
const K = ["n", "avg", "min", "max", "std", "p50", "p95", "p99", "mode"];
const f = (c, i) => [`count(${c})`, `avg(${c})`, `min(${c})`, `max(${c})`, `stddev_samp(${c})`,
	`quantile_cont(${c}, 0.5)`, `quantile_cont(${c}, 0.95)`, `quantile_cont(${c}, 0.99)`,
	`mode(round(${c}, 2))`].map((e, k) => `${e} AS s${i}_${k}`);
const s = (await all(`SELECT ${metrics.flatMap((c, i) => f(q(c), i)).join(", ")} FROM d`))[0];
const res = { metrics: [], energy_j: { components: {} } };
metrics.forEach((c, i) => {
	const m = { name: c };
	K.forEach((k, j) => { m[k] = Number(s[`s${i}_${j}`]); });
	res.metrics.push(m);
});
const pw = Object.keys(POWER).filter((c) => metrics.includes(c));
const e = (await all(`SELECT ${pw.map((c, i) => `sum(e${i}) AS e${i}`).join(", ")} FROM (SELECT ` +
	pw.map((c, i) => `(t - lag(t) OVER w) * (${q(c)} + lag(${q(c)}) OVER w) / 2 AS e${i}`).join(", ") +
	` FROM d WINDOW w AS (ORDER BY t))`))[0];
pw.forEach((c, i) => { res.energy_j.components[POWER[c]] = Number(e[`e${i}`]); });
const keep = metrics.filter((c, i) => Number(s[`s${i}_2`]) !== Number(s[`s${i}_3`]));
const terms = [];
for (let i = 0; i < keep.length; i++)
	for (let j = i + 1; j < keep.length; j++)
		terms.push(`corr(${q(keep[i])}, ${q(keep[j])}) AS r${i}_${j}`);
res.correlation = correlation(keep, (await all(`SELECT ${terms.join(", ")} FROM d`))[0]);
writeFileSync(out, JSON.stringify(res));
