// polars_report.mjs - the report pipeline in Polars (nodejs-polars), for
// scripts/bench/realcsv.sh: what pandas_report.py does on a one-GPU AIMeter
// CSV (units inside the cells): strip the units, per-metric statistics (n,
// avg, min, max, mode at 0.01, std, p50/p95/p99), trapezoid energy of the
// power columns, the Pearson matrix over the rows and its top pairs.
// (strptime gives µs whatever unit is asked: t is divided by 1e6)
// usage: node polars_report.mjs FILE.csv OUT.json   (NODE_PATH: its modules)
import { createRequire } from "module";
import { writeFileSync } from "fs";
import { correlation } from "./corr_result.mjs";
const require = createRequire(process.env.NODE_PATH + "/");
const pl = require("nodejs-polars");

const [file, out] = process.argv.slice(2);
const SKIP = new Set(["timestamp", "task_name", "name", "index"]);
const POWER = { "power.draw [W]": "gpu0", cpu_power: "cpu", dram_power: "dram" };
let df = pl.readCSV(file, { inferSchemaLength: 0 });
const metrics = df.columns.filter((c) => !SKIP.has(c));
df = df.select(
	pl.col("timestamp").str.strptime(pl.Datetime("ms"), "%Y-%m-%d %H:%M:%S%.f")
		.cast(pl.Int64).alias("t"),
	...metrics.map((c) => pl.col(c).str.extract("^\\s*([-+0-9.eE]+)", 1).cast(pl.Float64).alias(c)));
df = df.withColumns(pl.col("t").sub(pl.col("t").min()).cast(pl.Float64).div(1e6).alias("t"));
const res = { metrics: [], energy_j: { components: {} } };
const agg = [];
for (const c of metrics) {
	const x = pl.col(c);
	agg.push(x.count().alias(c + "|n"), x.mean().alias(c + "|avg"), x.min().alias(c + "|min"),
		x.max().alias(c + "|max"), x.std().alias(c + "|std"),
		x.quantile(0.5, "linear").alias(c + "|p50"), x.quantile(0.95, "linear").alias(c + "|p95"),
		x.quantile(0.99, "linear").alias(c + "|p99"),
		x.round(2).mode().first().alias(c + "|mode"));
}
const s = df.select(...agg).toRecords()[0];
for (const c of metrics) {
	const m = { name: c };
	for (const k of ["n", "avg", "min", "max", "std", "p50", "p95", "p99", "mode"]) m[k] = s[c + "|" + k];
	res.metrics.push(m);
}
const dt = pl.col("t").sub(pl.col("t").shift(1));
const trap = Object.keys(POWER).filter((c) => metrics.includes(c)).map((c) =>
	dt.mul(pl.col(c).add(pl.col(c).shift(1))).div(2).sum().alias(c));
const e = df.select(...trap).toRecords()[0];
for (const c of Object.keys(e)) res.energy_j.components[POWER[c]] = e[c];
const keep = metrics.filter((c) => s[c + "|min"] !== s[c + "|max"]);
const corr = [];
for (let i = 0; i < keep.length; i++)
	for (let j = i + 1; j < keep.length; j++)
		corr.push(pl.pearsonCorr(pl.col(keep[i]), pl.col(keep[j])).alias(`r${i}_${j}`));
res.correlation = correlation(keep, df.select(...corr).toRecords()[0]);
writeFileSync(out, JSON.stringify(res));
