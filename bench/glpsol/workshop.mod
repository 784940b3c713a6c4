/* The baseline of bench/bench_workshop: the model a consultant with GLPK would
   write by hand for a workshop session. Assignment of participants to K
   consortia, a binary per pair, every triangle inequality, sector minimums and
   sizes, optional cover, together and apart. Solved with glpsol. */
param n integer > 0;
param K integer > 0;
set P := 1..n;
set C := 1..K;
set S;
param sector{P} symbolic in S;
param secmin{S} integer >= 0, default 0;
param sizemin integer >= 1, default 2;
param sizemax integer >= 1, default n;
set SERV;
param offers{P, SERV} binary, default 0;
set COVER within SERV, default {};
set TOGETHER dimen 2 within P cross P;   /* the data file lists them (maybe none) */
set APART dimen 2 within P cross P;
param w{i in P, j in P: i < j}, default 0;

var x{P, C} binary;
var y{i in P, j in P: i < j} binary;

maximize total: sum{i in P, j in P: i < j} w[i,j] * y[i,j];

s.t. placed{i in P}: sum{k in C} x[i,k] = 1;
s.t. size_lo{k in C}: sum{i in P} x[i,k] >= sizemin;
s.t. size_hi{k in C}: sum{i in P} x[i,k] <= sizemax;
s.t. sectors{k in C, s in S: secmin[s] > 0}: sum{i in P: sector[i] = s} x[i,k] >= secmin[s];
s.t. cover{k in C, c in COVER}: sum{i in P} offers[i,c] * x[i,k] >= 1;
s.t. same{i in P, j in P, k in C: i < j}: y[i,j] >= x[i,k] + x[j,k] - 1;
s.t. diff1{i in P, j in P, k in C: i < j}: y[i,j] <= 1 - x[i,k] + x[j,k];
s.t. diff2{i in P, j in P, k in C: i < j}: y[i,j] <= 1 + x[i,k] - x[j,k];
s.t. tri1{i in P, j in P, l in P: i < j and j < l}: y[i,j] + y[j,l] - y[i,l] <= 1;
s.t. tri2{i in P, j in P, l in P: i < j and j < l}: y[i,j] - y[j,l] + y[i,l] <= 1;
s.t. tri3{i in P, j in P, l in P: i < j and j < l}: -y[i,j] + y[j,l] + y[i,l] <= 1;
s.t. together{(i, j) in TOGETHER}: y[min(i,j), max(i,j)] = 1;
s.t. apart{(i, j) in APART}: y[min(i,j), max(i,j)] = 0;

solve;
printf "objective %.6f\n", total;
end;
