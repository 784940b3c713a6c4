# Unstructured ratings (issue 8): time to proof against n, per number of consortia K.
# Input: res/unstructured-summary.tsv (bench/run.sh) and res/unstructured-baseline.tsv
# (bench_workshop --unstructured-baseline).
#   gnuplot -e "res='bench/results'" bench/plot-unstructured.gp
if (!exists("res")) res = 'bench/results'
if (!exists("out")) out = res
f = res.'/unstructured-summary.tsv'
b = res.'/unstructured-baseline.tsv'
if (!exists("term")) term = 'svg'
if (term eq 'png') { set terminal pngcairo size 900,600 font 'sans,10' background rgb 'white'; ext = '.png' } else { set terminal svg size 900,600 dynamic font 'sans,11' background rgb 'white'; ext = '.svg' }
set encoding utf8
set datafile separator "\t"
set logscale y
set grid
set xlabel 'participants n'
set ylabel 'seconds (wall)'
set xrange [9:31]
set yrange [1e-4:100]
set format y '%g'
set key top left box opaque font ',8' maxrows 6
set output out.'/unstructured-time'.ext
set title 'Unstructured ratings, K consortia with an association and a firm each: time to proof'
sel(r, k, c) = (strcol(1) eq r && column(2) == k) ? (column(c) < 1e-4 ? 1e-4 : column(c)) : NaN
gsel(k, c) = (column(2) == k) ? (column(c) < 1e-4 ? 1e-4 : column(c)) : NaN
plot for [k=2:5] f using 3:(sel('unstructured', k, 6)) with linespoints lw 2 pt 7 lc k title sprintf('consort K=%d median', k), \
	for [k=2:5] f using 3:(sel('unstructured', k, 7)) with lines lw 1 dt 2 lc k title sprintf('consort K=%d max', k), \
	for [k=2:5] b using 1:(gsel(k, 10)) with points pt 4 ps 1.2 lc k title sprintf('glpsol K=%d', k), \
	for [k=2:5] b using 1:(gsel(k, 13)) with points pt 2 ps 1.2 lc k title sprintf('enumeration K=%d', k), \
	60 with lines dt 3 lc rgb 'gray40' title 'time limit (60 s)'

set output out.'/unstructured-rules'.ext
set title 'Unstructured ratings, every rule variant (K = 2..5 pooled per n): max time to proof'
set key top left box opaque font ',8' maxrows 7
vsel(r, c) = (strcol(1) eq r) ? (column(c) < 1e-4 ? 1e-4 : column(c)) : NaN
plot for [r in "unstructured unstructured+cover unstructured+pairs unstructured+size unstructured+lots unstructured+optional"] \
	f using ($3 + 0.1 * (column(2) - 3.5)):(vsel(r, 7)) with points pt 7 ps 0.8 title r, \
	60 with lines dt 3 lc rgb 'gray40' title 'time limit (60 s)'
