# Literature benchmarks: mean gap to the best known value against the time budget,
# one panel per set, one line per series (a whole set, or the subset a longer budget
# was run on; dashed: the heuristic engine alone). Input: res/literature-summary.tsv
# from bench/run.sh.
#   gnuplot -e "res='bench/results'" bench/plot-literature.gp
if (!exists("res")) res = 'bench/results'
if (!exists("out")) out = res
f = res.'/literature-summary.tsv'
if (!exists("term")) term = 'svg'
if (term eq 'png') { set terminal pngcairo size 1200,460 font 'sans,10' background rgb 'white'; ext = '.png' } else { set terminal svg size 1200,460 dynamic font 'sans,11' background rgb 'white'; ext = '.svg' }
set encoding utf8
set output out.'/literature-gap'.ext
set datafile separator "\t"
set key top right box opaque font ',9' spacing 0.9
set logscale x
set xrange [0.7:100]
set xtics (1, 10, 15, 30, 60)
set grid
set xlabel 'time budget (s)'
set ylabel 'mean gap to best known (%)'
series(prefix) = system(sprintf("awk -F'\t' 'NR > 1 && index($1, \"%s\") == 1 { print $1 }' %s | uniq", prefix, f))
set multiplot layout 1,3 title 'consort\_solve on published instances: mean gap to the best known value (solid: engine auto; dashed: [heuristic] alone)'
do for [set in "abr random mdgp"] {
	set title (set eq 'abr' ? 'CP-Lib ABR (real data)' : set eq 'random' ? 'CP-Lib random' : 'MDGPLIB (RanReal, RanInt)')
	# room above the data for the key; 0..1 % when every gap is 0; below 0 when
	# consort beat the reference (MDGPLIB's values are one run of a heuristic)
	ymax = real(system(sprintf("awk -F'\t' 'NR > 1 && index($1, \"%s\") == 1 && $6 != \"NA\" && $6 + 0 > m { m = $6 + 0 } END { print m + 0 }' %s", set, f)))
	ymin = real(system(sprintf("awk -F'\t' 'NR > 1 && index($1, \"%s\") == 1 && $6 != \"NA\" && $6 + 0 < m { m = $6 + 0 } END { print m + 0 }' %s", set, f)))
	set yrange [(ymin < 0 ? 1.2 * ymin : 0):(ymax > 0 ? 1.6 * ymax : 1)]
	plot for [s in series(set)] f using (strcol(1) eq s ? $2 : NaN):(strcol(1) eq s ? $6 : NaN) \
		with linespoints lw 2 pt 7 dt 1 + (strstrt(s, '[') > 0) title s
}
unset multiplot
