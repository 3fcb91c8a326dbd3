// corr_result.mjs - the correlation section shared by polars_report.mjs and
// duckdb_report.mjs: r holds "r<i>_<j>" -> Pearson r of keep[i], keep[j]
// (i < j); returns the matrix and the top 5 positive and negative pairs.
export function correlation(keep, r) {
	const mat = keep.map(() => keep.map(() => null)), pairs = [];
	for (const k of Object.keys(r)) {
		const [i, j] = k.slice(1).split("_").map(Number);
		mat[i][j] = mat[j][i] = r[k];
		pairs.push([r[k], keep[i], keep[j]]);
	}
	pairs.sort((a, b) => b[0] - a[0]);
	return { metrics: keep, matrix: mat,
		top_positive: pairs.filter((p) => p[0] > 0).slice(0, 5),
		top_negative: pairs.filter((p) => p[0] < 0).reverse().slice(0, 5) };
}
