# Scaling series: solve time and memory against the number of participants (log axes).
# Input: res/scale-summary.tsv from bench/run.sh.
#   gnuplot -e "res='bench/results'" bench/plot-scale.gp
if (!exists("res")) res = 'bench/results'
if (!exists("out")) out = res
f = res.'/scale-summary.tsv'
if (!exists("term")) term = 'svg'
if (term eq 'png') { set terminal pngcairo size 720,480 font 'sans,10' background rgb 'white'; ext = '.png' } else { set terminal svg size 720,480 dynamic font 'sans,11' background rgb 'white'; ext = '.svg' }
set encoding utf8
set datafile separator "\t"
set logscale xy
set grid
set xlabel 'participants n'
set xrange [10:3000]
num(c) = (strcol(c) eq 'NA' ? NaN : column(c))
pos(c) = (strcol(c) eq 'NA' ? NaN : (column(c) < 1e-4 ? 1e-4 : column(c)))

set output out.'/scale-time'.ext
set title 'Simulated sessions (K = n/50, at least 2; 3 seeds): time'
set ylabel 'seconds'
set key top left box opaque font ',9'
set yrange [5e-5:3e3]
set format y '%g'
plot f using 1:(num(7)) with linespoints lw 2 pt 7 title 'solve, mean (exact n ≤ 200, heuristic above)', \
	f using 1:(num(8)) with linespoints lw 1 pt 6 dt 2 title 'solve, max', \
	f using 1:(pos(16)) with linespoints lw 2 pt 5 title 'heuristic: time to planted objective (≥ 0.1 ms)', \
	[10:3000] 60 with lines dt 3 lc rgb 'gray40' title 'time limit'

set output out.'/scale-memory'.ext
set autoscale y
set key top left box opaque font ',9'
set title 'Simulated sessions: memory'
set ylabel 'MiB'
plot f using 1:(num(10)) with linespoints lw 2 pt 7 title 'solve: peak RSS of the process (max)', \
	f using 1:(pos(11)) with linespoints lw 2 pt 5 title 'session (heap it holds)', \
	f using 1:(pos(12)) with linespoints lw 2 pt 9 title 'problem: weights and rules (heap it holds)', \
	[15:2000] 8.0 * x * x / 1048576 with lines dt 3 lc rgb 'gray40' title '8 n² bytes (one n × n matrix of doubles)'
