#!/bin/sh
# Runs the benchmarks (workshop, literature, scaling), summarizes them and plots
# the results into bench/results (quick: bench/results/quick). See bench/README.md.
#
#   bench/run.sh [quick|full] [PART...]     PART: workshop literature scale plot (default: all)
#
# quick is a smoke test (a few instances, 1-2 s budgets, about a minute); full is
# the published run (about two hours on 2 cores). The published sets are read from
# ../shared/bench (override with CONSORT_BENCH_SHARED=DIR); they are never copied.
set -eu
cd "$(dirname "$0")/.."

mode=${1:-quick}
[ $# -gt 0 ] && shift
case $mode in
quick) res=bench/results/quick ;;
full) res=bench/results ;;
*)
	echo "usage: bench/run.sh [quick|full] [workshop|literature|scale|plot]..." >&2
	exit 2
	;;
esac
parts=${*:-workshop literature scale plot}
shared=${CONSORT_BENCH_SHARED:-../shared/bench}
tab=$(printf '\t')
mkdir -p "$res"

want() {
	case " $parts " in *" $1 "*) return 0 ;; esac
	return 1
}

# Load average and machine, next to the results: timings on a shared machine
# are only comparable with this in view.
envfile=$res/environment.txt
note() {
	printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$envfile"
}

if want workshop || want literature || want scale; then
	# A full run of every part starts the file afresh; runs of single parts append.
	if want workshop && want literature && want scale; then
		rm -f "$envfile"
	fi
	{
		echo
		echo "# bench/run.sh $mode $parts"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
		echo "kernel: $(uname -sr)"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "uncommitted changes in src/ include/ (the engines measured include them):"
		git status --short src include 2>/dev/null | sed 's/^/  /'
		printf 'time (UTC)\tevent\tload average (1, 5, 15 min)\n'
	} >>"$envfile"

	# Build (configure once if needed), then run copies of the programs: others
	# may rebuild build/ during a long run, and one run should measure one build.
	[ -f build/CMakeCache.txt ] || cmake -S . -B build >/dev/null
	cmake --build build -j2 --target consort_lib bench_workshop bench_literature bench_scale >/dev/null
	bin=$(mktemp -d "${TMPDIR:-/tmp}/consort-bench.XXXXXX")
	trap 'rm -rf "$bin"' EXIT
	cp build/bench/bench_workshop build/bench/bench_literature build/bench/bench_scale "$bin/"
fi

if want workshop; then
	note "workshop start"
	if [ "$mode" = quick ]; then
		"$bin/bench_workshop" --quick --no-glpsol --out "$res" >"$res/workshop-summary.md"
	else
		"$bin/bench_workshop" --no-glpsol --out "$res" >"$res/workshop-summary.md"
		"$bin/bench_workshop" --glpsol-only --out "$res" >"$res/glpsol-summary.md"
	fi
	note "workshop end"
fi

lit() {
	"$bin/bench_literature" --shared "$shared" --out "$res/literature.tsv" "$@" 2>&1 >/dev/null |
		tee -a "$res/literature.log" >&2
}

if want literature; then
	note "literature start"
	rm -f "$res/literature.tsv" "$res/literature.log"
	if [ "$mode" = quick ]; then
		lit --set all --budget 1 --filter cars --filter CPn35-1 --filter RanInt_n010_ss_01 \
			--filter RanReal_n120_ss_01 --filter p500-5-1
		lit --append --set mdgp --filter RanReal_n120_ss_01 --budget n/60
	else
		lit --set all --budget 1 --budget 10
		lit --append --set random --min-n 400 --budget 60
		lit --append --set abr --class easy --max-n 160 --budget 60
		lit --append --set mdgp --min-n 120 --budget n/8
		# auto gives n <= 200 to the exact engine (not MDGPLIB n >= 120: its lot model is
		# too large): the heuristic alone on those, for comparison
		lit --append --set random --max-n 200 --budget 1 --budget 10 --engine heuristic
		lit --append --set abr --max-n 200 --budget 1 --budget 10 --engine heuristic
	fi
	note "literature end"
fi

if want scale; then
	note "scale start"
	if [ "$mode" = quick ]; then
		set -- --n 15,60,250 --seeds 1 --time-limit 1
	else
		set -- --time-limit 60
	fi
	"$bin/bench_scale" "$@" --out "$res/scale.tsv" 2>&1 | tee "$res/scale.log" >&2
	note "scale end"
fi

# ---- summaries (TSV for the plots, markdown for the README) ----

# A TSV file as a markdown table.
md() {
	awk -F'\t' 'NR == 1 { s = "|"; for (i = 1; i <= NF; i++) s = s "---|" }
		{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line; if (NR == 1) print s }' "$1"
}

# Literature: per series (a set, or the subset a longer budget was run on) and
# budget (budget_s is its mean in seconds: n/8 differs per instance). A series is
# summarized only at the budgets every one of its instances was run at (for a
# whole set: every instance of the set).
if [ -f "$res/literature.tsv" ]; then
	awk -F'\t' -v OFS='\t' '
	function add(s, whole, key) {
		s = s (eng == "auto" ? "" : "[" eng "]")
		key = s SUBSEP lab
		if (!(key in cnt)) { order[++norder] = key; sname[key] = s; slab[key] = lab; swhole[key] = whole }
		if (!((s, inst) in sseen)) { sseen[s, inst] = 1; nsinst[s]++ }
		sb[key] += b
		cnt[key]++
		if (obj == "NA") { noprop[key]++ }
		else {
			ng[key]++; sum[key] += gap; if (!(key in mx) || gap > mx[key]) mx[key] = gap
			if (obj + 0 >= best - (5e-4 + 1e-9 * (best < 0 ? -best : best))) atbest[key]++
		}
		if (proved == "yes") nproved[key]++
		if (check ~ /BUG/) flagged[key]++
		secs[key] += $col["seconds"]
		if ($col["peak_mib"] + 0 > peak[key]) peak[key] = $col["peak_mib"] + 0
	}
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		set = $col["set"]; n = $col["n"] + 0; cls = $col["class"]; b = $col["budget_s"] + 0; lab = $col["budget"]
		obj = $col["objective"]; best = $col["best_known"] + 0; gap = $col["gap_pct"] + 0
		proved = $col["proved"]; check = $col["check"]; eng = $col["engine"]
		inst = $col["instance"]
		if (!((set, inst) in seen)) { seen[set, inst] = 1; ninst[set]++ }
		add(set, set)
		if (set == "abr" && cls == "easy" && n <= 160) add("abr/easy/n<=160")
		if (set == "random" && n >= 400) add("random/n>=400")
		if (set == "random" && n <= 200) add("random/n<=200")
		if (set == "abr" && n <= 200) add("abr/n<=200")
		if (set == "mdgp" && n >= 120) add("mdgp/n=" n)
	}
	END {
		print "series", "budget_s", "budget", "instances", "at_best_known", "mean_gap_pct", "max_gap_pct",
			"proved_optimal", "no_proposal", "flagged", "mean_seconds", "max_peak_mib"
		for (k = 1; k <= norder; k++) {
			key = order[k]; s = sname[key]
			if (swhole[key] != "" && cnt[key] < ninst[swhole[key]]) continue
			if (cnt[key] < nsinst[s]) continue
			printf "%s\t%g\t%s\t%d\t%d\t%s\t%s\t%d\t%d\t%d\t%.2f\t%.1f\n", s, sb[key] / cnt[key], slab[key], cnt[key],
				atbest[key], ng[key] ? sprintf("%.3f", sum[key] / ng[key]) : "NA",
				ng[key] ? sprintf("%.3f", mx[key]) : "NA", nproved[key], noprop[key], flagged[key],
				secs[key] / cnt[key], peak[key]
		}
	}' "$res/literature.tsv" | { IFS= read -r h; echo "$h"; sort -t"$tab" -k1,1 -k2,2g; } >"$res/literature-summary.tsv"
	md "$res/literature-summary.tsv" >"$res/literature-summary.md"
	# Instances with a finding (engine bugs and new best values), for the README.
	awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next } $col["check"] != "ok"' \
		"$res/literature.tsv" >"$res/literature-findings.tsv"
fi

# Scaling: per n, over the seeds.
if [ -f "$res/scale.tsv" ]; then
	awk -F'\t' -v OFS='\t' '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		n = $col["n"] + 0
		if (!(n in runs)) { ns[++nn] = n; K[n] = $col["K"] }
		runs[n]++
		if ($col["status"] == "optimal") opt[n]++
		if ($col["check"] ~ /BUG/) bug[n]++
		if ($col["check"] ~ /below the planted/) below[n]++
		s = $col["seconds"] + 0; ssum[n] += s; if (s > smax[n]) smax[n] = s
		p = $col["peak_mib"] + 0; psum[n] += p; if (p > pmax[n]) pmax[n] = p
		if ($col["session_mib"] != "NA") { sesn[n]++; ses[n] += $col["session_mib"] }
		if ($col["problem_mib"] != "NA") { prbn[n]++; prb[n] += $col["problem_mib"] }
		if ($col["ari"] != "NA") {
			a = $col["ari"] + 0; arin[n]++; ari[n] += a
			if (!(n in amin) || a < amin[n]) amin[n] = a
		}
		if ($col["iters_per_s"] != "NA") { ipsn[n]++; ips[n] += $col["iters_per_s"] }
		if ($col["t_planted_s"] != "NA") { tpn[n]++; tp[n] += $col["t_planted_s"] }
		if ($col["objective"] != "NA" && $col["bound"] != "NA" && $col["bound"] != "inf") {
			o = $col["objective"] + 0; g = ($col["bound"] - o) / (o < 0 ? -o : (o > 1 ? o : 1)) * 100
			gn[n]++; gs[n] += g
		}
	}
	END {
		print "n", "K", "runs", "optimal", "flagged", "below_planted", "mean_seconds", "max_seconds",
			"mean_peak_mib", "max_peak_mib", "session_mib", "problem_mib", "mean_ari", "min_ari",
			"iters_per_s", "t_planted_s", "reached_planted", "mean_bound_gap_pct"
		for (k = 1; k <= nn; k++) {
			n = ns[k]
			printf "%d\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", n, K[n],
				runs[n], opt[n], bug[n], below[n], ssum[n] / runs[n], smax[n], psum[n] / runs[n], pmax[n],
				sesn[n] ? sprintf("%.4f", ses[n] / sesn[n]) : "NA", prbn[n] ? sprintf("%.4f", prb[n] / prbn[n]) : "NA",
				arin[n] ? sprintf("%.4f", ari[n] / arin[n]) : "NA", arin[n] ? sprintf("%.4f", amin[n]) : "NA",
				ipsn[n] ? sprintf("%.0f", ips[n] / ipsn[n]) : "NA", tpn[n] ? sprintf("%.6f", tp[n] / tpn[n]) : "NA",
				tpn[n], gn[n] ? sprintf("%.2f", gs[n] / gn[n]) : "NA"
		}
	}' "$res/scale.tsv" >"$res/scale-summary.tsv"
	md "$res/scale-summary.tsv" >"$res/scale-summary.md"
fi

# Unstructured series (issue 8): median and max seconds per rules, K and n (all sessions of a row),
# and the baseline's glpsol and enumeration medians, for bench/plot-unstructured.gp. From the latest
# run of the series alone (workshop-unstructured.tsv: bench_workshop --only unstructured) when there
# is one, else from the whole workshop run.
unstr="$res/workshop-unstructured.tsv"
[ -f "$unstr" ] || unstr="$res/workshop.tsv"
if [ -f "$unstr" ]; then
	awk -F'\t' -v OFS='\t' '
	function med(key, a, m, i, j, t) {
		m = cnt[key]; for (i = 1; i <= m; i++) a[i] = v[key, i]
		for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	NR > 1 && $1 ~ /^unstructured/ {
		key = $1 SUBSEP $3 SUBSEP $2
		if (!(key in cnt)) order[++no] = key
		v[key, ++cnt[key]] = $8; if ($8 > mx[key]) mx[key] = $8
		if ($5 == "optimal" || $5 == "infeasible") pr[key]++
	}
	END {
		print "rules", "K", "n", "sessions", "proved", "median_s", "max_s"
		for (k = 1; k <= no; k++) { split(order[k], f, SUBSEP)
			printf "%s\t%s\t%s\t%d\t%d\t%.6f\t%.6f\n", f[1], f[2], f[3], cnt[order[k]], pr[order[k]], med(order[k]), mx[order[k]] }
	}' "$unstr" >"$res/unstructured-summary.tsv"
fi

if want plot; then
	if ! command -v gnuplot >/dev/null 2>&1; then
		echo "run.sh: installing gnuplot-nox" >&2
		if [ "$(id -u)" = 0 ]; then
			apt-get install -y -q gnuplot-nox >/dev/null
		else
			sudo apt-get install -y -q gnuplot-nox >/dev/null
		fi
	fi
	[ -f "$res/literature-summary.tsv" ] && gnuplot -e "res='$res'" bench/plot-literature.gp
	[ -f "$res/scale-summary.tsv" ] && gnuplot -e "res='$res'" bench/plot-scale.gp
	[ -f "$res/unstructured-summary.tsv" ] && gnuplot -e "res='$res'" bench/plot-unstructured.gp
fi
if want workshop || want literature || want scale; then
	note "done"
fi
echo "run.sh: results in $res" >&2
