# Chart of bench/compare/run.sh: messages per second against client connections, median over rounds
# with min-max bars. Called as:
#   gnuplot -e "datafile='...'; outfile='...'; subtitle='...'; vireo_e2e=0|1" throughput.gp
# (vireo_e2e: whether Vireo's end-to-end series has any point; without it the key says why it is empty)
# Columns of the data file (see compare.py summarize): 1 connections, then median/min/max for
# Postfix accept, Postfix end-to-end, Vireo accept, Vireo end-to-end, load->sink, smtp-source->smtp-sink.
set terminal pngcairo enhanced size 1000,700 font "DejaVu Sans,11"
set output outfile
set title "Vireo (sync: group) vs Postfix (fsync per message), same machine, same run\n{/*0.8 4 KB messages, 1 recipient, connections reused; ".subtitle."}" font ",13"
set xlabel "concurrent client connections"
set ylabel "messages per second (median, bars: min–max over rounds)"
set logscale xy
set xrange [0.7:750]
set xtics ("1" 1, "10" 10, "50" 50, "500" 500)
set format y "%.0f"
set grid xtics ytics mytics
set key below vertical maxrows 3 width 1
set style line 1 lc rgb "#1f77b4" lw 2 pt 7 ps 1.2
set style line 2 lc rgb "#1f77b4" lw 2 dt 2 pt 6 ps 1.2
set style line 3 lc rgb "#d62728" lw 2 pt 5 ps 1.2
set style line 4 lc rgb "#d62728" lw 2 dt 2 pt 4 ps 1.2
set style line 5 lc rgb "#7f7f7f" lw 1 dt 3 pt 1 ps 1.0
set style line 6 lc rgb "#2ca02c" lw 1 dt 3 pt 2 ps 1.0
plot datafile using 1:8:9:10 with yerrorlines ls 1 title "Vireo, accepted", \
     datafile using 1:11:12:13 with yerrorlines ls 2 \
       title (vireo_e2e ? "Vireo, end to end" : "Vireo, end to end: n/a (no delivery yet)"), \
     datafile using 1:2:3:4 with yerrorlines ls 3 title "Postfix, accepted", \
     datafile using 1:5:6:7 with yerrorlines ls 4 title "Postfix, end to end", \
     datafile using 1:14:15:16 with yerrorlines ls 5 title "ceiling: bench load → sink", \
     datafile using 1:17:18:19 with yerrorlines ls 6 title "ceiling: smtp-source → smtp-sink"
